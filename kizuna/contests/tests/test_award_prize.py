"""The prize payment contests use (kizuna.gamification.services.award_prize) and how the
ledger's sweeps treat it."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kizuna.contests.tests.factories import ContestFactory
from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.selectors import get_balance, get_lifetime_points
from kizuna.gamification.services import award_prize, reverse_stale_awards
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_prize_is_paid_once_per_key_and_counts_towards_levels() -> None:
    member, contest = MemberFactory(), ContestFactory()
    for _attempt in range(2):
        award_prize(
            member=member, amount=250, source=contest, idempotency_key="prize:1", reason="1位"
        )
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.rule_id, entry.reason) == (
        EntryKind.AWARD,
        250,
        None,
        "1位",
    )
    assert (entry.source_type, entry.source_id) == ("contests.contest", contest.pk)
    assert get_balance(member) == 250
    assert get_lifetime_points(member) == 250


def test_a_prize_of_no_points_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least one point"):
        award_prize(
            member=MemberFactory(),
            amount=0,
            source=ContestFactory(),
            idempotency_key="k",
            reason="",
        )
    assert not LedgerEntry.objects.exists()


def test_recompute_and_the_stale_award_sweep_leave_prizes_alone() -> None:
    member = MemberFactory()
    award_prize(member=member, amount=300, source=ContestFactory(), idempotency_key="p", reason="")
    out = StringIO()
    call_command("recompute_points", stdout=out)
    assert out.getvalue() == "0 member(s) changed.\n"
    assert reverse_stale_awards() == 0
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [(EntryKind.AWARD, 300)]
    assert get_balance(member) == 300
