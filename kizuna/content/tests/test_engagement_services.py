import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kizuna.activity.models import Activity, Verb
from kizuna.content import engagement
from kizuna.content.engagement import EngagementError, FollowTarget
from kizuna.content.models import Bookmark, ContentStatus, Follow, Reaction
from kizuna.content.tests.engagement_factories import AnswerFactory, QuestionFactory, TagFactory
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_react_adds_one_reaction_and_counts_it() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    assert engagement.react(member=member, post=post) is True
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert Reaction.objects.filter(member=member, post=post, answer__isnull=True).count() == 1


def test_react_twice_by_the_same_member_counts_once() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    engagement.react(member=member, post=post)
    assert engagement.react(member=member, post=post) is False
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert Reaction.objects.count() == 1


def test_reactions_from_two_members_count_two() -> None:
    post = QuestionFactory()
    engagement.react(member=MemberFactory(), post=post)
    engagement.react(member=MemberFactory(), post=post)
    post.refresh_from_db()
    assert post.reaction_count == 2


def test_react_records_a_reacted_activity() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    engagement.react(member=member, post=post)
    activity = Activity.objects.get()
    assert (activity.actor_id, activity.verb, activity.object_type, activity.object_id) == (
        member.pk,
        Verb.REACTED,
        "post",
        post.pk,
    )
    assert activity.space_id == post.space_id


def test_own_post_cannot_be_liked_and_nothing_changes() -> None:
    post = QuestionFactory()
    with pytest.raises(EngagementError):
        engagement.react(member=post.author, post=post)
    post.refresh_from_db()
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()
    assert not Activity.objects.exists()


def test_own_answer_cannot_be_liked() -> None:
    answer = AnswerFactory()
    with pytest.raises(EngagementError):
        engagement.react(member=answer.author, post=answer.post, answer=answer)
    answer.refresh_from_db()
    assert answer.reaction_count == 0


def test_react_to_an_answer_counts_on_the_answer_not_the_post() -> None:
    answer = AnswerFactory()
    engagement.react(member=MemberFactory(), post=answer.post, answer=answer)
    answer.refresh_from_db()
    answer.post.refresh_from_db()
    assert (answer.reaction_count, answer.post.reaction_count) == (1, 0)


def test_react_to_an_answer_of_another_post_is_refused() -> None:
    answer = AnswerFactory()
    other_post = QuestionFactory(space=answer.post.space)
    with pytest.raises(PermissionDenied):
        engagement.react(member=MemberFactory(), post=other_post, answer=answer)
    assert not Reaction.objects.exists()


def test_private_post_cannot_be_liked_by_a_non_member() -> None:
    post = QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    with pytest.raises(PermissionDenied):
        engagement.react(member=MemberFactory(), post=post)
    post.refresh_from_db()
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()


def test_held_post_cannot_be_liked_by_its_moderator() -> None:
    post = QuestionFactory(status=ContentStatus.HELD)
    with pytest.raises(EngagementError):
        engagement.react(member=StaffFactory(staff_role="moderator"), post=post)
    assert not Reaction.objects.exists()


def test_anonymous_cannot_like() -> None:
    post = QuestionFactory()
    with pytest.raises(PermissionDenied):
        engagement.react(member=AnonymousUser(), post=post)
    assert not Reaction.objects.exists()


def test_unreact_removes_the_reaction_and_the_count() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    engagement.react(member=member, post=post)
    assert engagement.unreact(member=member, post=post) is True
    post.refresh_from_db()
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()


def test_unreact_without_a_reaction_changes_nothing() -> None:
    post = QuestionFactory()
    engagement.react(member=MemberFactory(), post=post)
    assert engagement.unreact(member=MemberFactory(), post=post) is False
    post.refresh_from_db()
    assert post.reaction_count == 1


def test_unreact_on_a_post_keeps_the_members_answer_reaction() -> None:
    answer = AnswerFactory()
    member = MemberFactory()
    engagement.react(member=member, post=answer.post, answer=answer)
    assert engagement.unreact(member=member, post=answer.post) is False
    answer.refresh_from_db()
    assert answer.reaction_count == 1


def test_bookmark_is_saved_once() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    assert engagement.bookmark(member=member, post=post) is True
    assert engagement.bookmark(member=member, post=post) is False
    assert Bookmark.objects.filter(member=member, post=post).count() == 1


def test_unbookmark_removes_the_bookmark() -> None:
    post = QuestionFactory()
    member = MemberFactory()
    engagement.bookmark(member=member, post=post)
    assert engagement.unbookmark(member=member, post=post) is True
    assert not Bookmark.objects.exists()


def test_private_post_cannot_be_bookmarked_by_a_non_member() -> None:
    post = QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    with pytest.raises(PermissionDenied):
        engagement.bookmark(member=MemberFactory(), post=post)
    assert not Bookmark.objects.exists()


def test_bookmarks_list_leaves_out_posts_the_member_can_no_longer_read() -> None:
    member = MemberFactory()
    kept = QuestionFactory()
    hidden = QuestionFactory()
    engagement.bookmark(member=member, post=kept)
    engagement.bookmark(member=member, post=hidden)
    hidden.status = ContentStatus.HIDDEN
    hidden.save()
    assert [bookmark.post for bookmark in engagement.list_bookmarks(member)] == [kept]


def test_follow_post_space_and_tag_each_once() -> None:
    member = MemberFactory()
    post = QuestionFactory()
    tag = TagFactory()
    for target in (FollowTarget(post=post), FollowTarget(space=post.space), FollowTarget(tag=tag)):
        assert engagement.follow(member=member, target=target) is True
        assert engagement.follow(member=member, target=target) is False
    assert Follow.objects.filter(member=member).count() == 3


def test_unfollow_stops_following() -> None:
    member = MemberFactory()
    space = SpaceFactory()
    engagement.follow(member=member, target=FollowTarget(space=space))
    assert engagement.unfollow(member=member, target=FollowTarget(space=space)) is True
    assert not Follow.objects.exists()


def test_private_space_cannot_be_followed_by_a_non_member() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    with pytest.raises(PermissionDenied):
        engagement.follow(member=MemberFactory(), target=FollowTarget(space=space))
    assert not Follow.objects.exists()


def test_private_post_cannot_be_followed_by_a_non_member() -> None:
    post = QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    with pytest.raises(PermissionDenied):
        engagement.follow(member=MemberFactory(), target=FollowTarget(post=post))
    assert not Follow.objects.exists()


def test_post_engagement_shows_the_viewers_own_state() -> None:
    member = MemberFactory()
    tag = TagFactory()
    post = QuestionFactory()
    post.tags.add(tag)
    engagement.react(member=member, post=post)
    engagement.follow(member=member, target=FollowTarget(tag=tag))
    state = engagement.get_post_engagement(member, post)
    assert state == engagement.PostEngagement(
        has_reacted=True,
        has_bookmarked=False,
        is_following_post=False,
        is_following_space=False,
        followed_tag_ids=frozenset({tag.pk}),
        can_react=True,
    )
