from playwright.sync_api import Locator, Page

from e2e.pages.base import BasePage


class ProfilePage(BasePage):
    def __init__(self, page: Page, member_pk: int) -> None:
        super().__init__(page)
        self.path = f"/members/{member_pk}/"

    @property
    def edit_link(self) -> Locator:
        return self.main.locator('a[href="/members/me/edit/"]')


class ProfileEditPage(BasePage):
    path = "/members/me/edit/"

    @property
    def form(self) -> Locator:
        return self.main.locator('form[method="post"]').filter(
            has=self.page.locator('[name="display_name"]')
        )

    def fill(self, field_name: str, value: str) -> None:
        self.form.locator(f'[name="{field_name}"]').fill(value)

    def save(self) -> None:
        self.form.locator('button[type="submit"]').click()


class StaffConsolePage(BasePage):
    path = "/staff/"
