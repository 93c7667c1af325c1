"""A request decides a space's access once: the view's decision goes to the service and the page.

Each decision reads the viewer's membership of the space, and of its parent for a sub-group,
so the membership lookups count the decisions.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.content.models import Post
from kizuna.content.tests.engagement_factories import QuestionFactory
from kizuna.content.tests.factories import AnswerFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


LOOKUP = re.compile(r'"member_id" = (\d+) AND "spaces_membership"."space_id" = (\d+)')


def _membership_lookups(queries: CaptureQueriesContext) -> list[tuple[int, int]]:
    """The (member, space) pairs whose membership row the request read, in order."""
    return [
        (int(found[1]), int(found[2]))
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "spaces_membership"')
        and (found := LOOKUP.search(query["sql"]))
    ]


@pytest.fixture
def thread_in_subgroup() -> tuple[Member, Post]:
    """A question in a sub-group (both by application) whose reader belongs to both."""
    parent = SpaceFactory(access_type=AccessType.APPLICATION)
    space = SpaceFactory(access_type=AccessType.APPLICATION, parent=parent)
    member = MemberFactory()
    MembershipFactory(member=member, space=parent)
    MembershipFactory(member=member, space=space)
    post = QuestionFactory(space=space)
    AnswerFactory(post=post)
    return member, post


def test_thread_page_decides_the_space_access_once(
    client: Client, thread_in_subgroup: tuple[Member, Post]
) -> None:
    member, post = thread_in_subgroup
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("content:post-detail", args=[post.pk]))
    assert response.status_code == 200
    space = post.space
    assert _membership_lookups(queries) == [
        (member.pk, space.pk),
        (member.pk, space.parent_id),
    ]


def test_posting_an_answer_decides_the_space_access_once(
    client: Client, thread_in_subgroup: tuple[Member, Post]
) -> None:
    member, post = thread_in_subgroup
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("content:answer-create", args=[post.pk]),
            {"body": "回答です"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert post.answers.filter(author=member, body="回答です").exists()
    space = post.space
    assert _membership_lookups(queries) == [
        (member.pk, space.pk),
        (member.pk, space.parent_id),
    ]
