"""On a 375 px phone, numbers, dates and names stay on one line, and the header holds together.

An element has wrapped when its text is taller than one of its lines: the height of the text's
box (a Range over the element's contents) is compared with the element's line height.
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import PHONE, Screenshot
from e2e.pages import LoginPage, MfaPage, current_totp_code
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.tests.factories import give_points
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"
LONG_LATIN_NAME = "Alexandra Featherstonehaugh"

TEXT_HEIGHT = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const style = getComputedStyle(element);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.7;
  return {height: range.getBoundingClientRect().height, line: line, text: element.textContent};
}"""


def assert_one_line(elements: Locator, what: str) -> None:
    count = elements.count()
    assert count > 0, f"no {what} on the page"
    for index in range(count):
        box = elements.nth(index).evaluate(TEXT_HEIGHT)
        assert box["height"] < 1.5 * box["line"], (
            f"{what} {box['text']!r} wraps: {box['height']:.0f}px tall, one line is {box['line']:.0f}px"
        )


def assert_no_sideways_scroll(page: Page) -> None:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def staff_on_a_phone(new_page: Callable[..., Page]) -> tuple[Page, Member]:
    staff = StaffFactory(display_name="運営 管理者", staff_role="administrator")
    page = new_page(width=PHONE["width"], height=PHONE["height"])
    LoginPage(page).open_and_sign_in(email=staff.email, password=PASSWORD)
    mfa = MfaPage(page)
    expect(page).to_have_url(mfa.path)
    mfa.enter_code(current_totp_code(staff))
    expect(page).not_to_have_url(mfa.path)
    return page, staff


def test_the_detector_sees_a_date_that_wraps(new_page: Callable[..., Page]) -> None:
    page = new_page(width=PHONE["width"], height=PHONE["height"])
    page.set_content(
        '<p style="width: 4em; line-height: 1.7"><time>2026-12-05 14:05</time></p>'
        '<p style="line-height: 1.7"><time style="white-space: nowrap">2026-12-05 14:05</time></p>'
    )
    box = page.locator("time").first.evaluate(TEXT_HEIGHT)
    assert box["height"] >= 1.5 * box["line"]
    assert_one_line(page.locator("time").last, "date")


def test_numbers_dates_and_names_stay_on_one_line_on_a_phone(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    space = SpaceFactory(
        name="経費精算の運用を語る会", slug="expenses", access_type=AccessType.OPEN
    )
    leaders = [
        MemberFactory(display_name=LONG_LATIN_NAME),
        MemberFactory(display_name="長谷川 美智子", company_name="株式会社さくらロジスティクス"),
        MemberFactory(display_name="中村 大輔"),
    ]
    for points, member in zip((1_234_567, 98_765, 4_321), leaders, strict=True):
        MembershipFactory(space=space, member=member)
        give_points(member, points)
    question = PostFactory(
        space=space,
        author=leaders[1],
        title="交通費の精算で、定期区間を自動で差し引く設定はありますか？",
        reaction_count=12_345,
    )
    AnswerFactory(post=question, author=leaders[0])
    page, _ = staff_on_a_phone(new_page)

    page.goto(reverse("gamification:leaderboard"))
    assert_one_line(page.locator(".leaderboard td.numeric"), "leaderboard rank or points")
    assert_one_line(page.locator('.leaderboard td a[href^="/members/"]'), "leaderboard name")
    screenshot(page, "phone-leaderboard")
    assert_no_sideways_scroll(page)

    page.goto(reverse("content:post-detail", args=[question.pk]))
    assert_one_line(page.locator("main time"), "thread date")
    assert_one_line(page.locator("main .reaction-count"), "reaction count")
    screenshot(page, "phone-thread")
    assert_no_sideways_scroll(page)

    page.goto(reverse("identity:member-profile", args=[leaders[0].pk]))
    assert_one_line(page.locator("main .recognition-points"), "lifetime points")
    assert_one_line(page.locator("main time"), "profile date")
    screenshot(page, "phone-profile")
    assert_no_sideways_scroll(page)

    page.goto(reverse("staff:staff-members"))
    assert_one_line(page.locator('main td a[href^="/members/"]'), "member name")
    screenshot(page, "phone-staff-members")
    assert_no_sideways_scroll(page)


def test_the_header_holds_together_on_a_phone(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    page, _ = staff_on_a_phone(new_page)
    page.goto(reverse("spaces:space-list"))
    header = page.locator("header.site-header")
    toggle = header.locator("button.nav-toggle")
    main_nav = header.locator("nav.main-nav")
    # The navigation folds behind the menu button, which opens it.
    expect(main_nav).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(main_nav.locator('a[href="/spaces/"]')).to_be_visible()
    # Neither language button stacks its letters: 日本語 and English each sit on one line.
    assert_one_line(header.locator('button[name="language"]'), "language button")
    # The staff menu opens inside the folded navigation and links the audit log.
    header.locator("details.staff-menu > summary").click()
    expect(header.locator('a[href="/staff/audit/"]')).to_be_visible()
    screenshot(page, "phone-header-menu")
    assert_no_sideways_scroll(page)


def test_a_visitor_on_a_phone_signs_in_from_the_header(new_page: Callable[..., Page]) -> None:
    page = new_page(width=PHONE["width"], height=PHONE["height"])
    page.goto(reverse("spaces:space-list"))
    expect(page.locator("header .brand-name")).to_have_text(settings.KIZUNA_COMMUNITY_NAME)
    expect(page.locator('header a[href^="/accounts/login/"]')).to_be_visible()
    assert_no_sideways_scroll(page)


def test_a_visitor_sees_one_sign_up_button_at_each_width(new_page: Callable[..., Page]) -> None:
    page = new_page()
    page.goto(reverse("spaces:space-list"))
    sign_up = page.locator('header a[href="/accounts/signup/"]')
    expect(sign_up.locator("visible=true")).to_have_count(1)
    page.set_viewport_size(PHONE)
    expect(sign_up.locator("visible=true")).to_have_count(0)
    page.locator("header button.nav-toggle").click()
    expect(sign_up.locator("visible=true")).to_have_count(1)
