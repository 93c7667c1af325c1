"""A member finds others in the directory by challenge and level, and opens a profile."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, Screenshot
from e2e.pages import LoginPage
from e2e.pages.directory import DirectoryPage, MemberProfileSections
from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.content.models import PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.directory.tests.helpers import give_points
from kizuna.identity.models import Interest
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

PASSWORD = "correct horse battery staple"


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_a_member_searches_by_challenge_and_level_and_opens_a_profile(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    invoicing = Interest.objects.create(name="請求書発行")
    sso = Interest.objects.create(name="SSO連携")
    expert = MemberFactory(
        display_name="高橋 美咲",
        company_name="株式会社みらい商事",
        job_role="経理マネージャー",
        bio="請求業務の自動化を進めています。",
    )
    expert.interests.set([invoicing, sso])
    give_points(expert, 180)
    beginner = MemberFactory(display_name="中村 大輔", company_name="ひかり物流")
    beginner.interests.set([invoicing])
    MemberFactory(display_name="小川 理沙", job_role="情報システム").interests.set([sso])
    MemberFactory(display_name="非公開 太郎", listed_in_directory=False).interests.set([invoicing])
    BadgeAwardFactory(
        member=expert, badge=BadgeFactory(name_ja="ベストアンサー", name_en="Best answer")
    )
    open_space = SpaceFactory(name="経理の広場", access_type=AccessType.OPEN)
    private_space = SpaceFactory(name="顧客限定", access_type=AccessType.PRIVATE)
    PostFactory(
        space=open_space,
        author=expert,
        title="請求書の一括発行のコツ",
        post_type=PostType.CASE_STUDY,
    )
    AnswerFactory(
        post=PostFactory(
            space=open_space, author=beginner, title="月末締めの請求はどう運用していますか"
        ),
        author=expert,
    )
    PostFactory(space=private_space, author=expert, title="顧客限定の相談")
    viewer = MemberFactory(display_name="森 健一")

    page = new_page()
    LoginPage(page).open_and_sign_in(email=viewer.email, password=PASSWORD)
    directory = DirectoryPage(page)
    directory.navigation.locator('a[href="/members/"]').click()
    expect(page).to_have_url(directory.path)
    expect(directory.cards).to_have_count(4)
    expect(directory.main).not_to_contain_text("非公開 太郎")
    screenshot(page, "directory")

    directory.choose("challenge", "請求書発行")
    directory.choose("level", "シルバー")
    directory.search()
    expect(directory.cards).to_have_count(1)
    card = directory.card("高橋 美咲")
    expect(card).to_contain_text("株式会社みらい商事")
    expect(card.locator(".level-badge")).to_have_text("シルバー")
    screenshot(page, "directory-filtered")

    card.locator(".directory-name").click()
    expect(page).to_have_url(f"/members/{expert.pk}/")
    profile = MemberProfileSections(page)
    expect(profile.recognition.locator(".level-badge")).to_have_text("シルバー")
    expect(profile.recognition.locator(".recognition-points")).to_have_text("180")
    expect(profile.badges).to_contain_text("ベストアンサー")
    expect(profile.contributions).to_contain_text("請求書の一括発行のコツ")
    expect(profile.contributions).to_contain_text("月末締めの請求はどう運用していますか")
    expect(profile.contributions).not_to_contain_text("顧客限定の相談")
    screenshot(page, "profile-recognition")

    directory.open()
    directory.fill("q", "誰も該当しない名前")
    directory.search()
    expect(directory.cards).to_have_count(0)
    expect(directory.main.locator(".empty-state")).to_be_visible()
    screenshot(page, "directory-empty")

    phone = new_page(width=PHONE["width"], height=PHONE["height"])
    LoginPage(phone).open_and_sign_in(email=viewer.email, password=PASSWORD)
    DirectoryPage(phone).open()
    screenshot(phone, "phone-directory")
    assert _scroll_width(phone) <= PHONE["width"]
    phone.goto(f"/members/{expert.pk}/")
    screenshot(phone, "phone-profile-recognition")
    assert _scroll_width(phone) <= PHONE["width"]
