from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kizuna.badges.models import BadgeAward, BadgeKind
from kizuna.badges.tests.factories import BadgeFactory
from kizuna.content.models import ContentStatus, PostType
from kizuna.content.tests.factories import PostFactory
from kizuna.contests import services
from kizuna.contests.models import Contest, ContestKind, ContestState, Entry, Judging, Vote, Winner
from kizuna.contests.tests.factories import ContestFactory, EntryFactory, close
from kizuna.core.models import AuditEntry
from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager() -> Member:
    return StaffFactory(staff_role="community_manager")


def details(**overrides: Any) -> services.ContestDetails:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "ベストプロフィール賞",
        "description": "写真と自己紹介で**あなたらしさ**を。",
        "kind": ContestKind.BEST_PROFILE,
        "judging": Judging.MEMBER_VOTE,
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=8),
        "winner_count": 2,
        "points_per_winner": 200,
        "badge": None,
    }
    values.update(overrides)
    return services.ContestDetails(**values)


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in error.message_dict.items()}


# ---------------------------------------------------------------- creating and the time box


def test_staff_create_a_draft_with_sanitised_markdown_and_an_audit_row(manager: Member) -> None:
    contest = services.create_contest(
        actor=manager, details=details(description="**太字** <script>alert(1)</script>")
    )
    assert contest.state == ContestState.DRAFT
    assert "<strong>太字</strong>" in contest.description_html
    assert "<script>" not in contest.description_html
    assert AuditEntry.objects.filter(action="contests.created", target_id=str(contest.pk)).exists()


def test_a_contest_must_close_after_it_opens_and_nothing_is_written(manager: Member) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.create_contest(actor=manager, details=details(opens_at=now, closes_at=now))
    assert messages_of(caught.value) == {"closes_at": ["The contest must close after it opens."]}
    assert not Contest.objects.exists()
    assert not AuditEntry.objects.exists()


def test_bad_details_are_all_explained_at_once(manager: Member) -> None:
    automatic = BadgeFactory(kind=BadgeKind.AUTOMATIC, criterion="first_answer")
    with pytest.raises(ValidationError) as caught:
        services.create_contest(
            actor=manager,
            details=details(
                title="  ",
                kind=ContestKind.TOP_CONTRIBUTORS,
                judging=Judging.MEMBER_VOTE,
                winner_count=11,
                points_per_winner=-1,
                badge=automatic,
            ),
        )
    errors = messages_of(caught.value)
    assert errors["title"] == ["Give the contest a title."]
    assert errors["judging"][0].startswith("Top contributors are found from the points")
    assert errors["winner_count"] == ["A contest has between 1 and 10 winners."]
    assert errors["points_per_winner"] == ["Points per winner must be between 0 and 100000."]
    assert errors["badge"] == ["Only an active badge awarded by staff can go to the winners."]
    assert not Contest.objects.exists()


def test_state_follows_the_clock_and_the_announcement() -> None:
    now = timezone.now()
    contest = ContestFactory.build(
        opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2), published_at=now
    )
    assert contest.state_at(now) == ContestState.SCHEDULED
    assert contest.state_at(now + timedelta(hours=1)) == ContestState.OPEN
    assert contest.state_at(now + timedelta(hours=2)) == ContestState.JUDGING
    contest.announced_at = now + timedelta(hours=3)
    assert contest.state_at(now + timedelta(hours=3)) == ContestState.ANNOUNCED
    contest.published_at = None
    assert contest.state_at(now) == ContestState.DRAFT


def test_publishing_schedules_and_opening_now_opens(manager: Member) -> None:
    contest = services.create_contest(actor=manager, details=details())
    services.publish_contest(actor=manager, contest=contest)
    contest.refresh_from_db()
    assert contest.state == ContestState.SCHEDULED
    services.open_contest_now(actor=manager, contest=contest)
    contest.refresh_from_db()
    assert contest.state == ContestState.OPEN
    services.close_contest_now(actor=manager, contest=contest)
    contest.refresh_from_db()
    assert contest.state == ContestState.JUDGING
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"contests.published", "contests.opened", "contests.closed"} <= actions


def test_a_contest_whose_closing_time_passed_cannot_be_published(manager: Member) -> None:
    contest = ContestFactory(published_at=None)
    close(contest)
    with pytest.raises(services.ContestError, match="The closing time has passed"):
        services.publish_contest(actor=manager, contest=contest)
    contest.refresh_from_db()
    assert contest.published_at is None


