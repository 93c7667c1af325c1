from collections.abc import Callable

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


def test_a_member_hides_their_company_and_another_member_no_longer_sees_it(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    owner = MemberFactory(display_name="松本 由美", company_name="株式会社つばさ製作所")
    other = MemberFactory(display_name="井上 翔")
    other_page = new_page()
    LoginPage(other_page).open_and_sign_in(email=other.email, password=PASSWORD)
    owner_profile = ProfilePage(other_page, owner.pk).open()
    expect(owner_profile.main).to_contain_text("株式会社つばさ製作所")

    page = new_page()
    LoginPage(page).open_and_sign_in(email=owner.email, password=PASSWORD)
    edit = ProfileEditPage(page).open()
    edit.form.locator('[name="shows_company"]').uncheck()
    screenshot(page, "profile-edit-privacy")
    edit.save()
    expect(page).to_have_url(ProfilePage(page, owner.pk).path)
    expect(page.locator("main")).to_contain_text("株式会社つばさ製作所")  # the owner still sees it
    assert not Member.objects.get(pk=owner.pk).shows_company

    owner_profile.open()
    expect(owner_profile.main).to_contain_text("松本 由美")
    expect(owner_profile.main).not_to_contain_text("株式会社つばさ製作所")
    screenshot(other_page, "profile-company-hidden")
    other_page.goto("/members/?company=つばさ")
    expect(other_page.locator("main .directory-card")).to_have_count(0)
