from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.mail import link_sent_to
from e2e.pages import EmailConfirmPage, SignupPage, SpaceListPage
from kizuna.identity.models import Member
from kizuna.spaces.models import AccessType, Membership
from kizuna.spaces.tests.factories import SpaceFactory

PASSWORD = "a long and unusual passphrase 7"


def test_a_new_member_signs_up_verifies_their_email_and_joins_an_open_space(
    page: Page, screenshot: Screenshot
) -> None:
    space = SpaceFactory(
        name="請求業務の改善",
        slug="billing-improvement",
        access_type=AccessType.OPEN,
        purpose="請求書発行のコツを共有する場",
        description="毎月の締め処理を話し合うスペースです",
    )

    signup = SignupPage(page).open()
    screenshot(page, "signup")
    signup.sign_up(email="hanako@example.org", display_name="佐藤 花子", password=PASSWORD)
    expect(page).to_have_url("/accounts/confirm-email/")
    assert (
        not Member.objects.get(email="hanako@example.org")
        .emailaddress_set.filter(verified=True)
        .exists()
    )

    link = link_sent_to("hanako@example.org", path_containing="/accounts/confirm-email/")
    confirmation = EmailConfirmPage(page, link).open()
    confirmation.confirm()
    confirmation.expect_signed_in()

    space_list = SpaceListPage(page).open()
    screenshot(page, "space-list")
    space_page = space_list.open_space(space.name, space.slug)
    expect(space_page.heading).to_have_text(space.name)
    space_page.join()

    expect(space_page.join_form).to_have_count(0)
    expect(space_page.main).to_contain_text("毎月の締め処理を話し合うスペースです")
    expect(space_page.leave_form).to_be_visible()
    screenshot(page, "space-detail-member")
    space_page.open()
    expect(space_page.leave_form).to_be_visible()
    expect(space_page.join_form).to_have_count(0)
    member = Member.objects.get(email="hanako@example.org")
    assert member.display_name == "佐藤 花子"
    assert Membership.objects.filter(space=space, member=member, role="member").count() == 1