def test_kind_cannot_change_once_members_have_entered(manager: Member) -> None:
    entry = EntryFactory()
    contest = entry.contest
    with pytest.raises(ValidationError) as caught:
        services.update_contest(
            actor=manager,
            contest=contest,
            details=details(
                kind=ContestKind.BEST_PROFILE,
                judging=contest.judging,
                opens_at=contest.opens_at,
                closes_at=contest.closes_at,
            ),
        )
    assert "kind" in caught.value.message_dict
    contest.refresh_from_db()
    assert contest.kind == ContestKind.GENERAL


def test_an_open_contest_can_be_extended_but_not_moved_back(manager: Member) -> None:
    contest = ContestFactory()
    later = contest.closes_at + timedelta(days=3)
    same = {"kind": contest.kind, "judging": contest.judging, "opens_at": contest.opens_at}
    services.update_contest(
        actor=manager, contest=contest, details=details(**same, closes_at=later)
    )
    contest.refresh_from_db()
    assert contest.closes_at == later
    with pytest.raises(ValidationError) as caught:
        services.update_contest(
            actor=manager,
            contest=contest,
            details=details(**{**same, "opens_at": contest.opens_at - timedelta(days=1)}),
        )
    assert "opens_at" in caught.value.message_dict


# ---------------------------------------------------------------- permissions


STAFF_WRITES: dict[str, Callable[[Member, Contest], object]] = {
    "create": lambda actor, contest: services.create_contest(actor=actor, details=details()),
    "update": lambda actor, contest: services.update_contest(
        actor=actor, contest=contest, details=details()
    ),
    "publish": lambda actor, contest: services.publish_contest(actor=actor, contest=contest),
    "open": lambda actor, contest: services.open_contest_now(actor=actor, contest=contest),
    "close": lambda actor, contest: services.close_contest_now(actor=actor, contest=contest),
    "choose": lambda actor, contest: services.choose_winners(
        actor=actor, contest=contest, member_ids=[1]
    ),
    "announce": lambda actor, contest: services.announce_winners(actor=actor, contest=contest),
}


@pytest.mark.parametrize("write", STAFF_WRITES)
@pytest.mark.parametrize("role", ["", "moderator", "csm", "marketing"])
def test_only_community_managers_and_administrators_run_contests(write: str, role: str) -> None:
    actor = MemberFactory(staff_role=role)
    contest = ContestFactory(published_at=None)
    before = (Contest.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDenied):
        STAFF_WRITES[write](actor, contest)
    assert (Contest.objects.count(), AuditEntry.objects.count()) == before
    contest.refresh_from_db()
    assert contest.published_at is None


# ---------------------------------------------------------------- entries


def test_a_member_enters_an_open_contest_once() -> None:
    contest, member = ContestFactory(), MemberFactory()
    services.enter_contest(member=member, contest=contest, statement=" 初めての応募です ")
    with pytest.raises(services.ContestError, match="You have already entered this contest"):
        services.enter_contest(member=member, contest=contest, statement="もう一度")
    assert list(Entry.objects.values_list("statement", flat=True)) == ["初めての応募です"]


@pytest.mark.parametrize(
    ("opens", "closes", "published"),
    [
        (timedelta(days=1), timedelta(days=2), True),  # scheduled
        (timedelta(days=-2), timedelta(days=-1), True),  # closed
        (timedelta(days=-1), timedelta(days=1), False),  # draft
    ],
)
def test_entries_are_refused_outside_the_time_box(
    opens: timedelta, closes: timedelta, published: bool
) -> None:
    now = timezone.now()
    contest = ContestFactory(
        opens_at=now + opens, closes_at=now + closes, published_at=now if published else None
    )
    with pytest.raises(services.ContestError, match="This contest is not open right now"):
        services.enter_contest(member=MemberFactory(), contest=contest, statement="応募")
    assert not Entry.objects.exists()


def test_an_empty_statement_is_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        services.enter_contest(member=MemberFactory(), contest=ContestFactory(), statement="  ")
    assert messages_of(caught.value) == {"statement": ["Tell the community about your entry."]}
    assert not Entry.objects.exists()


def test_top_contributor_contests_take_no_entries() -> None:
    contest = ContestFactory(kind=ContestKind.TOP_CONTRIBUTORS)
    with pytest.raises(services.ContestError) as caught:
        services.enter_contest(member=MemberFactory(), contest=contest, statement="応募")
    assert caught.value.code == "no_entries_here"


