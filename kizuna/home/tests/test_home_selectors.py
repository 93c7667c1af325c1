"""The reads behind the home pages: the feed, questions to answer, recognition, queues, pulse."""

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kizuna.content.models import Answer, ContentStatus, Follow, Post, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory, TagFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.models import PointRule
from kizuna.gamification.services import award_points
from kizuna.home import selectors
from kizuna.home.tests.factories import date_post, make_redemption
from kizuna.identity.models import Interest
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.tests.factories import ReviewItemFactory
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.rewards.models import RedemptionStatus
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _titles(posts: Iterable[Post]) -> set[str]:
    return {post.title for post in posts}


# ---------------------------------------------------------------- the feed


def test_the_feed_holds_the_members_spaces_and_what_they_follow_and_nothing_else() -> None:
    member = MemberFactory()
    joined = MembershipFactory(member=member).space
    followed_space, tagged_space, thread_space, other = SpaceFactory.create_batch(4)
    tag = TagFactory(name="経費精算")
    PostFactory(space=joined, title="in a joined space")
    PostFactory(space=followed_space, title="in a followed space")
    PostFactory(space=tagged_space, title="with a followed tag").tags.add(tag)
    followed_post = PostFactory(space=thread_space, title="a followed thread")
    PostFactory(space=other, title="elsewhere")
    Follow.objects.create(member=member, space=followed_space)
    Follow.objects.create(member=member, tag=tag)
    Follow.objects.create(member=member, post=followed_post)

    assert _titles(selectors.member_feed(member)) == {
        "in a joined space",
        "in a followed space",
        "with a followed tag",
        "a followed thread",
    }


def test_the_feed_never_shows_a_private_space_the_member_cannot_read() -> None:
    prospect = MemberFactory()
    private = SpaceFactory(access_type=AccessType.PRIVATE)
    tag = TagFactory(name="SSO設定")
    PostFactory(space=private, title="private by space").tags.add(tag)
    # Follows written directly: the follow service refuses them, the feed must too.
    Follow.objects.create(member=prospect, space=private)
    Follow.objects.create(member=prospect, tag=tag)

    customer = make_customer()
    Follow.objects.create(member=customer, space=private)

    assert _titles(selectors.member_feed(prospect)) == set()
    assert _titles(selectors.member_feed(customer)) == {"private by space"}


def test_the_feed_leaves_out_held_posts_even_the_members_own() -> None:
    member = MemberFactory()
    space = MembershipFactory(member=member).space
    PostFactory(space=space, author=member, status=ContentStatus.HELD, title="held")
    PostFactory(space=space, title="published")
    assert _titles(selectors.member_feed(member)) == {"published"}


def test_the_feed_puts_the_latest_activity_first() -> None:
    member = MemberFactory()
    space = MembershipFactory(member=member).space
    now = timezone.now()
    date_post(PostFactory(space=space, title="old"), now - timedelta(days=3))
    date_post(PostFactory(space=space, title="new"), now - timedelta(hours=1))
    assert [post.title for post in selectors.member_feed(member)] == ["new", "old"]


# ---------------------------------------------------------------- questions to answer


def test_questions_to_answer_are_others_unanswered_questions_in_the_members_spaces() -> None:
    member = MemberFactory()
    space = MembershipFactory(member=member).space
    PostFactory(space=space, title="waiting")
    AnswerFactory(post=PostFactory(space=space, title="answered", answer_count=1))
    PostFactory(space=space, title="mine", author=member)
    PostFactory(space=space, title="a discussion", post_type=PostType.DISCUSSION)
    PostFactory(space=space, title="locked", is_locked=True)
    PostFactory(space=space, title="held", status=ContentStatus.HELD)
    PostFactory(space=SpaceFactory(), title="in a space they did not join")

    assert _titles(selectors.questions_to_answer(member)) == {"waiting"}


def test_questions_on_the_members_interests_or_followed_tags_come_first() -> None:
    member = MemberFactory()
    member.interests.add(Interest.objects.create(name="インボイス制度"))
    Follow.objects.create(member=member, tag=TagFactory(name="API連携"))
    space = MembershipFactory(member=member).space
    now = timezone.now()
    date_post(PostFactory(space=space, title="newest, off topic"), now)
    on_interest = PostFactory(space=space, title="on an interest")
    on_interest.tags.add(TagFactory(name="インボイス制度"))
    date_post(on_interest, now - timedelta(days=2))
    on_followed = PostFactory(space=space, title="on a followed tag")
    on_followed.tags.add(Follow.objects.get(member=member).tag)
    date_post(on_followed, now - timedelta(days=1))

    questions = list(selectors.questions_to_answer(member))

    assert [q.title for q in questions] == [
        "on a followed tag",
        "on an interest",
        "newest, off topic",
    ]
    assert [q.matches_interest for q in questions] == [True, True, False]


