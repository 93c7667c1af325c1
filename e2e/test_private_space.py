from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.pages import LoginPage, SpacePage
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"
DESCRIPTION = "来期ロードマップの非公開プレビューを共有しています"
RULES = "ここで知った情報は社外秘として扱ってください"


def _private_space() -> Space:
    space = SpaceFactory(
        name="カスタマー限定ラウンジ",
        slug="customer-lounge",
        access_type=AccessType.PRIVATE,
        purpose="導入企業の担当者が集まる場",
        description=DESCRIPTION,
        rules=RULES,
    )
    MembershipFactory(space=space, member=make_customer(display_name="高橋 美咲"), role="host")
    return space


def test_a_customer_opens_a_private_space_and_reads_its_description(
    page: Page, screenshot: Screenshot
) -> None:
    space = _private_space()
    customer = make_customer(display_name="山本 健")

    LoginPage(page).open_and_sign_in(email=customer.email, password=PASSWORD)
    space_page = SpacePage(page, space.slug).open()

    expect(space_page.heading).to_have_text("カスタマー限定ラウンジ")
    expect(space_page.denial).to_have_count(0)
    expect(space_page.main).to_contain_text(DESCRIPTION)
    expect(space_page.main).to_contain_text(RULES)
    expect(space_page.join_form).to_be_visible()
    screenshot(page, "space-detail-customer")


def test_a_signed_in_non_customer_gets_the_customers_only_page_without_the_content(
    page: Page, screenshot: Screenshot
) -> None:
    space = _private_space()
    outsider = MemberFactory(display_name="外部 太郎")

    LoginPage(page).open_and_sign_in(email=outsider.email, password=PASSWORD)
    space_page = SpacePage(page, space.slug).open()

    expect(space_page.denial).to_have_attribute("data-denial", "customers_only")
    expect(space_page.heading).to_have_text("カスタマー限定ラウンジ")
    expect(space_page.main).to_contain_text("導入企業の担当者が集まる場")
    screenshot(page, "customers-only")
    html = page.content()
    for hidden in (DESCRIPTION, RULES, "高橋 美咲"):
        assert hidden not in html
    expect(space_page.join_form).to_have_count(0)
