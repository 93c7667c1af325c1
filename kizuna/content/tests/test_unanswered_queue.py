from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.content.models import ContentStatus, Post, PostType
from kizuna.content.qa import can_view_unanswered_queue, list_unanswered
from kizuna.content.tests.engagement_factories import QuestionFactory, TagFactory, answered
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _csm() -> object:
    return StaffFactory(staff_role="csm")


def _aged(post: Post, days: int) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=days))
    post.refresh_from_db()
    return post


def test_lists_published_questions_without_answers_oldest_first() -> None:
    newer = _aged(QuestionFactory(), days=1)
    older = _aged(QuestionFactory(), days=5)
    answered(QuestionFactory())
    assert list(list_unanswered(_csm())) == [older, newer]


def test_leaves_out_other_post_types_and_unpublished_questions() -> None:
    waiting = QuestionFactory()
    QuestionFactory(post_type=PostType.DISCUSSION)
    QuestionFactory(status=ContentStatus.HELD)
    QuestionFactory(status=ContentStatus.DELETED)
    assert list(list_unanswered(_csm())) == [waiting]


def test_include_unsolved_adds_answered_questions_without_an_accepted_answer() -> None:
    unanswered = _aged(QuestionFactory(), days=3)
    answered_open = QuestionFactory()
    answered(answered_open)
    solved = QuestionFactory()
    solved.accepted_answer = answered(solved)
    solved.save()
    assert list(list_unanswered(_csm(), include_unsolved=True)) == [unanswered, answered_open]


def test_filters_by_space() -> None:
    here = QuestionFactory()
    QuestionFactory()
    assert list(list_unanswered(_csm(), space=here.space)) == [here]


def test_filters_by_tag() -> None:
    tag = TagFactory()
    tagged = QuestionFactory()
    tagged.tags.add(tag)
    QuestionFactory()
    assert list(list_unanswered(_csm(), tag=tag)) == [tagged]


def test_host_sees_only_the_spaces_they_host() -> None:
    hosted = QuestionFactory()
    QuestionFactory()
    host = MembershipFactory(space=hosted.space, role=SpaceRole.HOST).member
    assert list(list_unanswered(host)) == [hosted]


def test_host_does_not_see_questions_of_a_private_space_they_only_belong_to() -> None:
    hosted = QuestionFactory()
    host = MembershipFactory(space=hosted.space, role=SpaceRole.HOST).member
    private = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=private, member=host, role=SpaceRole.MEMBER)
    QuestionFactory(space=private)
    assert list(list_unanswered(host)) == [hosted]


def test_csm_and_hosts_may_open_the_queue() -> None:
    space = SpaceFactory()
    host = MembershipFactory(space=space, role=SpaceRole.HOST).member
    moderator = MembershipFactory(space=space, role=SpaceRole.MODERATOR).member
    assert can_view_unanswered_queue(_csm()) is True
    assert can_view_unanswered_queue(host) is True
    assert can_view_unanswered_queue(moderator) is True


def test_ordinary_members_may_not_open_the_queue() -> None:
    member = MembershipFactory(role=SpaceRole.MEMBER).member
    assert can_view_unanswered_queue(member) is False
    assert can_view_unanswered_queue(MemberFactory()) is False
