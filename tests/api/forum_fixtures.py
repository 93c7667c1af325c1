"""A small forum for the content, search, notification and review-queue API tests."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuna.content.models import ContentStatus, Post
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import Hold
from kizuna.search.indexing import index_post
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient

SECRET_TITLE = "秘密の請求書 secret invoice"


@dataclass
class Forum:
    open_space: Space
    closed_space: Space  # application space: members only
    member: Member  # member of both spaces
    moderator: Member  # moderator of both spaces
    outsider: Member  # a customer in neither space
    author: Member  # member of both; writes the posts
    public_post: Post  # published, open space
    secret_post: Post  # published, closed space
    held_post: Post  # held, open space
    clients: dict[str, ApiClient]

    def client(self, who: str) -> ApiClient:
        return self.clients[who]


def delete(api: ApiClient, path: str) -> Any:
    return api.client.delete(path, **api.headers)


def count_queries(action: Callable[[], object]) -> int:
    """How many queries one call makes: the baseline for `django_assert_num_queries`."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def make_post(space: Space, author: Member, *, tags: Any = (), **fields: Any) -> Post:
    post: Post = PostFactory(space=space, author=author, **fields)
    if tags:
        post.tags.set(tags)
    index_post(post.pk)
    return post


@pytest.fixture
def forum(
    db: None, session_client: Callable[[Member], ApiClient], staff_client: ApiClient
) -> Forum:
    open_space = SpaceFactory(slug="open-forum", access_type=AccessType.OPEN)
    closed_space = SpaceFactory(slug="closed-forum", access_type=AccessType.APPLICATION)
    member, moderator, outsider, author = (make_customer() for _ in range(4))
    for space in (open_space, closed_space):
        MembershipFactory(space=space, member=member)
        MembershipFactory(space=space, member=author)
        MembershipFactory(space=space, member=moderator, role=SpaceRole.MODERATOR)
    public_post = make_post(open_space, author, title="請求書を発行する手順 invoice steps")
    secret_post = make_post(closed_space, author, title=SECRET_TITLE)
    held_post = make_post(
        open_space,
        author,
        title="保留中の請求書 held invoice",
        status=ContentStatus.HELD,
    )
    Hold.objects.create(
        post=held_post, source=Hold.Source.RULES, reasons=["held because: campaign"]
    )
    clients = {
        who: session_client(person)
        for who, person in [
            ("member", member),
            ("moderator", moderator),
            ("outsider", outsider),
            ("author", author),
            ("non_customer", MemberFactory()),
        ]
    }
    clients["staff"] = staff_client
    clients["anonymous"] = ApiClient(Client())
    return Forum(
        open_space=open_space,
        closed_space=closed_space,
        member=member,
        moderator=moderator,
        outsider=outsider,
        author=author,
        public_post=public_post,
        secret_post=secret_post,
        held_post=held_post,
        clients=clients,
    )


def add_answers(post: Post, count: int) -> None:
    for _ in range(count):
        AnswerFactory(post=post)
