from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.mail import link_sent_to
from e2e.pages import ApplyPage, JoinRequestsPage, LoginPage, SpacePage
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, JoinRequest, Membership, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"
QUESTIONS = ["ご利用中のプランを教えてください", "このスペースで話したいことは？"]


def test_an_applicant_answers_the_questions_a_moderator_approves_and_the_applicant_gets_in(
    page: Page, new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    space = SpaceFactory(
        name="管理者ラウンドテーブル",
        slug="admin-roundtable",
        access_type=AccessType.APPLICATION,
        purpose="管理者同士で運用を語る場",
        description="四半期ごとの運用レビューの議事録はここにあります",
        join_questions=QUESTIONS,
    )
    applicant = MemberFactory(display_name="田中 一郎")
    moderator = MemberFactory(display_name="鈴木 次郎")
    MembershipFactory(space=space, member=moderator, role=SpaceRole.MODERATOR)

    LoginPage(page).open_and_sign_in(email=applicant.email, password=PASSWORD)
    space_page = SpacePage(page, space.slug).open()
    expect(space_page.denial).to_have_attribute("data-denial", "application_required")
    expect(space_page.main).not_to_contain_text("四半期ごとの運用レビュー")
    space_page.apply_link.click()
    apply = ApplyPage(page, space.slug)
    expect(page).to_have_url(apply.path)
    apply.answer(QUESTIONS[0], "エンタープライズプラン")
    apply.answer(QUESTIONS[1], "承認フローの設計について")
    screenshot(page, "apply")
    apply.submit()
    expect(space_page.denial).to_have_attribute("data-denial", "application_pending")
    space_page.sign_out()
    join_request = JoinRequest.objects.get(space=space, applicant=applicant)
    assert join_request.status == JoinRequest.Status.PENDING
    assert [item["answer"] for item in join_request.answers] == [
        "エンタープライズプラン",
        "承認フローの設計について",
    ]

    moderator_page = new_page()
    LoginPage(moderator_page).open_and_sign_in(email=moderator.email, password=PASSWORD)
    SpacePage(moderator_page, space.slug).open().requests_link.click()
    queue = JoinRequestsPage(moderator_page, space.slug)
    expect(moderator_page).to_have_url(queue.path)
    expect(queue.request_of("田中 一郎")).to_contain_text("承認フローの設計について")
    screenshot(moderator_page, "requests-queue")
    queue.approve("田中 一郎")
    expect(queue.approve_button("田中 一郎")).to_have_count(0)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by_id == moderator.pk

    # The applicant follows the link in the decision email and signs in again.
    link = link_sent_to(applicant.email, path_containing=space_page.path)
    page.goto(link)
    expect(space_page.denial).to_have_attribute("data-denial", "sign_in")
    space_page.sign_in_link.click()
    LoginPage(page).sign_in(email=applicant.email, password=PASSWORD)
    expect(page).to_have_url(space_page.path)
    expect(space_page.denial).to_have_count(0)
    expect(space_page.main).to_contain_text("四半期ごとの運用レビューの議事録はここにあります")
    expect(space_page.leave_form).to_be_visible()
    assert Membership.objects.filter(space=space, member=applicant).count() == 1
