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

from kizuna.content.models import KnowledgeArticle, Post
from kizuna.content.tests.engagement_factories import QuestionFactory
from kizuna.content.tests.factories import AnswerFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.models import Flag
from kizuna.spaces.models import AccessType, Space
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


def _member_of_a_subgroup(member: Member) -> Space:
    """A sub-group (it and its parent by application) that the member belongs to, with its parent."""
    parent = SpaceFactory(access_type=AccessType.APPLICATION)
    space = SpaceFactory(access_type=AccessType.APPLICATION, parent=parent)
    MembershipFactory(member=member, space=parent)
    MembershipFactory(member=member, space=space)
    return space


def _one_decision(member: Member, space: Space) -> list[tuple[int, int | None]]:
    return [(member.pk, space.pk), (member.pk, space.parent_id)]


@pytest.fixture
def thread_in_subgroup() -> tuple[Member, Post]:
    """A question in a sub-group (both by application) whose reader belongs to both."""
    member = MemberFactory()
    post = QuestionFactory(space=_member_of_a_subgroup(member))
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


def test_starting_a_thread_decides_the_space_access_once(client: Client) -> None:
    member = MemberFactory()
    space = _member_of_a_subgroup(member)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("content:post-create", args=[space.slug]),
            {"post_type": "question", "title": "請求書の宛名", "body": "変更できますか。"},
        )
    assert response.status_code == 302
    assert Post.objects.filter(space=space, author=member, title="請求書の宛名").exists()
    assert _membership_lookups(queries) == _one_decision(member, space)


def test_accepting_an_answer_decides_the_space_access_once(client: Client) -> None:
    asker = MemberFactory()
    post = QuestionFactory(space=_member_of_a_subgroup(asker), author=asker)
    answer = AnswerFactory(post=post)
    client.force_login(asker)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("engagement:answer-accept", args=[answer.pk]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.accepted_answer_id == answer.pk
    assert _membership_lookups(queries) == _one_decision(asker, post.space)


def test_promoting_a_thread_to_knowledge_decides_the_space_access_once(client: Client) -> None:
    moderator = StaffFactory(staff_role="moderator")
    post = QuestionFactory(space=_member_of_a_subgroup(moderator))
    post.accepted_answer = AnswerFactory(post=post)
    post.save()
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("engagement:knowledge-promote", args=[post.pk]),
            {"kind": "faq", "title": "請求書の発行", "body": "設定から発行します。"},
        )
    assert response.status_code == 302
    assert KnowledgeArticle.objects.filter(source_post=post).exists()
    assert _membership_lookups(queries) == _one_decision(moderator, post.space)


def test_flagging_an_answer_decides_the_space_access_once(
    client: Client, thread_in_subgroup: tuple[Member, Post]
) -> None:
    member, post = thread_in_subgroup
    answer = post.answers.get()
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("moderation:flag", args=["answer", answer.pk]), {"reason": "spam"}
        )
    assert response.status_code == 302
    assert Flag.objects.filter(member=member, answer=answer).exists()
    assert _membership_lookups(queries) == _one_decision(member, post.space)