# ---------------------------------------------------------------- recognition


def test_recent_recognition_merges_levels_badges_and_points_newest_first() -> None:
    member = MemberFactory()
    now = timezone.now()
    award_points(
        member=member,
        rule_key="answered",
        source=None,
        idempotency_key="home-test:answered",
        occurred_at=now - timedelta(days=3),
    )
    level = Notification.objects.create(
        recipient=member,
        kind=NotificationKind.LEVEL_UP,
        details={"level_name_ja": "シルバー", "level_name_en": "Silver"},
    )
    badge = Notification.objects.create(
        recipient=member,
        kind=NotificationKind.BADGE_EARNED,
        details={
            "badge_name_ja": "はじめての回答",
            "badge_name_en": "First answer",
            "badge_slug": "x",
        },
    )
    Notification.objects.filter(pk=level.pk).update(created_at=now - timedelta(days=2))
    Notification.objects.filter(pk=badge.pk).update(created_at=now - timedelta(days=1))
    Notification.objects.create(recipient=member, kind=NotificationKind.REPLY)

    items = selectors.recent_recognition(member)

    assert [item.text for item in items] == [
        "You earned the “First answer” badge",
        "You reached the Silver level",
        "Answered",
    ]
    assert [item.points for item in items] == [
        None,
        None,
        PointRule.objects.get(key="answered").points,
    ]


def test_spending_points_on_a_reward_is_not_recognition() -> None:
    member = MemberFactory()
    make_redemption(member)  # an adjustment gives the points, the redemption spends them
    assert [item.points for item in selectors.recent_recognition(member)] == [100]


def test_recent_recognition_is_bounded() -> None:
    member = MemberFactory()
    for number in range(selectors.RECOGNITION_ON_HOME + 2):
        award_points(
            member=member, rule_key="answered", source=None, idempotency_key=f"home:{number}"
        )
    assert len(selectors.recent_recognition(member)) == selectors.RECOGNITION_ON_HOME


# ---------------------------------------------------------------- work queues


def test_a_member_who_runs_no_space_works_no_queue() -> None:
    queues = selectors.work_queues(make_customer())
    assert not queues.opens_any
    assert queues.join_requests is None and queues.redemptions_requested is None


def test_a_host_works_the_queues_of_their_own_space_only() -> None:
    host = MemberFactory()
    hosted = SpaceFactory(access_type=AccessType.APPLICATION)
    MembershipFactory(member=host, space=hosted, role=SpaceRole.HOST)
    other = SpaceFactory(access_type=AccessType.APPLICATION)
    ReviewItemFactory(post__space=hosted)
    ReviewItemFactory(post__space=other)
    JoinRequestFactory.create_batch(2, space=hosted)
    JoinRequestFactory(space=other)
    PostFactory(space=hosted)
    PostFactory(space=other)

    queues = selectors.work_queues(host)

    assert queues.review_items == 1
    assert [(row.space, row.pending) for row in queues.join_requests or []] == [(hosted, 2)]
    assert queues.join_requests_total == 2
    assert queues.unanswered == 1
    assert queues.redemptions_requested is None


def test_an_administrator_works_every_queue() -> None:
    admin = StaffFactory(staff_role="administrator")
    customer = make_customer()
    ReviewItemFactory()
    JoinRequestFactory()
    PostFactory()
    make_redemption(customer)
    make_redemption(customer, RedemptionStatus.APPROVED)
    make_redemption(customer, RedemptionStatus.FULFILLED)

    queues = selectors.work_queues(admin)

    assert queues.review_items == 1
    assert queues.join_requests_total == 1
    assert queues.unanswered == 1  # the held post of the review item is not published
    assert (queues.redemptions_requested, queues.redemptions_approved) == (1, 1)


def test_staff_without_a_capability_do_not_get_its_queue() -> None:
    queues = selectors.work_queues(StaffFactory(staff_role="sales"))
    assert queues.unanswered is not None
    assert queues.review_items is None
    assert queues.join_requests is None
    assert queues.redemptions_requested is None


