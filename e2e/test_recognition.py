"""Recognition journeys: points and the level bar move when an answer is accepted; a reward
is redeemed, approved and fulfilled by staff, and the member sees each step."""

import re
from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.conftest import Screenshot
from e2e.pages import LoginPage, MfaPage, current_totp_code
from e2e.pages.recognition import (
    MyRecognitionPage,
    MyRedemptionsPage,
    QuestionThreadPage,
    RedemptionQueuePage,
    RewardsCatalogPage,
)
from kizuna.content.tests.factories import PostFactory
from kizuna.gamification.models import PointRule
from kizuna.gamification.selectors import get_balance, list_levels, progress_for_points
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.models import Redemption, RedemptionStatus, RewardKind
from kizuna.rewards.tests.factories import RewardFactory, give_points
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"
STARTING_POINTS = 40


def sign_in(new_page: Callable[..., Page], email: str) -> Page:
    page = new_page()
    LoginPage(page).open_and_sign_in(email=email, password=PASSWORD)
    return page


def test_an_accepted_answer_moves_the_answerers_points_and_level_bar(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    # Transactional tests empty every table between tests, the default rules and levels too.
    space = SpaceFactory(name="経理担当者の広場", slug="accounting")
    asker = MemberFactory(display_name="山田 花子")
    answerer = MemberFactory(display_name="佐藤 次郎")
    for member in (asker, answerer):
        MembershipFactory(space=space, member=member)
    question = PostFactory(
        space=space,
        author=asker,
        title="請求書の宛名を後から変更できますか？",
        body="発行済みの請求書の宛名を変更したいです。",
    )
    give_points(answerer, STARTING_POINTS)
    levels = list_levels()
    before = progress_for_points(STARTING_POINTS, levels)
    expected = (
        STARTING_POINTS
        + PointRule.objects.get(key="answered").points
        + PointRule.objects.get(key="answer_accepted").points
    )
    after = progress_for_points(expected, levels)
    assert after.level == before.level and after.percent > before.percent

    answerer_page = sign_in(new_page, answerer.email)
    recognition = MyRecognitionPage(answerer_page).open()
    expect(recognition.points).to_have_text(str(STARTING_POINTS))
    expect(recognition.progress_bar).to_have_attribute("aria-valuenow", str(before.percent))
    screenshot(answerer_page, "recognition-before-answer")

    thread_path = reverse("content:post-detail", args=[question.pk])
    answerer_thread = QuestionThreadPage(answerer_page, thread_path).open()
    answerer_thread.answer(
        "「請求」タブで請求書を開き、「宛名を変更して再発行」を押すと変更できます。"
    )
    expect(answerer_thread.answers).to_have_count(1)

    asker_page = sign_in(new_page, asker.email)
    asker_thread = QuestionThreadPage(asker_page, thread_path).open()
    answer = asker_thread.answers.first
    asker_thread.accept_button(answer).click()
    expect(asker_thread.accepted_mark(answer)).to_be_visible()
    screenshot(asker_page, "recognition-answer-accepted")

    recognition.open()
    expect(recognition.points).to_have_text(str(expected))
    expect(recognition.progress_bar).to_have_attribute("aria-valuenow", str(after.percent))
    expect(recognition.main).to_contain_text(str(after.points_to_next))
    # The starting adjustment, the answer and the accepted answer.
    expect(recognition.ledger_rows).to_have_count(3)
    screenshot(answerer_page, "recognition-after-accept")


def test_a_member_redeems_a_reward_and_staff_approve_and_fulfil_it(
    new_page: Callable[..., Page], screenshot: Screenshot, settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    member = MemberFactory(display_name="田中 一郎")
    staff = StaffFactory(display_name="小林 さくら", staff_role="community_manager")
    give_points(member, 400)
    RewardFactory(name="コーヒーチケット（500円分）", cost_points=100, stock=50)
    seat = RewardFactory(
        name="ユーザーカンファレンス プレミアムシート",
        kind=RewardKind.PREMIUM_EVENT_SEAT,
        cost_points=150,
        stock=5,
        per_member_limit=1,
        requires_approval=True,
    )

    member_page = sign_in(new_page, member.email)
    catalog = RewardsCatalogPage(member_page).open()
    expect(catalog.balance).to_have_text("400")
    screenshot(member_page, "rewards-catalog")
    catalog.redeem(seat.name)

    mine = MyRedemptionsPage(member_page)
    expect(member_page).to_have_url(re.compile(f"{mine.path}$"))
    expect(mine.row(seat.name)).to_have_class(re.compile(r"\bredemption-requested\b"))
    screenshot(member_page, "rewards-requested")
    catalog.open()
    expect(catalog.balance).to_have_text("250")

    staff_page = new_page()
    queue = RedemptionQueuePage(staff_page)
    LoginPage(staff_page).open_and_sign_in(email=staff.email, password=PASSWORD)
    MfaPage(staff_page).enter_code(current_totp_code(staff))
    expect(staff_page).not_to_have_url(re.compile(r"/accounts/2fa/"))
    queue.open()
    expect(queue.status_filter).to_have_value(RedemptionStatus.REQUESTED)
    expect(queue.item(member.display_name)).to_be_visible()
    screenshot(staff_page, "rewards-queue-requested")
    queue.approve(member.display_name)
    expect(queue.item(member.display_name)).to_have_count(0)

    queue.show_status(RedemptionStatus.APPROVED)
    expect(queue.item(member.display_name)).to_be_visible()
    queue.fulfil(member.display_name, "当日は受付でお名前をお伝えください。")
    queue.show_status(RedemptionStatus.FULFILLED)
    expect(queue.item(member.display_name)).to_contain_text("当日は受付でお名前をお伝えください。")
    screenshot(staff_page, "rewards-queue-fulfilled")

    mine.open()
    row = mine.row(seat.name)
    expect(row).to_have_class(re.compile(r"\bredemption-fulfilled\b"))
    expect(row).to_contain_text("当日は受付でお名前をお伝えください。")
    screenshot(member_page, "rewards-fulfilled")
    redemption = Redemption.objects.get(member=member)
    assert redemption.status == RedemptionStatus.FULFILLED
    assert redemption.decided_by == staff
    assert get_balance(member) == 250
    seat.refresh_from_db()
    assert seat.stock == 4
