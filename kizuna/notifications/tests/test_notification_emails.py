from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from kizuna.activity.models import Verb
from kizuna.content.models import ContentStatus
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.services import fan_out_activity as fan_out
from kizuna.notifications.tasks import fan_out_activity, send_notification_email
from kizuna.notifications.tests.factories import (
    EnglishMemberFactory,
    make_answer,
    make_post,
    record,
)
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def answer_and_fan_out(capture: Capture, **post_options: Any) -> Notification:
    post = make_post(**post_options)
    answerer = EnglishMemberFactory(display_name="Aoi")
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    with capture(execute=True):
        fan_out_activity.delay(activity.pk)
    return Notification.objects.get()


def unsubscribe_path(body: str) -> str:
    line = next(line for line in body.splitlines() if "/notifications/unsubscribe/" in line)
    return urlparse(line.split()[-1]).path


def test_the_email_names_the_answer_and_links_to_unsubscribe(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    notification = answer_and_fan_out(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == f"[{settings.KIZUNA_COMMUNITY_NAME}] Aoi answered “請求書の発行方法”"
    assert "設定画面から発行できます。" in message.body
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and "/notifications/unsubscribe/" in link
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message.body) == urlparse(link.strip("<>")).path
    assert notification.recipient.email in message.to


def test_the_email_is_in_the_recipients_language(
    django_capture_on_commit_callbacks: Capture, settings: Any
) -> None:
    settings.LANGUAGES = [("ja", "日本語"), ("en", "English")]
    author = EnglishMemberFactory(language="en")
    answer_and_fan_out(django_capture_on_commit_callbacks, author=author)
    assert "Stop these emails with one click" in mail.outbox[0].body


def test_one_click_unsubscribe_turns_that_kind_off(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    notification = answer_and_fan_out(django_capture_on_commit_callbacks)
    path = unsubscribe_path(mail.outbox[0].body)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(member=notification.recipient)
    assert (preference.kind, preference.email) == (NotificationKind.REPLY, EmailChannel.OFF)


def test_one_click_unsubscribe_needs_no_session_or_csrf_token(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    notification = answer_and_fan_out(django_capture_on_commit_callbacks)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_path(mail.outbox[0].body),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.filter(
        member=notification.recipient, email=EmailChannel.OFF
    ).exists()


def test_the_unsubscribe_link_asks_before_it_unsubscribes(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    answer_and_fan_out(django_capture_on_commit_callbacks)
    response = client.get(unsubscribe_path(mail.outbox[0].body))
    assert response.status_code == 200
    assert "Replies to my posts and answers" in response.content.decode()
    assert NotificationPreference.objects.count() == 0


def test_a_tampered_unsubscribe_link_is_rejected(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    answer_and_fan_out(django_capture_on_commit_callbacks)
    path = unsubscribe_path(mail.outbox[0].body)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    response = client.post(tampered)
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert NotificationPreference.objects.count() == 0


def test_no_email_when_the_kind_is_off(django_capture_on_commit_callbacks: Capture) -> None:
    author = EnglishMemberFactory()
    NotificationPreference.objects.create(
        member=author, kind=NotificationKind.REPLY, email=EmailChannel.OFF
    )
    notification = answer_and_fan_out(django_capture_on_commit_callbacks, author=author)
    assert notification.email_channel == EmailChannel.OFF
    assert mail.outbox == []


def test_no_email_when_the_kind_was_turned_off_before_sending(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fan_out_activity.delay(activity.pk)
    NotificationPreference.objects.create(
        member=post.author, kind=NotificationKind.REPLY, email=EmailChannel.OFF
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Notification.objects.get().email_dropped_at is not None


def test_no_email_when_the_answer_was_hidden_before_sending() -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    [notification_id] = fan_out(activity_id=activity.pk)
    post.answers.update(status=ContentStatus.HIDDEN)
    send_notification_email.delay(notification_id)
    assert mail.outbox == []
    assert Notification.objects.get().email_dropped_at is not None


def test_no_email_when_the_recipient_lost_access_to_the_space() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    author = EnglishMemberFactory()
    membership = MembershipFactory(space=space, member=author)
    answerer = EnglishMemberFactory()
    MembershipFactory(space=space, member=answerer)
    post = make_post(space=space, author=author)
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    [notification_id] = fan_out(activity_id=activity.pk)
    membership.delete()
    send_notification_email.delay(notification_id)
    assert mail.outbox == []


def test_sending_twice_sends_one_email(django_capture_on_commit_callbacks: Capture) -> None:
    notification = answer_and_fan_out(django_capture_on_commit_callbacks)
    send_notification_email.delay(notification.pk)
    assert len(mail.outbox) == 1