def test_staff_without_two_step_sign_in_get_no_queue() -> None:
    queues = selectors.work_queues(StaffFactory(staff_role="administrator", with_mfa=False))
    assert not queues.opens_any


def test_join_requests_list_the_busiest_spaces_and_count_the_rest() -> None:
    admin = StaffFactory(staff_role="administrator")
    spaces = SpaceFactory.create_batch(
        selectors.REQUEST_SPACES_ON_HOME + 1, access_type=AccessType.APPLICATION
    )
    for number, space in enumerate(spaces):
        JoinRequestFactory.create_batch(number + 1, space=space)

    queues = selectors.work_queues(admin)

    assert [row.space for row in queues.join_requests or []] == spaces[::-1][:-1]
    assert queues.more_request_spaces == 1
    assert queues.join_requests_total == sum(range(1, len(spaces) + 1))


# ---------------------------------------------------------------- the pulse


@pytest.fixture
def now() -> datetime:
    return timezone.now()


def test_new_members_are_active_non_staff_members_who_joined_in_the_window(
    now: datetime,
) -> None:
    MemberFactory(date_joined=now - timedelta(days=2))
    MemberFactory(date_joined=now - timedelta(days=20))
    MemberFactory(date_joined=now - timedelta(days=40))
    MemberFactory(date_joined=now - timedelta(days=1), is_active=False)
    StaffFactory(date_joined=now - timedelta(days=1))

    assert selectors.community_pulse(7, now=now).new_members == 1
    assert selectors.community_pulse(30, now=now).new_members == 2


def test_posts_are_published_posts_of_any_type_created_in_the_window(
    now: datetime,
) -> None:
    date_post(PostFactory(post_type=PostType.DISCUSSION), now - timedelta(days=1))
    date_post(PostFactory(), now - timedelta(days=10))
    date_post(PostFactory(status=ContentStatus.HELD), now - timedelta(days=1))
    date_post(PostFactory(status=ContentStatus.DELETED), now - timedelta(days=1))
    date_post(PostFactory(), now - timedelta(days=31))

    assert selectors.community_pulse(7, now=now).posts == 1
    assert selectors.community_pulse(30, now=now).posts == 2


def test_answers_are_published_answers_on_published_posts_in_the_window(
    now: datetime,
) -> None:
    def answer(when: datetime, **fields: object) -> None:
        row = AnswerFactory(**fields)
        Answer.objects.filter(pk=row.pk).update(created_at=when)

    answer(now - timedelta(days=1))
    answer(now - timedelta(days=12))
    answer(now - timedelta(days=1), status=ContentStatus.HIDDEN)
    answer(now - timedelta(days=1), post__status=ContentStatus.DELETED)

    assert selectors.community_pulse(7, now=now).answers == 1
    assert selectors.community_pulse(30, now=now).answers == 2


def test_the_solved_rate_is_the_share_of_questions_asked_in_the_window_with_an_accepted_answer(
    now: datetime,
) -> None:
    def question(days_ago: int, *, solved: bool) -> None:
        post = date_post(PostFactory(), now - timedelta(days=days_ago))
        if solved:
            accepted = AnswerFactory(post=post)
            Post.objects.filter(pk=post.pk).update(accepted_answer=accepted)

    question(1, solved=True)
    question(2, solved=False)
    question(3, solved=False)
    question(20, solved=True)
    date_post(PostFactory(post_type=PostType.DISCUSSION), now - timedelta(days=1))

    week, month = selectors.community_pulse(7, now=now), selectors.community_pulse(30, now=now)

    assert (week.questions, week.solved_questions, week.solved_rate) == (3, 1, 33)
    assert (month.questions, month.solved_questions, month.solved_rate) == (4, 2, 50)


def test_the_solved_rate_is_none_when_no_question_was_asked(now: datetime) -> None:
    assert selectors.community_pulse(7, now=now).solved_rate is None


def test_visitor_home_lists_only_open_spaces() -> None:
    SpaceFactory(access_type=AccessType.OPEN, name="open")
    SpaceFactory(access_type=AccessType.PRIVATE, name="private")
    SpaceFactory(access_type=AccessType.APPLICATION, name="application")
    from_anonymous = selectors.visitor_home(AnonymousUser())
    assert [space.name for space in from_anonymous.open_spaces] == ["open"]
