from typing import Self

from playwright.sync_api import Locator, Page, expect


class BasePage:
    """Every page shares the site header: brand, main navigation, language switcher, sign-in."""

    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> Self:
        self.page.goto(self.path)
        return self

    @property
    def main(self) -> Locator:
        return self.page.locator("main")

    @property
    def heading(self) -> Locator:
        return self.main.get_by_role("heading", level=1)

    @property
    def navigation(self) -> Locator:
        return self.page.locator("header nav")

    @property
    def spaces_link(self) -> Locator:
        return self.navigation.locator('a[href="/spaces/"]')

    def language_button(self, code: str) -> Locator:
        return self.page.locator(f'header form button[name="language"][value="{code}"]')

    def switch_language(self, code: str) -> None:
        self.language_button(code).click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)

    @property
    def sign_out_button(self) -> Locator:
        return self.page.locator('header form[action="/accounts/logout/"] button[type="submit"]')

    @property
    def account_menu(self) -> Locator:
        return self.page.locator("header details.user-menu > summary")

    def sign_out(self) -> None:
        self.account_menu.click()
        self.sign_out_button.click()
        self.expect_signed_out()

    def expect_signed_in(self) -> None:
        expect(self.account_menu).to_be_visible()

    def expect_signed_out(self) -> None:
        expect(self.page.locator('header a[href^="/accounts/login/"]')).to_be_visible()
