"""The sweep makes the recognition notices whose after-commit call died with its process."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kizuna.badges.models import BadgeAward
from kizuna.badges.services import award_badge
from kizuna.badges.tests.factories import BadgeFactory
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.services import adjust_points
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.notifications.tasks import requeue_unsent_notification_emails
from kizuna.notifications.tests.factories import EnglishMemberFactory
from kizuna.rewards.models import Redemption
from kizuna.rewards.services import approve_redemption, redeem_reward
from kizuna.rewards.tests.factories import RewardFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff() -> Member:
    staff: Member = StaffFactory(staff_role="community_manager")
    return staff


def kinds(member: Member) -> list[str]:
    return list(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def minutes_ago(minutes: int) -> datetime:
    return timezone.now() - timedelta(minutes=minutes)


# In these tests the after-commit calls never run (no capture of on_commit callbacks):
# exactly the notices a process that died after its commit would have lost.


def test_the_sweep_announces_a_level_whose_notice_was_lost(staff: Member) -> None:
    member = EnglishMemberFactory()
    adjust_points(actor=staff, member=member, amount=150, idempotency_key="lost", reason="x")
    LedgerEntry.objects.filter(member=member).update(created_at=minutes_ago(15))
    requeue_unsent_notification_emails.delay()
    requeue_unsent_notification_emails.delay()
    assert kinds(member) == [NotificationKind.LEVEL_UP]


def test_the_sweep_makes_a_lost_badge_notice_once(staff: Member) -> None:
    member = EnglishMemberFactory()
    award_badge(actor=staff, badge=BadgeFactory(), member=member, reason="x")
    BadgeAward.objects.filter(member=member).update(created_at=minutes_ago(15))
    requeue_unsent_notification_emails.delay()
    requeue_unsent_notification_emails.delay()
    assert kinds(member) == [NotificationKind.BADGE_EARNED]


def test_the_sweep_makes_a_lost_redemption_decision_notice(staff: Member) -> None:
    member = EnglishMemberFactory()
    adjust_points(actor=staff, member=member, amount=50, idempotency_key="seed", reason="x")
    reward = RewardFactory(cost_points=50, requires_approval=True)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="k")
    approve_redemption(actor=staff, redemption=redemption)
    Redemption.objects.filter(pk=redemption.pk).update(decided_at=minutes_ago(15))
    requeue_unsent_notification_emails.delay()
    assert kinds(member) == [NotificationKind.REDEMPTION]


def test_the_sweep_leaves_recent_awards_to_their_own_call(staff: Member) -> None:
    member = EnglishMemberFactory()
    award_badge(actor=staff, badge=BadgeFactory(), member=member, reason="x")
    BadgeAward.objects.filter(member=member).update(created_at=minutes_ago(2))
    requeue_unsent_notification_emails.delay()
    assert kinds(member) == []


def test_the_sweep_does_not_announce_a_level_reached_long_ago(staff: Member) -> None:
    member = EnglishMemberFactory()
    adjust_points(actor=staff, member=member, amount=150, idempotency_key="old", reason="x")
    LedgerEntry.objects.filter(member=member).update(created_at=minutes_ago(60 * 24))
    adjust_points(actor=staff, member=member, amount=10, idempotency_key="new", reason="x")
    LedgerEntry.objects.filter(idempotency_key="new").update(created_at=minutes_ago(15))
    requeue_unsent_notification_emails.delay()
    assert kinds(member) == []
