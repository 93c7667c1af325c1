from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import (
    Answer,
    Comment,
    ContentStatus,
    Post,
    PostType,
    Reaction,
)
from kizuna.demo import data
from kizuna.demo.forum import NOTICES_FOR, NOTICES_READ_AFTER, load_demo_forum
from kizuna.demo.stories import THREADS
from kizuna.events.followup_models import SurveyResponse
from kizuna.events.models import (
    Attendance,
    Event,
    EventFormat,
    EventMaterial,
    EventSpeaker,
    EventStatus,
    Registration,
    RegistrationStatus,
    SpeakerKind,
)
from kizuna.gamification.models import LedgerEntry, RuleKey
from kizuna.identity.models import Member
from kizuna.moderation.models import ReviewItem
from kizuna.moderation.selectors import held_reasons
from kizuna.notifications.models import EmailChannel, Notification
from kizuna.search.models import PendingIndex, SearchDocument
from kizuna.spaces.models import AccessType, Membership

pytestmark = pytest.mark.django_db


def test_every_story_thread_is_in_the_forum_among_generated_ones(demo: None) -> None:
    titles = set(Post.objects.values_list("title", flat=True))

    assert {thread.title for thread in THREADS} <= titles
    assert len(titles) > len(THREADS) + 20


def test_threads_are_spread_over_the_past_year_up_to_the_last_days(demo: None) -> None:
    now = timezone.now()
    created = list(Post.objects.values_list("created_at", flat=True))

    assert all(now - timedelta(days=400) < at < now for at in created)
    assert any(at > now - timedelta(days=7) for at in created)
    assert any(at < now - timedelta(days=300) for at in created)


def test_nobody_writes_in_a_space_before_joining_it(demo: None) -> None:
    joined = {
        (space_id, member_id): at
        for space_id, member_id, at in Membership.objects.values_list(
            "space_id", "member_id", "joined_at"
        )
    }
    writings = [
        *Post.objects.filter(author__staff_role="").values_list(
            "space_id", "author_id", "created_at"
        ),
        *Answer.objects.filter(author__staff_role="").values_list(
            "post__space_id", "author_id", "created_at"
        ),
        *Comment.objects.filter(author__staff_role="").values_list(
            "post__space_id", "author_id", "created_at"
        ),
    ]

    assert writings
    for space_id, author_id, at in writings:
        assert joined[(space_id, author_id)] <= at


def test_demo_has_solved_unsolved_and_unanswered_questions(demo: None) -> None:
    questions = Post.objects.filter(post_type=PostType.QUESTION, status=ContentStatus.PUBLISHED)
    assert questions.filter(accepted_answer__isnull=False, solved_at__isnull=False).count() >= 8
    assert questions.filter(accepted_answer__isnull=True, answer_count__gt=0).exists()
    assert questions.filter(answer_count=0).count() >= 3


def test_a_question_is_solved_after_its_accepted_answer_was_written(demo: None) -> None:
    solved = Post.objects.filter(accepted_answer__isnull=False).select_related("accepted_answer")

    assert solved.exists()
    assert all(p.solved_at and p.solved_at >= p.accepted_answer.created_at for p in solved)


def test_a_question_solved_by_a_customer_is_peer_resolved(demo: None) -> None:
    peer = Post.objects.filter(is_peer_resolved=True).select_related("accepted_answer__author")
    assert peer.exists()
    assert all(p.accepted_answer.author.staff_role == "" for p in peer)


def test_a_question_solved_by_staff_is_not_peer_resolved(demo: None) -> None:
    by_staff = Post.objects.filter(accepted_answer__author__staff_role__gt="")
    assert by_staff.exists()
    assert not by_staff.filter(is_peer_resolved=True).exists()


def test_an_askers_thanks_are_comments_never_answers(demo: None) -> None:
    assert not Answer.objects.filter(author=F("post__author")).exists()
    assert Comment.objects.filter(author=F("post__author")).exists()


