"""A notice for each badge a member is awarded, automatically or by staff with a reason."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kizuna.badges.models import Badge, BadgeKind
from kizuna.badges.services import award_badge, evaluate_badges_for, revoke_badge
from kizuna.badges.tests.factories import BadgeFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.notifications.emails import send_digest_email
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.selectors import describe_notification, recognition_note
from kizuna.notifications.tests.factories import EnglishMemberFactory

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff() -> Member:
    staff: Member = StaffFactory(display_name="Hana")
    return staff


def badge_notices(member: Member) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=member, kind=NotificationKind.BADGE_EARNED).order_by(
            "pk"
        )
    )


def test_an_automatic_badge_notifies_once(django_capture_on_commit_callbacks: Capture) -> None:
    Badge.objects.update(is_active=False)
    BadgeFactory(
        kind=BadgeKind.AUTOMATIC, criterion="one_year_member", name_en="Old friend", slug="old"
    )
    member = EnglishMemberFactory(date_joined=timezone.now() - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_badges_for(member=member)
        evaluate_badges_for(member=member)
    [notification] = badge_notices(member)
    assert notification.actor is None
    assert describe_notification(notification, is_post_visible=False) == (
        "You earned the “Old friend” badge"
    )


def test_a_staff_award_names_who_awarded_it_and_why(
    staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    badge = BadgeFactory(name_en="Helping hand", slug="helping-hand")
    member = EnglishMemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        award_badge(actor=staff, badge=badge, member=member, reason="Ran the Osaka meetup")
    [notification] = badge_notices(member)
    assert describe_notification(notification, is_post_visible=False) == (
        "Hana awarded you the “Helping hand” badge"
    )
    assert recognition_note(notification) == "Reason: Ran the Osaka meetup"


def test_a_badge_awarded_again_after_a_revocation_notifies_again(
    staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    badge = BadgeFactory()
    member = EnglishMemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        award_badge(actor=staff, badge=badge, member=member, reason="first")
    revoke_badge(actor=staff, badge=badge, member=member, reason="mistake")
    with django_capture_on_commit_callbacks(execute=True):
        award_badge(actor=staff, badge=badge, member=member, reason="second")
    assert [n.details["reason"] for n in badge_notices(member)] == ["first", "second"]


def test_a_rolled_back_award_notifies_nobody(
    staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    member = EnglishMemberFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        award_badge(actor=staff, badge=BadgeFactory(), member=member, reason="x")
        raise RuntimeError("the request failed after the award")
    assert badge_notices(member) == []


def test_badges_go_to_the_daily_digest_by_default_with_a_link_to_the_badge(
    staff: Member, django_capture_on_commit_callbacks: Capture
) -> None:
    member = EnglishMemberFactory()
    badge = BadgeFactory(name_en="Helping hand", slug="helping-hand")
    with django_capture_on_commit_callbacks(execute=True):
        award_badge(actor=staff, badge=badge, member=member, reason="x")
    [notification] = badge_notices(member)
    assert notification.email_channel == EmailChannel.DAILY_DIGEST
    assert mail.outbox == []
    assert send_digest_email(member_id=member.pk) == 1
    [message] = mail.outbox
    assert "Hana awarded you the “Helping hand” badge" in message.body
    assert "/badges/helping-hand/" in message.body
