from playwright.sync_api import Locator, Page

from e2e.pages.base import BasePage


class DirectoryPage(BasePage):
    path = "/members/"

    @property
    def search_form(self) -> Locator:
        return self.main.locator('form[role="search"]')

    @property
    def cards(self) -> Locator:
        return self.main.locator(".directory-card")

    def card(self, name: str) -> Locator:
        return self.cards.filter(has=self.page.locator(".directory-name", has_text=name))

    def choose(self, field_name: str, label: str) -> None:
        self.search_form.locator(f'select[name="{field_name}"]').select_option(label=label)

    def fill(self, field_name: str, value: str) -> None:
        self.search_form.locator(f'input[name="{field_name}"]').fill(value)

    def search(self) -> None:
        self.search_form.locator('button[type="submit"]').click()


class MemberProfileSections:
    """The recognition and contributions parts of a member's profile page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def recognition(self) -> Locator:
        return self.page.locator("section.member-recognition")

    @property
    def badges(self) -> Locator:
        return self.page.locator("section.member-badges")

    @property
    def contributions(self) -> Locator:
        return self.page.locator('section[aria-labelledby="contributions-heading"]')
