"""Likes clicked at the same moment: the counter matches the rows, whatever the interleaving."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from kizuna.content import engagement
from kizuna.content.models import Post, Reaction
from kizuna.content.tests.engagement_factories import QuestionFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


def _at_once(actions: list[Callable[[], object]]) -> list[object]:
    """Run each action in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _like(member: Member, post_id: int) -> Callable[[], object]:
    return lambda: engagement.react(member=member, post=Post.objects.get(pk=post_id))


def test_two_members_liking_at_once_count_two() -> None:
    post = QuestionFactory()
    first, second = MemberFactory(), MemberFactory()
    assert _at_once([_like(first, post.pk), _like(second, post.pk)]) == [True, True]
    post.refresh_from_db()
    assert post.reaction_count == 2
    assert Reaction.objects.filter(post=post).count() == 2


def test_one_member_liking_twice_at_once_counts_one() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    results = _at_once([_like(member, post.pk), _like(member, post.pk)])
    assert sorted(results, key=bool) == [False, True]
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert Reaction.objects.filter(post=post).count() == 1
