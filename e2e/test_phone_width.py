from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, Screenshot
from e2e.pages import LoginPage, SpaceListPage, SpacePage
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_a_member_reads_the_space_pages_on_a_phone_without_sideways_scrolling(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    space = SpaceFactory(
        name="ワークフロー自動化コミュニティ",
        slug="workflow-automation",
        access_type=AccessType.OPEN,
        purpose="承認フローや定型業務の自動化事例を共有しましょう",
        description="毎週金曜日に事例紹介のスレッドを立てています。",
    )
    SpaceFactory(name="新機能フィードバック", slug="feedback", access_type=AccessType.APPLICATION)
    member = MemberFactory(display_name="小林 陽子")
    MembershipFactory(space=space, member=member)
    page = new_page(width=PHONE["width"], height=PHONE["height"])

    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    space_list = SpaceListPage(page).open()
    expect(space_list.space_link(space.name)).to_be_visible()
    screenshot(page, "phone-space-list")
    assert _scroll_width(page) <= PHONE["width"]

    space_page = SpacePage(page, space.slug).open()
    expect(space_page.main).to_contain_text("毎週金曜日に事例紹介のスレッドを立てています。")
    expect(space_page.leave_form).to_be_attached()
    screenshot(page, "phone-space-detail-member")
    assert _scroll_width(page) <= PHONE["width"]
