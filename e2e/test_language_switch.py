from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.pages import BasePage, LoginPage, SpaceListPage
from kizuna.identity.tests.factories import MemberFactory

PASSWORD = "correct horse battery staple"


def _switch_back_and_forth(site: BasePage) -> None:
    expect(site.spaces_link).to_have_text("スペース")
    site.switch_language("en")
    expect(site.spaces_link).to_have_text("Spaces")
    SpaceListPage(site.page).open()
    expect(site.spaces_link).to_have_text("Spaces")
    site.switch_language("ja")
    expect(site.spaces_link).to_have_text("スペース")


def test_an_anonymous_visitor_switches_between_japanese_and_english(
    page: Page, screenshot: Screenshot
) -> None:
    home = BasePage(page).open()
    screenshot(page, "home")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(home.language_button("ja")).to_have_attribute("aria-pressed", "true")
    _switch_back_and_forth(home)


def test_a_member_switches_between_japanese_and_english(page: Page) -> None:
    member = MemberFactory(language="ja")
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    home = BasePage(page)
    home.expect_signed_in()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    _switch_back_and_forth(home)
