from typing import Any

import pytest

from kizuna.content.models import ContentStatus
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.selectors import trust_level
from kizuna.moderation.tests.factories import AnswerFactory, PostFactory, VeteranFactory

pytestmark = pytest.mark.django_db


def test_a_member_who_joined_this_week_is_new_whatever_they_wrote() -> None:
    member = MemberFactory()
    PostFactory.create_batch(5, author=member)

    assert trust_level(member) == 0


def test_an_old_account_without_contributions_is_new() -> None:
    assert trust_level(VeteranFactory()) == 0


def test_three_published_contributions_make_a_basic_member() -> None:
    member = VeteranFactory()
    PostFactory.create_batch(2, author=member)
    AnswerFactory(author=member)

    assert trust_level(member) == 1


def test_held_or_hidden_posts_do_not_count() -> None:
    member = VeteranFactory()
    PostFactory.create_batch(2, author=member)
    PostFactory(author=member, status=ContentStatus.HELD)
    PostFactory(author=member, status=ContentStatus.HIDDEN)

    assert trust_level(member) == 0


def test_accepted_answers_and_reactions_make_a_trusted_member() -> None:
    member = VeteranFactory()
    PostFactory.create_batch(2, author=member, reaction_count=6)
    answer = AnswerFactory(author=member, reaction_count=3)
    answer.post.accepted_answer = answer
    answer.post.save()

    assert trust_level(member) == 2


def test_staff_are_trusted(django_assert_num_queries: Any) -> None:
    staff = StaffFactory()

    with django_assert_num_queries(0):
        assert trust_level(staff) == 2