def test_a_case_study_entry_must_be_the_members_own_published_case_study() -> None:
    contest = ContestFactory(kind=ContestKind.BEST_CASE_STUDY)
    member = MemberFactory()
    someone_elses = PostFactory(post_type=PostType.CASE_STUDY)
    question = PostFactory(author=member, post_type=PostType.QUESTION)
    held = PostFactory(author=member, post_type=PostType.CASE_STUDY, status=ContentStatus.HELD)
    for post, code in [
        (None, "post_required"),
        (someone_elses, "post_not_allowed"),
        (question, "post_not_allowed"),
        (held, "post_not_allowed"),
    ]:
        with pytest.raises(services.ContestError) as caught:
            services.enter_contest(member=member, contest=contest, statement="事例", post=post)
        assert caught.value.code == code
    assert not Entry.objects.exists()
    own = PostFactory(author=member, post_type=PostType.CASE_STUDY)
    entry = services.enter_contest(member=member, contest=contest, statement="事例", post=own)
    assert entry.post == own


def test_an_entrant_withdraws_while_open_and_the_votes_go_with_the_entry() -> None:
    entry = EntryFactory(contest__judging=Judging.MEMBER_VOTE)
    services.cast_vote(voter=MemberFactory(), contest=entry.contest, entry=entry)
    services.withdraw_entry(member=entry.member, contest=entry.contest)
    assert not Entry.objects.exists()
    assert not Vote.objects.exists()


def test_no_withdrawal_after_the_contest_closed() -> None:
    entry = EntryFactory()
    close(entry.contest)
    with pytest.raises(services.ContestError, match="not open"):
        services.withdraw_entry(member=entry.member, contest=entry.contest)
    assert Entry.objects.count() == 1


# ---------------------------------------------------------------- voting


@pytest.fixture
def voting_contest() -> Contest:
    return ContestFactory(judging=Judging.MEMBER_VOTE, winner_count=2)


def test_a_member_cannot_vote_for_their_own_entry(voting_contest: Contest) -> None:
    entry = EntryFactory(contest=voting_contest)
    with pytest.raises(services.ContestError, match="You cannot vote for your own entry"):
        services.cast_vote(voter=entry.member, contest=voting_contest, entry=entry)
    assert not Vote.objects.exists()


def test_voting_again_moves_the_one_vote(voting_contest: Contest) -> None:
    first, second = EntryFactory.create_batch(2, contest=voting_contest)
    voter = MemberFactory()
    services.cast_vote(voter=voter, contest=voting_contest, entry=first)
    services.cast_vote(voter=voter, contest=voting_contest, entry=second)
    assert list(Vote.objects.values_list("voter_id", "entry_id")) == [(voter.pk, second.pk)]


def test_votes_are_refused_once_closed_and_in_staff_judged_contests(
    voting_contest: Contest,
) -> None:
    entry = EntryFactory(contest=voting_contest)
    close(voting_contest)
    with pytest.raises(services.ContestError, match="not open"):
        services.cast_vote(voter=MemberFactory(), contest=voting_contest, entry=entry)
    judged = EntryFactory(contest__judging=Judging.STAFF)
    with pytest.raises(services.ContestError, match="Staff choose the winners"):
        services.cast_vote(voter=MemberFactory(), contest=judged.contest, entry=judged)
    assert not Vote.objects.exists()


def test_a_vote_for_an_entry_of_another_contest_is_refused(voting_contest: Contest) -> None:
    elsewhere = EntryFactory(contest__judging=Judging.MEMBER_VOTE)
    with pytest.raises(services.ContestError):
        services.cast_vote(voter=MemberFactory(), contest=voting_contest, entry=elsewhere)
    assert not Vote.objects.exists()


# ---------------------------------------------------------------- announcing


def test_votes_decide_the_winners_and_announcing_twice_pays_once(
    manager: Member, voting_contest: Contest
) -> None:
    early, late, unvoted = EntryFactory.create_batch(3, contest=voting_contest)
    for entry, voters in ((late, 2), (early, 1)):
        for voter in MemberFactory.create_batch(voters):
            services.cast_vote(voter=voter, contest=voting_contest, entry=entry)
    close(voting_contest)
    services.announce_winners(actor=manager, contest=voting_contest)
    services.announce_winners(actor=manager, contest=voting_contest)
    winners = list(Winner.objects.order_by("place").values_list("member_id", "place", "score"))
    assert winners == [(late.member_id, 1, 2), (early.member_id, 2, 1)]
    prizes = LedgerEntry.objects.filter(source_type="contests.contest", kind=EntryKind.AWARD)
    assert sorted(prizes.values_list("member_id", "amount")) == sorted(
        [(late.member_id, 100), (early.member_id, 100)]
    )
    assert get_balance(unvoted.member) == 0
    assert AuditEntry.objects.filter(action="contests.announced").count() == 1
    voting_contest.refresh_from_db()
    assert voting_contest.state == ContestState.ANNOUNCED


