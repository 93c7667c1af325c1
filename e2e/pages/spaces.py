from playwright.sync_api import Locator, Page

from e2e.pages.base import BasePage


class SpaceListPage(BasePage):
    path = "/spaces/"

    def space_link(self, name: str) -> Locator:
        return self.main.get_by_role("link", name=name, exact=True)

    def open_space(self, name: str, slug: str) -> "SpacePage":
        self.space_link(name).click()
        space = SpacePage(self.page, slug)
        space.wait_until_open()
        return space


class SpacePage(BasePage):
    """A space's own page; what it shows depends on who looks (the access policy)."""

    def __init__(self, page: Page, slug: str) -> None:
        super().__init__(page)
        self.slug = slug
        self.path = f"/spaces/{slug}/"

    def wait_until_open(self) -> None:
        self.page.wait_for_url(f"**{self.path}")

    @property
    def join_form(self) -> Locator:
        return self.page.locator(f'form[action="/spaces/{self.slug}/join/"]')

    def join(self) -> None:
        self.join_form.locator('button[type="submit"]').click()

    @property
    def leave_form(self) -> Locator:
        return self.page.locator(f'form[action="/spaces/{self.slug}/leave/"]')

    @property
    def apply_link(self) -> Locator:
        return self.main.locator(f'a[href="/spaces/{self.slug}/apply/"]')

    @property
    def requests_link(self) -> Locator:
        return self.main.locator(f'a[href="/spaces/{self.slug}/requests/"]').first

    @property
    def sign_in_link(self) -> Locator:
        return self.main.locator('a[href^="/accounts/login/"]').first

    @property
    def denial(self) -> Locator:
        """The explanation shown instead of the space's content, with the reason in data-denial."""
        return self.main.locator(".space-denied[data-denial]")


class ApplyPage(BasePage):
    """The application form of an application space, one field per question of the space."""

    def __init__(self, page: Page, slug: str) -> None:
        super().__init__(page)
        self.slug = slug
        self.path = f"/spaces/{slug}/apply/"

    @property
    def form(self) -> Locator:
        return self.main.locator('form[method="post"]').filter(has=self.page.locator("textarea"))

    def answer(self, question: str, text: str) -> None:
        self.form.get_by_label(question).fill(text)

    def submit(self) -> None:
        self.form.locator('button[type="submit"]').click()


class JoinRequestsPage(BasePage):
    """A space's queue of applications, for its moderators and staff."""

    def __init__(self, page: Page, slug: str) -> None:
        super().__init__(page)
        self.slug = slug
        self.path = f"/spaces/{slug}/requests/"

    def request_of(self, applicant_name: str) -> Locator:
        return self.main.locator("article.join-request").filter(has_text=applicant_name)

    def _decision_form(self, applicant_name: str, decision: str) -> Locator:
        return (
            self.request_of(applicant_name)
            .locator("form")
            .filter(has=self.page.locator(f'input[name="decision"][value="{decision}"]'))
        )

    def approve_button(self, applicant_name: str) -> Locator:
        return self._decision_form(applicant_name, "approve").locator('button[type="submit"]')

    def approve(self, applicant_name: str) -> None:
        self.approve_button(applicant_name).click()
