"""Content built with the models directly, so these tests do not wait for the content services."""

from typing import Any

from django.db import transaction

from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory


class EnglishMemberFactory(MemberFactory):
    """Members who read English, so that assertions on emails do not depend on the catalogues."""

    language = "en"


def make_post(
    *,
    space: Space | None = None,
    author: Member | None = None,
    status: str = ContentStatus.PUBLISHED,
    title: str = "請求書の発行方法",
) -> Post:
    return Post.objects.create(
        space=space or SpaceFactory(),
        author=author or EnglishMemberFactory(),
        title=title,
        body="請求書を発行する手順を教えてください。",
        status=status,
    )


def make_answer(
    *, post: Post, author: Member | None = None, status: str = ContentStatus.PUBLISHED
) -> Answer:
    return Answer.objects.create(
        post=post,
        author=author or EnglishMemberFactory(),
        body="設定画面から発行できます。",
        status=status,
    )


def make_comment(
    *, post: Post, answer: Answer | None = None, author: Member | None = None
) -> Comment:
    return Comment.objects.create(
        post=post,
        answer=answer,
        author=author or EnglishMemberFactory(),
        body="ありがとうございます",
    )


def record(
    actor: Member, verb: Verb, target: Any, *, mentioned: list[int] | None = None
) -> Activity:
    post = target if isinstance(target, Post) else target.post
    details = {"mentioned_member_ids": mentioned} if mentioned is not None else None
    with transaction.atomic():
        return record_activity(
            actor=actor, verb=verb, target=target, space_id=post.space_id, details=details
        )


def notified(kind: NotificationKind | None = None) -> set[tuple[int, str]]:
    """Every (recipient id, kind) there is, to assert the exact set."""
    rows = Notification.objects.all()
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient_id", "kind"))
