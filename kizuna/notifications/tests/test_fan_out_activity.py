from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from kizuna.activity.models import Verb
from kizuna.content.models import ContentStatus, Follow, Tag
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.services import fan_out_activity
from kizuna.notifications.tasks import fan_out_activity as fan_out_task
from kizuna.notifications.tests.factories import (
    EnglishMemberFactory,
    make_answer,
    make_comment,
    make_post,
    notified,
    record,
)
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_an_answer_notifies_the_post_author_as_a_reply() -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {(post.author_id, NotificationKind.REPLY)}
    notification = Notification.objects.get()
    assert (notification.actor_id, notification.post_id) == (answerer.pk, post.pk)
    assert (notification.target_type, notification.activity_id) == ("answer", activity.pk)


def test_a_comment_on_an_answer_notifies_the_answer_author() -> None:
    post = make_post()
    answer = make_answer(post=post)
    commenter = EnglishMemberFactory()
    activity = record(
        commenter, Verb.COMMENTED, make_comment(post=post, answer=answer, author=commenter)
    )
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {(answer.author_id, NotificationKind.REPLY)}


def test_a_comment_on_a_post_notifies_the_post_author() -> None:
    post = make_post()
    commenter = EnglishMemberFactory()
    activity = record(commenter, Verb.COMMENTED, make_comment(post=post, author=commenter))
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {(post.author_id, NotificationKind.REPLY)}


def test_accepting_an_answer_notifies_its_author() -> None:
    post = make_post()
    answer = make_answer(post=post)
    post.accepted_answer = answer
    post.save()
    activity = record(post.author, Verb.ACCEPTED, answer)
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {(answer.author_id, NotificationKind.ACCEPTED)}


def test_accepting_recorded_on_the_post_notifies_the_accepted_answers_author() -> None:
    post = make_post()
    answer = make_answer(post=post)
    post.accepted_answer = answer
    post.save()
    fan_out_activity(activity_id=record(post.author, Verb.ACCEPTED, post).pk)
    assert notified() == {(answer.author_id, NotificationKind.ACCEPTED)}


def test_a_mention_in_a_comment_notifies_the_mentioned_member() -> None:
    post = make_post()
    mentioned, commenter = EnglishMemberFactory(), EnglishMemberFactory()
    comment = make_comment(post=post, author=commenter)
    fan_out_activity(
        activity_id=record(commenter, Verb.COMMENTED, comment, mentioned=[mentioned.pk]).pk
    )
    assert notified() == {
        (post.author_id, NotificationKind.REPLY),
        (mentioned.pk, NotificationKind.MENTION),
    }


def test_mentioned_members_are_notified() -> None:
    post = make_post()
    mentioned = EnglishMemberFactory()
    answerer = EnglishMemberFactory()
    activity = record(
        answerer, Verb.ANSWERED, make_answer(post=post, author=answerer), mentioned=[mentioned.pk]
    )
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {
        (post.author_id, NotificationKind.REPLY),
        (mentioned.pk, NotificationKind.MENTION),
    }


def test_followers_of_the_space_and_tags_hear_of_a_new_post() -> None:
    space = SpaceFactory()
    tag = Tag.objects.create(name="請求", slug="invoice")
    space_follower, tag_follower, bystander = (
        EnglishMemberFactory(),
        EnglishMemberFactory(),
        EnglishMemberFactory(),
    )
    Follow.objects.create(member=space_follower, space=space)
    Follow.objects.create(member=tag_follower, tag=tag)
    post = make_post(space=space)
    post.tags.add(tag)
    activity = record(post.author, Verb.POSTED, post)
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {
        (space_follower.pk, NotificationKind.FOLLOWED),
        (tag_follower.pk, NotificationKind.FOLLOWED),
    }
    assert bystander.notifications.count() == 0


def test_followers_of_a_post_hear_of_its_answers_and_the_author_gets_one_reply_only() -> None:
    post = make_post()
    follower = EnglishMemberFactory()
    Follow.objects.create(member=follower, post=post)
    Follow.objects.create(member=post.author, post=post)
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {
        (post.author_id, NotificationKind.REPLY),
        (follower.pk, NotificationKind.FOLLOWED),
    }


def test_nobody_is_notified_of_their_own_action() -> None:
    post = make_post()
    Follow.objects.create(member=post.author, space=post.space)
    activity = record(
        post.author,
        Verb.ANSWERED,
        make_answer(post=post, author=post.author),
        mentioned=[post.author.pk],
    )
    fan_out_activity(activity_id=activity.pk)
    assert notified() == set()


def test_members_who_cannot_see_a_members_only_space_are_not_notified() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    insider, outsider = EnglishMemberFactory(), EnglishMemberFactory()
    MembershipFactory(space=space, member=insider)
    Follow.objects.create(member=insider, space=space)
    Follow.objects.create(member=outsider, space=space)
    author = EnglishMemberFactory()
    MembershipFactory(space=space, member=author)
    post = make_post(space=space, author=author)
    activity = record(author, Verb.POSTED, post, mentioned=[outsider.pk])
    fan_out_activity(activity_id=activity.pk)
    assert notified() == {(insider.pk, NotificationKind.FOLLOWED)}


def test_a_held_post_notifies_nobody_but_its_author_could_see_it() -> None:
    post = make_post(status=ContentStatus.HELD)
    follower = EnglishMemberFactory()
    Follow.objects.create(member=follower, space=post.space)
    activity = record(post.author, Verb.POSTED, post, mentioned=[follower.pk])
    fan_out_activity(activity_id=activity.pk)
    assert notified() == set()


def test_a_held_answer_notifies_nobody() -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    answer = make_answer(post=post, author=answerer, status=ContentStatus.HELD)
    activity = record(answerer, Verb.ANSWERED, answer)
    fan_out_activity(activity_id=activity.pk)
    assert notified() == set()


def test_running_the_fan_out_twice_creates_nothing_new(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    with django_capture_on_commit_callbacks(execute=True):
        fan_out_task.delay(activity.pk)
    with django_capture_on_commit_callbacks(execute=True):
        fan_out_task.delay(activity.pk)
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_fan_out_task_emails_immediate_notifications_after_commit(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    post = make_post()
    answerer = EnglishMemberFactory()
    activity = record(answerer, Verb.ANSWERED, make_answer(post=post, author=answerer))
    with django_capture_on_commit_callbacks(execute=True):
        fan_out_task.delay(activity.pk)
    notification = Notification.objects.get()
    assert notification.email_channel == EmailChannel.IMMEDIATE
    assert notification.emailed_at is not None
    assert [message.to for message in mail.outbox] == [[post.author.email]]


def test_reactions_and_views_notify_nobody() -> None:
    post = make_post()
    for verb in (Verb.REACTED, Verb.VIEWED):
        fan_out_activity(activity_id=record(EnglishMemberFactory(), verb, post).pk)
    assert notified() == set()


def test_an_unknown_activity_is_ignored() -> None:
    assert fan_out_activity(activity_id=987654) == []
