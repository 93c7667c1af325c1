"""Reads of contests shared by the pages, the home-page spotlight and the services."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kizuna.content.models import ContentStatus, Post, PostType
from kizuna.content.permissions import posts_visible_to
from kizuna.contests.models import Contest, Entry, Vote, Winner
from kizuna.contests.permissions import can_view_contest
from kizuna.gamification.models import EntryKind, LedgerEntry, MemberRecognitionSettings
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in


class ContestTab(StrEnum):
    OPEN = "open"
    UPCOMING = "upcoming"
    PAST = "past"


def list_contests(*, tab: ContestTab, now: datetime | None = None) -> QuerySet[Contest]:
    """Published contests on one tab: open (closing soonest first), upcoming, or past (newest)."""
    now = now or timezone.now()
    published = Contest.objects.filter(published_at__isnull=False)
    if tab == ContestTab.OPEN:
        return published.filter(
            opens_at__lte=now, closes_at__gt=now, announced_at__isnull=True
        ).order_by("closes_at", "id")
    if tab == ContestTab.UPCOMING:
        return published.filter(opens_at__gt=now, announced_at__isnull=True).order_by(
            "opens_at", "id"
        )
    return published.filter(Q(closes_at__lte=now) | Q(announced_at__isnull=False)).order_by(
        "-closes_at", "-id"
    )


def list_all_contests() -> QuerySet[Contest]:
    """Every contest, drafts included, for the staff pages; newest first."""
    return Contest.objects.annotate(entry_count=Count("entries")).order_by("-created_at", "-id")


def get_contest_for_viewer(viewer: Viewer, pk: int) -> Contest | None:
    """A published contest, or a draft for the staff who run contests; None otherwise."""
    contest = Contest.objects.select_related("badge").filter(pk=pk).first()
    if contest is None:
        return None
    if not can_view_contest(viewer, contest):
        return None
    return contest


@dataclass(frozen=True)
class EntryView:
    """An entry as one viewer may see it: the post only if they may read it."""

    entry: Entry
    post: Post | None
    votes: int | None


def list_entries(contest: Contest) -> QuerySet[Entry]:
    """A contest's entries, oldest first, with their vote counts."""
    return (
        contest.entries.select_related("member", "post")
        .annotate(vote_count=Count("votes"))
        .order_by("created_at", "id")
    )


def entries_for_viewer(
    viewer: Viewer, contest: Contest, entries: list[Entry], *, now: datetime | None = None
) -> list[EntryView]:
    """Entries of one page, each with its post only if the viewer may read it (one query),
    and vote counts only once voting has closed."""
    post_ids = {entry.post_id for entry in entries if entry.post_id is not None}
    readable = (
        set(posts_visible_to(viewer).filter(pk__in=post_ids).values_list("pk", flat=True))
        if post_ids
        else set()
    )
    moment = now or timezone.now()
    counts_shown = contest.is_member_vote and moment >= contest.closes_at
    return [
        EntryView(
            entry=entry,
            post=entry.post if entry.post_id in readable else None,
            votes=getattr(entry, "vote_count", 0) if counts_shown else None,
        )
        for entry in entries
    ]


def get_entry_of(member: Viewer, contest: Contest) -> Entry | None:
    if not is_signed_in(member):
        return None
    return Entry.objects.filter(contest=contest, member_id=member.pk).first()


def get_vote_of(member: Viewer, contest: Contest) -> Vote | None:
    if not is_signed_in(member):
        return None
    return Vote.objects.filter(contest=contest, voter_id=member.pk).first()


def list_case_studies_of(member: Member) -> QuerySet[Post]:
    """The member's own published case studies, which they may enter in a case-study contest."""
    return (
        posts_visible_to(member)
        .filter(author_id=member.pk, post_type=PostType.CASE_STUDY, status=ContentStatus.PUBLISHED)
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Candidate:
    member: Member
    score: int
    entry: Entry | None


def vote_ranking(contest: Contest) -> list[Candidate]:
    """Entries with at least one vote, most votes first; a tie goes to the earlier entry."""
    entries = (
        contest.entries.select_related("member")
        .annotate(vote_count=Count("votes"))
        .filter(vote_count__gt=0)
        .order_by("-vote_count", "created_at", "id")
    )
    return [Candidate(entry.member, entry.vote_count, entry) for entry in entries]


def entry_candidates(contest: Contest) -> list[Candidate]:
    """Every entry as a candidate for staff judging, oldest first."""
    return [Candidate(entry.member, 0, entry) for entry in contest.entries.select_related("member")]


def top_contributors(contest: Contest, *, limit: int = 20) -> list[Candidate]:
    """Members by activity points earned inside the contest window, best first.

    Only rule-based awards and their reversals count: prizes and staff adjustments are
    not contributions. Members who opted out of leaderboards are not ranked.
    """
    opted_out = MemberRecognitionSettings.objects.filter(show_on_leaderboards=False).values(
        "member_id"
    )
    rows = list(
        LedgerEntry.objects.filter(
            kind__in=[EntryKind.AWARD, EntryKind.REVERSAL],
            rule__isnull=False,
            created_at__gte=contest.opens_at,
            created_at__lt=contest.closes_at,
        )
        .exclude(member_id__in=opted_out)
        .values("member_id")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by("-total", "member_id")[:limit]
    )
    members = Member.objects.in_bulk([row["member_id"] for row in rows])
    return [
        Candidate(members[row["member_id"]], int(row["total"]), None)
        for row in rows
        if row["member_id"] in members
    ]


def candidates_for(contest: Contest) -> list[Candidate]:
    """Whom staff may choose as winners of a staff-judged contest: top contributors, or the entries."""
    if not contest.takes_entries:
        return top_contributors(contest)
    return entry_candidates(contest)


def list_winners(contest: Contest) -> list[Winner]:
    return list(contest.winners.select_related("member", "entry").order_by("place"))


def get_spotlight() -> tuple[Contest, list[Winner]] | None:
    """The most recently announced contest and its winners, for the home page."""
    contest = (
        Contest.objects.filter(announced_at__isnull=False, published_at__isnull=False)
        .order_by("-announced_at", "-id")
        .first()
    )
    if contest is None:
        return None
    return contest, list(contest.winners.select_related("member").order_by("place"))
