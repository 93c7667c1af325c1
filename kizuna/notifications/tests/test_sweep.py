from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.notifications.models import Notification
from kizuna.notifications.services import fan_out_activity
from kizuna.notifications.tasks import requeue_unsent_notification_emails
from kizuna.notifications.tests.factories import (
    EnglishMemberFactory,
    make_answer,
    make_post,
    record,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def unsent_answer_notification(*, minutes_ago: int) -> Notification:
    """A notification whose email task was lost with its worker."""
    post = make_post()
    answerer = EnglishMemberFactory()
    fan_out_activity(
        activity_id=record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer)).pk
    )
    notification = Notification.objects.get(post=post)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return notification


def test_the_sweep_sends_immediate_emails_left_unsent() -> None:
    notification = unsent_answer_notification(minutes_ago=11)
    requeue_unsent_notification_emails.delay()
    assert [message.to for message in mail.outbox] == [[notification.recipient.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_sweep_leaves_recent_ones_to_their_task() -> None:
    unsent_answer_notification(minutes_ago=2)
    requeue_unsent_notification_emails.delay()
    assert mail.outbox == []


def test_the_sweep_does_not_resend() -> None:
    unsent_answer_notification(minutes_ago=11)
    requeue_unsent_notification_emails.delay()
    requeue_unsent_notification_emails.delay()
    assert len(mail.outbox) == 1


def test_the_sweep_fans_out_activities_a_killed_worker_left() -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    Activity.objects.filter(pk=activity.pk).update(
        occurred_at=timezone.now() - timedelta(minutes=15)
    )
    requeue_unsent_notification_emails.delay()
    assert Notification.objects.filter(recipient=post.author).count() == 1
