"""A contest runs from opening to winner spotlight: staff create and open it, members enter
and vote, staff close it and announce the winner, and the home page shows them."""

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.conftest import Screenshot
from e2e.pages import LoginPage, MfaPage, current_totp_code
from e2e.pages.contests import (
    ContestFormPage,
    ContestListPage,
    ContestPage,
    HomePage,
    ManageContestPage,
)
from kizuna.contests.models import Contest, ContestState
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

PASSWORD = "correct horse battery staple"


def sign_in(page: Page, member: Member) -> None:
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)


def sign_in_staff(page: Page, staff: Member) -> None:
    login = LoginPage(page).open()
    login.sign_in(email=staff.email, password=PASSWORD)
    mfa = MfaPage(page)
    expect(page).to_have_url(mfa.path)
    mfa.enter_code(current_totp_code(staff))
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/"))


def test_a_contest_runs_from_opening_to_winner_spotlight(
    new_page: Callable[..., Page], screenshot: Screenshot, settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    staff = StaffFactory(display_name="運営 佐藤", staff_role="community_manager")
    winner = MemberFactory(display_name="山田 花子", bio="経理部で請求書発行を担当しています。")
    runner_up = MemberFactory(display_name="鈴木 一郎")
    voter = MemberFactory(display_name="田中 美咲")

    # Staff create the contest as a draft, then open it at once.
    staff_page = new_page()
    sign_in_staff(staff_page, staff)
    form = ContestFormPage(staff_page).open()
    now = timezone.localtime()
    form.fill(
        title="ベストプロフィール賞 2026年春",
        description="写真と自己紹介で**あなたらしさ**を伝えてください。投票で1名を選びます。",
        kind="best_profile",
        judging="member_vote",
        opens_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        closes_at=(now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        winners=1,
        points=300,
    )
    screenshot(staff_page, "contest-staff-form")
    form.save()
    expect(staff_page).to_have_url(re.compile(r"/contests/manage/\d+/$"))
    manage = ManageContestPage.current(staff_page)
    contest = Contest.objects.get(pk=manage.pk)
    assert contest.state == ContestState.DRAFT
    screenshot(staff_page, "contest-staff-draft")
    manage.act("open")
    expect(
        manage.main.locator(f'form[action="/contests/manage/{manage.pk}/close/"]')
    ).to_be_visible()

    # Members find it in the list, enter, and vote; nobody can vote for themselves.
    winner_page = new_page()
    sign_in(winner_page, winner)
    contests = ContestListPage(winner_page).open()
    screenshot(winner_page, "contest-list")
    contests.contest_link("ベストプロフィール賞 2026年春").click()
    contest_page = ContestPage(winner_page, manage.pk)
    expect(winner_page).to_have_url(contest_page.path)
    contest_page.enter("請求書発行の自動化で月末の残業がなくなった話をプロフィールに書きました。")
    expect(contest_page.withdraw_button).to_be_visible()

    runner_up_page = new_page()
    sign_in(runner_up_page, runner_up)
    runner_up_contest = ContestPage(runner_up_page, manage.pk).open()
    runner_up_contest.enter("API連携の設定手順をまとめています。")
    expect(runner_up_contest.entries).to_have_count(2)
    expect(runner_up_contest.entry_by("鈴木 一郎").locator("form")).to_have_count(0)
    runner_up_contest.vote_for("山田 花子")

    voter_page = new_page()
    sign_in(voter_page, voter)
    voter_contest = ContestPage(voter_page, manage.pk).open()
    voter_contest.vote_for("鈴木 一郎")
    # Changing one's mind moves the one vote.
    voter_contest.vote_for("山田 花子")
    expect(voter_contest.entry_by("山田 花子")).to_have_class(re.compile("contest-entry-voted"))
    expect(voter_contest.main.locator(".contest-entry-votes")).to_have_count(0)
    screenshot(voter_page, "contest-open-voting")

    # Staff close the contest, read the votes and announce the winner.
    manage.open()
    manage.act("close")
    expect(manage.vote_ranking).to_have_count(1)
    expect(manage.vote_ranking.first).to_contain_text("山田 花子")
    manage.act("announce")
    expect(manage.main.locator(".contest-winner")).to_contain_text("山田 花子")
    screenshot(staff_page, "contest-staff-announced")
    assert get_balance(winner) == 300
    assert get_balance(runner_up) == 0

    # Anyone sees the winner on the contest page and in the home page's spotlight.
    visitor = new_page()
    results = ContestPage(visitor, manage.pk).open()
    expect(results.winners).to_have_count(1)
    expect(results.winners.first).to_contain_text("山田 花子")
    expect(results.entry_by("山田 花子").locator(".contest-entry-votes")).to_be_visible()
    screenshot(visitor, "contest-results")
    home = HomePage(visitor).open()
    expect(home.spotlight).to_contain_text("ベストプロフィール賞 2026年春")
    expect(home.spotlight.locator(".contest-winner")).to_contain_text("山田 花子")
    screenshot(visitor, "contest-home-spotlight")
    home.spotlight.locator(f'a[href="{results.path}"]').click()
    expect(visitor).to_have_url(results.path)