def test_a_tie_goes_to_the_earlier_entry(manager: Member) -> None:
    contest = ContestFactory(judging=Judging.MEMBER_VOTE)
    earlier, later = EntryFactory.create_batch(2, contest=contest)
    services.cast_vote(voter=MemberFactory(), contest=contest, entry=later)
    services.cast_vote(voter=MemberFactory(), contest=contest, entry=earlier)
    close(contest)
    services.announce_winners(actor=manager, contest=contest)
    assert list(Winner.objects.values_list("member_id", flat=True)) == [earlier.member_id]


def test_announcing_before_the_close_or_without_winners_is_refused(manager: Member) -> None:
    contest = ContestFactory()
    entry = EntryFactory(contest=contest)
    with pytest.raises(services.ContestError, match="once the contest has closed"):
        services.announce_winners(actor=manager, contest=contest)
    close(contest)
    with pytest.raises(services.ContestError, match="There is no winner to announce yet"):
        services.announce_winners(actor=manager, contest=contest)
    assert get_balance(entry.member) == 0
    contest.refresh_from_db()
    assert contest.announced_at is None


def test_staff_place_the_winners_and_the_announcement_pays_points_and_badge(
    manager: Member,
) -> None:
    badge = BadgeFactory()
    contest = ContestFactory(winner_count=2, points_per_winner=300, badge=badge)
    first, second = EntryFactory.create_batch(2, contest=contest)
    close(contest)
    services.choose_winners(
        actor=manager, contest=contest, member_ids=[second.member_id, first.member_id]
    )
    services.announce_winners(actor=manager, contest=contest)
    services.announce_winners(actor=manager, contest=contest)
    assert list(Winner.objects.values_list("member_id", "place")) == [
        (second.member_id, 1),
        (first.member_id, 2),
    ]
    assert get_balance(second.member) == 300
    assert get_balance(first.member) == 300
    assert set(BadgeAward.objects.values_list("member_id", flat=True)) == {
        first.member_id,
        second.member_id,
    }


def test_a_winner_who_already_holds_the_badge_still_gets_the_points(manager: Member) -> None:
    badge = BadgeFactory()
    entry = EntryFactory(contest__badge=badge)
    BadgeAward.objects.create(badge=badge, member=entry.member)
    close(entry.contest)
    services.choose_winners(actor=manager, contest=entry.contest, member_ids=[entry.member_id])
    services.announce_winners(actor=manager, contest=entry.contest)
    assert get_balance(entry.member) == 100
    assert BadgeAward.objects.count() == 1


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("stranger", "Winners must be chosen from this contest's candidates."),
        ("twice", "A member can take only one place."),
        ("too_many", "Choose at most 1 winner."),
        ("none", "Choose at least one winner."),
    ],
)
def test_bad_winner_choices_are_explained_and_write_nothing(
    manager: Member, choice: str, message: str
) -> None:
    entry = EntryFactory()
    close(entry.contest)
    member_ids = {
        "stranger": [MemberFactory().pk],
        "twice": [entry.member_id, entry.member_id],
        "too_many": [entry.member_id, EntryFactory(contest=entry.contest).member_id],
        "none": [],
    }[choice]
    with pytest.raises(services.ContestError) as caught:
        services.choose_winners(actor=manager, contest=entry.contest, member_ids=member_ids)
    assert caught.value.messages == [message]
    assert not Winner.objects.exists()


def test_staff_cannot_override_the_votes(manager: Member, voting_contest: Contest) -> None:
    entry = EntryFactory(contest=voting_contest)
    close(voting_contest)
    with pytest.raises(services.ContestError, match="votes decide"):
        services.choose_winners(actor=manager, contest=voting_contest, member_ids=[entry.member_id])


def test_an_announced_contest_can_no_longer_change(manager: Member) -> None:
    entry = EntryFactory()
    close(entry.contest)
    services.choose_winners(actor=manager, contest=entry.contest, member_ids=[entry.member_id])
    services.announce_winners(actor=manager, contest=entry.contest)
    with pytest.raises(services.ContestError, match="announced"):
        services.choose_winners(actor=manager, contest=entry.contest, member_ids=[entry.member_id])
    with pytest.raises(services.ContestError, match="announced"):
        services.update_contest(actor=manager, contest=entry.contest, details=details())
