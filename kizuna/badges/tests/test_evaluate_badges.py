from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from kizuna.badges.models import Badge, BadgeAward
from kizuna.badges.tasks import evaluate_all_badges, evaluate_badges
from kizuna.content.models import Post, PostType
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _ask(member: Member) -> None:
    Post.objects.create(
        space=SpaceFactory(), author=member, post_type=PostType.QUESTION, title="質問", body="本文"
    )


def _slugs(member: Member) -> set[str]:
    return set(BadgeAward.objects.filter(member=member).values_list("badge__slug", flat=True))


def test_evaluate_awards_earned_automatic_badges() -> None:
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=400))
    _ask(member)
    assert evaluate_badges(member.pk) == 2
    assert _slugs(member) == {"first-question", "one-year-member"}
    award = BadgeAward.objects.get(member=member, badge__slug="first-question")
    assert award.awarded_by is None


def test_evaluate_twice_awards_once() -> None:
    member = MemberFactory()
    _ask(member)
    assert evaluate_badges(member.pk) == 1
    assert evaluate_badges(member.pk) == 0
    assert BadgeAward.objects.filter(member=member).count() == 1


def test_evaluate_skips_inactive_badges_and_members() -> None:
    Badge.objects.filter(slug="first-question").update(is_active=False)
    member = MemberFactory()
    _ask(member)
    inactive = MemberFactory(is_active=False)
    _ask(inactive)
    assert evaluate_badges(member.pk) == 0
    assert evaluate_badges(inactive.pk) == 0
    assert not BadgeAward.objects.exists()


def test_sweep_evaluates_every_active_member_and_is_idempotent() -> None:
    askers = [MemberFactory() for _ in range(3)]
    for member in askers:
        _ask(member)
    MemberFactory()  # nothing earned
    assert evaluate_all_badges() == 3
    assert evaluate_all_badges() == 0
    assert BadgeAward.objects.filter(badge__slug="first-question").count() == 3


def test_management_command_runs_the_sweep() -> None:
    member = MemberFactory()
    _ask(member)
    call_command("evaluate_badges")
    assert _slugs(member) == {"first-question"}


def test_the_sweep_is_on_the_beat_schedule() -> None:

    entry = settings.CELERY_BEAT_SCHEDULE["badges-evaluate-all"]
    assert entry["task"] == "kizuna.badges.tasks.evaluate_all_badges"
