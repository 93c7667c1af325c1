"""A notice for each staff decision on a member's reward redemption, never for their own cancel."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.selectors import describe_notification, recognition_note
from kizuna.notifications.tests.factories import EnglishMemberFactory
from kizuna.rewards.models import Redemption, Reward
from kizuna.rewards.services import (
    approve_redemption,
    cancel_redemption,
    fulfil_redemption,
    redeem_reward,
    reject_redemption,
)
from kizuna.rewards.tests.factories import RewardFactory, give_points

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager() -> Member:
    staff: Member = StaffFactory(staff_role="community_manager", display_name="Ken")
    return staff


@pytest.fixture
def member() -> Member:
    member: Member = EnglishMemberFactory()
    give_points(member, 300)
    return member


@pytest.fixture
def reward() -> Reward:
    reward: Reward = RewardFactory(name="Coffee ticket", cost_points=120, requires_approval=True)
    return reward


@pytest.fixture
def requested(member: Member, reward: Reward) -> Redemption:
    return redeem_reward(member=member, reward=reward, idempotency_key="k1")


def sentences(member: Member) -> list[str]:
    return [
        describe_notification(notification, is_post_visible=False)
        for notification in Notification.objects.filter(
            recipient=member, kind=NotificationKind.REDEMPTION
        ).order_by("pk")
    ]


def test_approval_then_fulfilment_notify_each_with_the_note(
    manager: Member,
    member: Member,
    requested: Redemption,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        approve_redemption(actor=manager, redemption=requested)
        fulfil_redemption(actor=manager, redemption=requested, note="Sent by post on Monday")
    assert sentences(member) == [
        "Your request for “Coffee ticket” was approved",
        "Your reward “Coffee ticket” has been handed over",
    ]
    fulfilled = Notification.objects.get(recipient=member, details__status="fulfilled")
    assert fulfilled.actor == manager
    assert recognition_note(fulfilled) == "Note from the team: Sent by post on Monday"


def test_a_rejection_says_why_and_how_many_points_came_back(
    manager: Member,
    member: Member,
    requested: Redemption,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reject_redemption(actor=manager, redemption=requested, reason="Out of this design")
    [notification] = Notification.objects.filter(recipient=member)
    assert describe_notification(notification, is_post_visible=False) == (
        "Your request for “Coffee ticket” was declined; 120 points were returned to you"
    )
    assert recognition_note(notification) == "Reason: Out of this design"
    [message] = mail.outbox
    assert "120 points were returned to you" in message.body
    assert "Reason: Out of this design" in message.body
    assert "/rewards/mine/" in message.body


def test_the_members_own_cancellation_notifies_nobody(
    member: Member, requested: Redemption, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        cancel_redemption(member=member, redemption=requested)
    assert Notification.objects.count() == 0


def test_a_reward_without_approval_notifies_nothing_until_it_is_fulfilled(
    manager: Member, member: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    reward = RewardFactory(name="Sticker", cost_points=10, requires_approval=False)
    with django_capture_on_commit_callbacks(execute=True):
        redemption = redeem_reward(member=member, reward=reward, idempotency_key="k2")
    assert sentences(member) == []
    with django_capture_on_commit_callbacks(execute=True):
        fulfil_redemption(actor=manager, redemption=redemption)
    assert sentences(member) == ["Your reward “Sticker” has been handed over"]


def test_a_decision_that_rolls_back_notifies_nobody(
    manager: Member, requested: Redemption, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        approve_redemption(actor=manager, redemption=requested)
        raise RuntimeError("the request failed after the decision")
    assert Notification.objects.count() == 0


def test_decisions_are_emailed_at_once_unless_the_member_chose_the_digest(
    manager: Member,
    member: Member,
    requested: Redemption,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    NotificationPreference.objects.create(
        member=member, kind=NotificationKind.REDEMPTION, email=EmailChannel.DAILY_DIGEST
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_redemption(actor=manager, redemption=requested)
    notification = Notification.objects.get(recipient=member)
    assert notification.email_channel == EmailChannel.DAILY_DIGEST
    assert mail.outbox == []
