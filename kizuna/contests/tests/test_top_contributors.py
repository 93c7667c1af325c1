from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.contests import services
from kizuna.contests.models import ContestKind, Winner
from kizuna.contests.selectors import top_contributors
from kizuna.contests.tests.factories import ContestFactory, close
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import (
    award_points,
    award_prize,
    reverse_award,
    set_leaderboard_visibility,
)
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_candidates_are_ranked_by_activity_points_earned_inside_the_window() -> None:
    contest = ContestFactory(kind=ContestKind.TOP_CONTRIBUTORS)
    inside = contest.opens_at + timedelta(hours=1)
    busy, steady, prized, before, opted_out = MemberFactory.create_batch(5)
    for number in range(3):
        award_points(
            member=busy,
            rule_key="answered",
            source=None,
            idempotency_key=f"b{number}",
            occurred_at=inside,
        )
    award_points(
        member=steady, rule_key="answered", source=None, idempotency_key="s", occurred_at=inside
    )
    # A reversed award no longer counts.
    award_points(
        member=steady, rule_key="answered", source=None, idempotency_key="s2", occurred_at=inside
    )
    reverse_award(idempotency_key="s2", reason="removed")
    award_prize(member=prized, amount=500, source=contest, idempotency_key="p", reason="")
    award_points(
        member=before,
        rule_key="answered",
        source=None,
        idempotency_key="x",
        occurred_at=contest.opens_at - timedelta(minutes=1),
    )
    award_points(
        member=opted_out,
        rule_key="answered",
        source=None,
        idempotency_key="o",
        occurred_at=inside,
    )
    set_leaderboard_visibility(member=opted_out, show=False)

    ranking = [(candidate.member, candidate.score) for candidate in top_contributors(contest)]
    assert ranking == [(busy, 15), (steady, 5)]


def test_staff_confirm_top_contributors_and_they_are_paid() -> None:
    manager = StaffFactory(staff_role="community_manager")
    contest = ContestFactory(kind=ContestKind.TOP_CONTRIBUTORS, points_per_winner=50)
    member = MemberFactory()
    award_points(
        member=member,
        rule_key="answered",
        source=None,
        idempotency_key="a",
        occurred_at=timezone.now() - timedelta(minutes=5),
    )
    close(contest)
    services.choose_winners(actor=manager, contest=contest, member_ids=[member.pk])
    services.announce_winners(actor=manager, contest=contest)
    assert list(Winner.objects.values_list("member_id", "score")) == [(member.pk, 5)]
    assert get_balance(member) == 55
