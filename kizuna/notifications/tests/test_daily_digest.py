from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from kizuna.activity.models import Verb
from kizuna.content.models import ContentStatus, Follow, Post
from kizuna.identity.models import Member
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.services import fan_out_activity
from kizuna.notifications.tasks import send_daily_digests
from kizuna.notifications.tests.factories import (
    EnglishMemberFactory,
    make_answer,
    make_post,
    record,
)
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def follow_and_post(follower: Any, *, titles: list[str]) -> None:
    space = SpaceFactory()
    Follow.objects.create(member=follower, space=space)
    for title in titles:
        post = make_post(space=space, title=title)
        fan_out_activity(activity_id=record(post.author, Verb.POSTED, post).pk)


def test_followed_content_waits_for_the_digest() -> None:
    follower = EnglishMemberFactory()
    follow_and_post(follower, titles=["一つ目"])
    notification = Notification.objects.get()
    assert notification.email_channel == EmailChannel.DAILY_DIGEST
    assert mail.outbox == []


def test_the_digest_groups_a_members_notifications_in_one_email() -> None:
    follower: Member = EnglishMemberFactory()
    other: Member = EnglishMemberFactory()
    follow_and_post(follower, titles=["一つ目", "二つ目"])
    follow_and_post(other, titles=["三つ目"])
    NotificationPreference.objects.create(
        member=follower, kind=NotificationKind.REPLY, email=EmailChannel.DAILY_DIGEST
    )
    post = make_post(author=follower, title="私の質問")
    answerer = EnglishMemberFactory()
    fan_out_activity(
        activity_id=record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer)).pk
    )
    send_daily_digests.delay()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {follower.email, other.email}
    body = by_recipient[follower.email].body
    assert (
        by_recipient[follower.email].subject
        == f"[{settings.KIZUNA_COMMUNITY_NAME}] Your daily digest: 3 notifications"
    )
    assert body.index("## Replies to my posts and answers") < body.index("私の質問")
    assert body.index("## New posts and answers in what I follow") < body.index("一つ目")
    assert "二つ目" in body and "三つ目" not in body
    assert by_recipient[follower.email].extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_digest_is_sent_once() -> None:
    follow_and_post(EnglishMemberFactory(), titles=["一つ目"])
    send_daily_digests.delay()
    send_daily_digests.delay()
    assert len(mail.outbox) == 1


def test_the_digest_leaves_out_posts_hidden_since() -> None:
    follower = EnglishMemberFactory()
    follow_and_post(follower, titles=["見える", "隠された"])
    Post.objects.filter(title="隠された").update(status=ContentStatus.HIDDEN)
    send_daily_digests.delay()
    [message] = mail.outbox
    assert "見える" in message.body and "隠された" not in message.body
    assert Notification.objects.get(post__title="隠された").email_dropped_at is not None


def test_no_digest_when_the_kind_is_off() -> None:
    follower = EnglishMemberFactory()
    follow_and_post(follower, titles=["一つ目"])
    NotificationPreference.objects.create(
        member=follower, kind=NotificationKind.FOLLOWED, email=EmailChannel.OFF
    )
    send_daily_digests.delay()
    assert mail.outbox == []
