"""Contest pages: the list, a contest with its entries, and the staff pages that run one.

Buttons and fields are found by their form actions and names, which stay the same in
either language.
"""

from typing import Self

from playwright.sync_api import Locator, Page

from e2e.pages.base import BasePage


class ContestListPage(BasePage):
    path = "/contests/"

    def contest_link(self, title: str) -> Locator:
        return self.main.locator(".contest-card a", has_text=title)


class ContestPage(BasePage):
    def __init__(self, page: Page, pk: int) -> None:
        super().__init__(page)
        self.path = f"/contests/{pk}/"
        self.pk = pk

    @property
    def entry_form(self) -> Locator:
        return self.main.locator(f'form[action="/contests/{self.pk}/enter/"]')

    def enter(self, statement: str) -> None:
        self.entry_form.locator('textarea[name="statement"]').fill(statement)
        self.entry_form.locator('button[type="submit"]').click()

    @property
    def withdraw_button(self) -> Locator:
        return self.main.locator(f'form[action="/contests/{self.pk}/withdraw/"] button')

    @property
    def entries(self) -> Locator:
        return self.main.locator(".contest-entry")

    def entry_by(self, name: str) -> Locator:
        return self.entries.filter(has=self.page.locator(".contest-entry-member", has_text=name))

    def vote_for(self, name: str) -> None:
        self.entry_by(name).locator(f'form[action="/contests/{self.pk}/vote/"] button').click()

    @property
    def winners(self) -> Locator:
        return self.main.locator(".contest-winner")


class ContestFormPage(BasePage):
    path = "/contests/manage/new/"

    @property
    def form(self) -> Locator:
        return self.main.locator("form.contest-form")

    def fill(
        self,
        *,
        title: str,
        description: str,
        kind: str,
        judging: str,
        opens_at: str,
        closes_at: str,
        winners: int,
        points: int,
    ) -> None:
        self.form.locator('input[name="title"]').fill(title)
        self.form.locator('textarea[name="description"]').fill(description)
        self.form.locator('select[name="kind"]').select_option(kind)
        self.form.locator(f'input[name="judging"][value="{judging}"]').check()
        self.form.locator('input[name="opens_at"]').fill(opens_at)
        self.form.locator('input[name="closes_at"]').fill(closes_at)
        self.form.locator('input[name="winner_count"]').fill(str(winners))
        self.form.locator('input[name="points_per_winner"]').fill(str(points))

    def save(self) -> None:
        self.form.locator('button[type="submit"]').click()


class ManageContestPage(BasePage):
    def __init__(self, page: Page, pk: int) -> None:
        super().__init__(page)
        self.path = f"/contests/manage/{pk}/"
        self.pk = pk

    @classmethod
    def current(cls, page: Page) -> Self:
        """The page the browser is on after saving a contest (/contests/manage/<pk>/)."""
        pk = int(page.url.rstrip("/").rsplit("/", 1)[-1])
        return cls(page, pk)

    def act(self, action: str) -> None:
        self.main.locator(f'form[action="/contests/manage/{self.pk}/{action}/"] button').click()

    @property
    def vote_ranking(self) -> Locator:
        return self.main.locator(".vote-ranking li")


class HomePage(BasePage):
    path = "/"

    @property
    def spotlight(self) -> Locator:
        return self.main.locator(".contest-spotlight")