def test_only_the_two_promotional_story_posts_are_held_with_the_rules_reasons(
    demo: None,
) -> None:
    held = Post.objects.filter(status=ContentStatus.HELD)
    assert held.count() == 2
    assert all(any("宣伝" in reason for reason in held_reasons(p)) for p in held)
    assert held.filter(author__staff_role="marketing").exists()
    queued = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN, source=ReviewItem.Source.RULE)
    assert sorted(queued.values_list("post_id", flat=True)) == sorted(p.pk for p in held)


def test_demo_has_case_studies_with_consent_tips_discussions_and_announcements(
    demo: None,
) -> None:
    assert Post.objects.filter(post_type=PostType.CASE_STUDY, public_use_consent=True).count() >= 2
    assert Post.objects.filter(post_type=PostType.ARTICLE).exists()
    assert Post.objects.filter(post_type=PostType.DISCUSSION, answer_count__gt=0).exists()
    assert Post.objects.filter(
        post_type=PostType.ANNOUNCEMENT,
        status=ContentStatus.PUBLISHED,
        author__staff_role="community_manager",
    ).exists()


def test_some_threads_are_in_english(demo: None) -> None:
    english = Post.objects.filter(space__slug="developers-english")

    assert english.exists()
    assert all(post.author.language == "en" for post in english)


def test_answer_counts_and_first_answer_times_match_the_answers(demo: None) -> None:
    for post in Post.objects.prefetch_related("answers"):
        answers = list(post.answers.all())
        assert post.answer_count == len(answers)
        assert post.first_answer_at == (answers[0].created_at if answers else None)
        assert all(a.created_at >= post.created_at for a in answers)
        assert post.last_activity_at >= max([post.created_at, *(a.created_at for a in answers)])


def test_reaction_counts_match_the_reactions(demo: None) -> None:
    assert Reaction.objects.exists()
    for post in Post.objects.all():
        assert post.reaction_count == Reaction.objects.filter(post=post, answer=None).count()
    for answer in Answer.objects.all():
        assert answer.reaction_count == Reaction.objects.filter(answer=answer).count()
    assert not Reaction.objects.filter(post__status=ContentStatus.HELD).exists()
    assert not Reaction.objects.filter(member=F("post__author"), answer=None).exists()


def test_every_demo_action_is_in_the_activity_stream_when_it_happened(demo: None) -> None:
    activities = Activity.objects.exclude(verb__in=[Verb.JOINED, Verb.LOGGED_IN])
    assert activities.filter(verb=Verb.POSTED).count() == Post.objects.count()
    assert activities.filter(verb=Verb.ANSWERED).count() == Answer.objects.count()
    assert activities.filter(verb=Verb.COMMENTED).count() == Comment.objects.count()
    assert activities.filter(verb=Verb.REACTED).count() == Reaction.objects.count()
    assert (
        activities.filter(verb=Verb.ACCEPTED).count()
        == Post.objects.filter(accepted_answer__isnull=False).count()
    )
    for model, verb in ((Post, Verb.POSTED), (Answer, Verb.ANSWERED), (Comment, Verb.COMMENTED)):
        written = dict(model.objects.values_list("pk", "created_at"))
        recorded = dict(activities.filter(verb=verb).values_list("object_id", "occurred_at"))
        assert recorded == written


def test_loading_the_forum_twice_adds_nothing(demo: None) -> None:
    posts, activities = Post.objects.count(), Activity.objects.count()
    assert load_demo_forum(seed=7) is None
    assert (Post.objects.count(), Activity.objects.count()) == (posts, activities)


def test_demo_posts_are_rendered_and_in_the_search_index_with_their_dates(demo: None) -> None:
    assert not Post.objects.filter(body_html="").exists()
    assert not Answer.objects.filter(body_html="").exists()
    indexed = dict(SearchDocument.objects.values_list("post_id", "created_at"))
    assert indexed == dict(Post.objects.values_list("pk", "created_at"))
    assert not PendingIndex.objects.exists()


