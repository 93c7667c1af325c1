from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.pages import LoginPage, ProfileEditPage, ProfilePage
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

PASSWORD = "correct horse battery staple"


def test_a_member_edits_their_profile_and_sees_it_on_their_profile_page(
    page: Page, screenshot: Screenshot
) -> None:
    member = MemberFactory(display_name="伊藤 さくら")

    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    profile = ProfilePage(page, member.pk).open()
    expect(profile.heading).to_have_text("伊藤 さくら")
    profile.edit_link.click()

    edit = ProfileEditPage(page)
    expect(page).to_have_url(edit.path)
    edit.fill("bio", "経理部で請求業務の自動化を担当しています。")
    edit.fill("company_name", "株式会社みらい商事")
    edit.fill("job_role", "経理マネージャー")
    screenshot(page, "profile-edit")
    edit.save()

    expect(page).to_have_url(profile.path)
    expect(profile.main).to_contain_text("経理部で請求業務の自動化を担当しています。")
    expect(profile.main).to_contain_text("株式会社みらい商事")
    screenshot(page, "profile")
    saved = Member.objects.get(pk=member.pk)
    assert (saved.bio, saved.company_name, saved.job_role) == (
        "経理部で請求業務の自動化を担当しています。",
        "株式会社みらい商事",
        "経理マネージャー",
    )
