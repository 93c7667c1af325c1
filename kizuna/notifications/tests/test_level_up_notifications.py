"""A notice when a member's earned points reach a new level: once per level, never going down."""

import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections, transaction

from kizuna.gamification.models import PointRule
from kizuna.gamification.services import adjust_points, award_points, reverse_award
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.selectors import describe_notification
from kizuna.notifications.tests.factories import EnglishMemberFactory

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

# The levels are the migration's: Bronze 0, Silver 100, Gold 500, Platinum 1500.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def member() -> Member:
    member: Member = EnglishMemberFactory()
    return member


@pytest.fixture
def staff() -> Member:
    staff: Member = StaffFactory()
    return staff


def change_points(member: Member, amount: int, *, staff: Member, capture: Capture) -> None:
    """Move the member's earned points through the ledger and run what waits for the commit."""
    with capture(execute=True):
        adjust_points(
            actor=staff,
            member=member,
            amount=amount,
            idempotency_key=f"test:{uuid.uuid4().hex}",
            reason="test",
        )


def level_notices(member: Member) -> list[str]:
    return [
        str(notification.details["level_name_en"])
        for notification in Notification.objects.filter(
            recipient=member, kind=NotificationKind.LEVEL_UP
        ).order_by("pk")
    ]


def test_crossing_one_threshold_announces_that_level(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 120, staff=staff, capture=django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=member, kind=NotificationKind.LEVEL_UP)
    assert notification.target_type == "level"
    assert describe_notification(notification, is_post_visible=False) == (
        "You reached the Silver level"
    )


def test_crossing_two_thresholds_at_once_announces_only_the_highest(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 600, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == ["Gold"]


def test_points_within_a_level_announce_nothing(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 20, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, 30, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == []


def test_each_new_level_is_announced_as_it_is_reached(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 150, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, 400, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == ["Silver", "Gold"]


def test_falling_back_and_climbing_again_does_not_announce_the_level_twice(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 150, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, -100, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, 100, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == ["Silver"]


def test_a_reversed_award_paid_again_announces_nothing_new(
    member: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    PointRule.objects.create(key="test_big_award", points=150)
    with django_capture_on_commit_callbacks(execute=True):
        award_points(member=member, rule_key="test_big_award", source=None, idempotency_key="first")
        # A replay of the same action pays nothing and announces nothing.
        award_points(member=member, rule_key="test_big_award", source=None, idempotency_key="first")
        reverse_award(idempotency_key="first", reason="content removed")
        award_points(member=member, rule_key="test_big_award", source=None, idempotency_key="again")
    assert level_notices(member) == ["Silver"]


def test_going_down_announces_nothing_and_a_lower_level_is_not_announced_after_a_higher_one(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 600, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, -550, staff=staff, capture=django_capture_on_commit_callbacks)
    change_points(member, 100, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == ["Gold"]


def test_a_rolled_back_award_announces_nothing(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        adjust_points(actor=staff, member=member, amount=600, idempotency_key="gone", reason="test")
        raise RuntimeError("the request failed after the award")
    assert callbacks == []
    assert level_notices(member) == []


def test_the_level_up_is_emailed_at_once_by_default(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    change_points(member, 120, staff=staff, capture=django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == f"[{settings.KIZUNA_COMMUNITY_NAME}] You reached the Silver level"
    assert "/recognition/me/" in message.body
    assert "Space:" not in message.body


def test_no_email_when_the_member_turned_level_emails_off(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    NotificationPreference.objects.create(
        member=member, kind=NotificationKind.LEVEL_UP, email=EmailChannel.OFF
    )
    change_points(member, 120, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == ["Silver"]
    assert mail.outbox == []


def test_an_inactive_member_is_not_notified(
    member: Member, staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    Member.objects.filter(pk=member.pk).update(is_active=False)
    change_points(member, 120, staff=staff, capture=django_capture_on_commit_callbacks)
    assert level_notices(member) == []


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_only_the_committed_award_announces_a_level() -> None:
    member, staff = EnglishMemberFactory(), StaffFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        adjust_points(actor=staff, member=member, amount=600, idempotency_key="gone", reason="x")
        raise RuntimeError("the request failed after the award")
    assert level_notices(member) == []
    adjust_points(actor=staff, member=member, amount=120, idempotency_key="kept", reason="x")
    assert level_notices(member) == ["Silver"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_awards_announce_each_level_at_most_once() -> None:
    member, staff = EnglishMemberFactory(), StaffFactory()
    barrier = threading.Barrier(12)

    def award(index: int) -> None:
        try:
            barrier.wait()
            adjust_points(
                actor=staff, member=member, amount=50, idempotency_key=f"t{index}", reason="x"
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    notices = level_notices(member)
    # 600 points: Gold is always announced; Silver too unless Gold's notice came first.
    assert notices in (["Silver", "Gold"], ["Gold"])