def test_members_hear_of_the_last_weeks_only_dated_and_never_by_email(demo: None) -> None:
    notices = Notification.objects.filter(activity_id__isnull=False)
    now = timezone.now()

    assert notices.filter(kind="reply").exists()
    assert all(now - NOTICES_FOR - timedelta(days=1) < n.created_at < now for n in notices)
    assert set(notices.values_list("email_channel", flat=True)) == {EmailChannel.OFF}
    old = notices.filter(created_at__lt=now - NOTICES_READ_AFTER)
    assert old.exists()
    assert not old.filter(read_at__isnull=True).exists()
    occurred = dict(Activity.objects.values_list("pk", "occurred_at"))
    assert all(n.created_at == occurred[n.activity_id or 0] for n in notices)


def test_the_customer_login_asks_answers_and_has_a_question_from_this_week(demo: None) -> None:
    login = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
    asked = Post.objects.filter(author=login, post_type=PostType.QUESTION)

    assert asked.count() >= 3
    assert asked.filter(created_at__gt=timezone.now() - timedelta(days=7)).exists()
    assert asked.filter(accepted_answer__isnull=False).exists()
    assert set(asked.values_list("space__slug", flat=True)) <= {
        "user-group",
        "customers",
        "customers-kansai",
    }


def test_the_prospect_asks_in_the_open_user_group_and_customers_answer(demo: None) -> None:
    prospect = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)
    asked = Post.objects.filter(author=prospect)

    assert asked.count() == 3
    assert set(asked.values_list("space__access_type", flat=True)) == {AccessType.OPEN}
    assert Answer.objects.filter(post__author=prospect).exists()


def test_every_japanese_demo_name_has_its_reading_for_the_directory_order(demo: None) -> None:
    japanese = Member.objects.exclude(display_name__regex=r"^[A-Za-z ]+$")
    assert japanese.exists()
    assert not japanese.filter(name_reading="").exists()
    assert Member.objects.get(email=data.CUSTOMER_LOGIN.email).name_reading == "やまだ はなこ"


def test_the_demo_holds_past_and_upcoming_events_of_every_format_within_their_seats(
    demo: None,
) -> None:
    now = timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED)
    past, upcoming = events.filter(ends_at__lt=now), events.filter(starts_at__gt=now)

    assert past.count() >= 10
    assert upcoming.count() >= 3
    assert set(events.values_list("format", flat=True)) == set(EventFormat.values)
    for event in events:
        for seat in event.seat_kinds:
            confirmed = event.registrations.filter(
                seat=seat, status=RegistrationStatus.CONFIRMED
            ).count()
            assert confirmed <= event.capacity_of(seat), event.title
    assert Registration.objects.filter(
        event__in=upcoming, status=RegistrationStatus.WAITLISTED
    ).exists()
    past_registrations = Registration.objects.filter(
        event__in=past, status=RegistrationStatus.CONFIRMED
    )
    attended = past_registrations.filter(attendance=Attendance.ATTENDED).count()
    assert 0.5 < attended / past_registrations.count() < 0.95
    assert past_registrations.filter(attendance=Attendance.NO_SHOW).exists()
    assert SurveyResponse.objects.filter(registration__event__in=past).exists()
    assert EventMaterial.objects.filter(event__in=past).exists()
    assert set(EventSpeaker.objects.values_list("kind", flat=True)) == set(SpeakerKind.values)


def test_the_customer_login_has_an_upcoming_hybrid_seat_and_attended_past_events(
    demo: None,
) -> None:
    login = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
    now = timezone.now()
    mine = Registration.objects.filter(member=login, status=RegistrationStatus.CONFIRMED)

    assert mine.filter(event__starts_at__gt=now, event__format=EventFormat.HYBRID).exists()
    assert mine.filter(event__ends_at__lt=now, attendance=Attendance.ATTENDED).count() >= 2


def test_the_prospect_registers_only_for_events_of_open_spaces(demo: None) -> None:
    prospect = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)
    spaces = Registration.objects.filter(member=prospect).values_list(
        "event__space__access_type", flat=True
    )

    assert spaces
    assert set(spaces) == {AccessType.OPEN}


def test_the_demo_members_were_paid_for_the_events_they_attended(demo: None) -> None:
    customer = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
    attended = LedgerEntry.objects.filter(member=customer, rule__key=RuleKey.EVENT_ATTENDED)
    assert attended.count() == 4
    assert not attended.filter(created_at__gte=timezone.now() - timedelta(days=1)).exists()
