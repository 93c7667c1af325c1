from datetime import UTC, datetime

import pytest

from kizuna.gamification.models import EntryKind, LedgerEntry, PointRule
from kizuna.gamification.selectors import get_balance, get_level_progress
from kizuna.gamification.services import (
    AwardContext,
    InsufficientPointsError,
    award_points,
    award_profile_completed,
    award_signed_up,
    refund_points,
    reverse_award,
    spend_points,
)
from kizuna.gamification.tests.helpers import assert_balances_match_ledger
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_award_pays_the_rule_points_once_per_key() -> None:
    member = MemberFactory()
    first = award_points(member=member, rule_key="answered", source=None, idempotency_key="k1")
    again = award_points(member=member, rule_key="answered", source=None, idempotency_key="k1")
    assert first is not None and again is not None
    assert first.pk == again.pk
    assert first.amount == 5
    assert get_balance(member) == 5
    assert LedgerEntry.objects.count() == 1
    assert_balances_match_ledger()


def test_inactive_rule_pays_nothing() -> None:
    member = MemberFactory()
    PointRule.objects.filter(key="answered").update(is_active=False)
    assert (
        award_points(member=member, rule_key="answered", source=None, idempotency_key="k") is None
    )
    assert get_balance(member) == 0


def test_daily_cap_stops_awards_for_the_rest_of_the_utc_day() -> None:
    member = MemberFactory()
    PointRule.objects.filter(key="asked_question").update(points=5, daily_cap=10)
    day = datetime(2026, 5, 1, 10, tzinfo=UTC)
    results = [
        award_points(
            member=member,
            rule_key="asked_question",
            source=None,
            idempotency_key=f"q{index}",
            occurred_at=day,
        )
        for index in range(3)
    ]
    assert [entry is not None for entry in results] == [True, True, False]
    next_day = award_points(
        member=member,
        rule_key="asked_question",
        source=None,
        idempotency_key="q-next",
        occurred_at=datetime(2026, 5, 2, 0, 1, tzinfo=UTC),
    )
    assert next_day is not None
    assert get_balance(member) == 15


def test_likes_from_the_same_member_stop_paying_after_three() -> None:
    author, fan, other = MemberFactory(), MemberFactory(), MemberFactory()
    paid = [
        award_points(
            member=author,
            rule_key="like_received",
            source=None,
            idempotency_key=f"like{index}",
            context=AwardContext(counterparty_id=fan.pk),
        )
        for index in range(4)
    ]
    assert [entry is not None for entry in paid] == [True, True, True, False]
    from_other = award_points(
        member=author,
        rule_key="like_received",
        source=None,
        idempotency_key="like-other",
        context=AwardContext(counterparty_id=other.pk),
    )
    assert from_other is not None
    assert get_balance(author) == 4


def test_self_award_with_self_counterparty_pays_nothing() -> None:
    member = MemberFactory()
    entry = award_points(
        member=member,
        rule_key="like_received",
        source=None,
        idempotency_key="self",
        context=AwardContext(counterparty_id=member.pk),
    )
    assert entry is None
    assert get_balance(member) == 0


def test_reversal_takes_points_back_once() -> None:
    member = MemberFactory()
    award_points(member=member, rule_key="answer_accepted", source=None, idempotency_key="a")
    first = reverse_award(idempotency_key="a", reason="hidden")
    again = reverse_award(idempotency_key="a", reason="hidden")
    assert first is not None and again is not None and first.pk == again.pk
    assert first.kind == EntryKind.REVERSAL and first.amount == -15
    assert get_balance(member) == 0
    assert reverse_award(idempotency_key="never", reason="x") is None
    assert_balances_match_ledger()


def test_spend_over_balance_is_refused_and_changes_nothing() -> None:
    member = MemberFactory()
    award_points(member=member, rule_key="event_spoke", source=None, idempotency_key="s")
    with pytest.raises(InsufficientPointsError) as error:
        spend_points(member=member, amount=51, idempotency_key="x", source=member, reason="r")
    assert "You need 51 points but have 50." in error.value.messages[0]
    assert get_balance(member) == 50
    assert LedgerEntry.objects.filter(kind=EntryKind.SPEND).count() == 0


def test_spend_and_refund_are_idempotent() -> None:
    member = MemberFactory()
    award_points(member=member, rule_key="event_spoke", source=None, idempotency_key="s")
    spend = spend_points(member=member, amount=30, idempotency_key="sp", source=member, reason="r")
    replay = spend_points(member=member, amount=30, idempotency_key="sp", source=member, reason="r")
    assert spend.pk == replay.pk and get_balance(member) == 20
    refund = refund_points(spend_key="sp", idempotency_key="rf", reason="rejected")
    refund_again = refund_points(spend_key="sp", idempotency_key="rf2", reason="rejected")
    assert refund.pk == refund_again.pk and refund.amount == 30
    assert get_balance(member) == 50
    assert_balances_match_ledger()


def test_level_progress_says_exactly_what_is_left() -> None:
    member = MemberFactory()
    award_points(member=member, rule_key="event_spoke", source=None, idempotency_key="s")
    progress = get_level_progress(member)
    assert progress.level is not None and progress.level.name_en == "Bronze"
    assert progress.next_level is not None and progress.next_level.name_en == "Silver"
    assert (progress.points, progress.points_to_next, progress.percent) == (50, 50, 50)


def test_spending_does_not_lower_the_level() -> None:
    member = MemberFactory()
    for index in range(2):
        award_points(member=member, rule_key="event_spoke", source=None, idempotency_key=f"{index}")
    spend_points(member=member, amount=100, idempotency_key="sp", source=member, reason="r")
    progress = get_level_progress(member)
    assert progress.level is not None and progress.level.name_en == "Silver"
    assert get_balance(member) == 0


def test_sign_up_and_profile_points_are_paid_once_per_member() -> None:
    member = MemberFactory()
    for _ in range(2):
        award_signed_up(member=member)
        award_profile_completed(member=member)
    assert get_balance(member) == 30
    assert LedgerEntry.objects.filter(member=member).count() == 2
