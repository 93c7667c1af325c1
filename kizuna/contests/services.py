"""Every write of contests. Order inside each use case: authorize → validate → lock → write → audit.

Each use case locks the contest row first, so its state (which follows from the clock and
the contest's own fields) is read once under the lock and cannot change underneath:
an entry or vote never lands after a concurrent close, and two announcements never
both pay. Prizes go through the ledger with one key per contest and member.
"""

from dataclasses import dataclass, fields, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.badges.models import Badge, BadgeAward, BadgeKind
from kizuna.badges.services import award_badge
from kizuna.content.markdown import render_markdown
from kizuna.content.models import Post
from kizuna.contests.models import (
    MAX_WINNERS,
    Contest,
    ContestKind,
    ContestState,
    Entry,
    Judging,
    Vote,
    Winner,
)
from kizuna.contests.permissions import MANAGE_CONTESTS
from kizuna.contests.selectors import candidates_for, list_case_studies_of, vote_ranking
from kizuna.core.audit import record_audit
from kizuna.gamification.services import award_prize
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability, is_signed_in

MAX_POINTS_PER_WINNER = 100_000


class ContestError(ValidationError):
    """An action the contest's state or rules do not allow; the message says why to people.

    Codes: not_open, not_closed, announced, already_entered, not_entered, no_entries_here,
    post_required, post_not_allowed, own_entry, not_voting, not_staff_judged, no_winners,
    too_many_winners, duplicate_winner, not_a_candidate, badge_unavailable, not_draft,
    not_signed_in.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True)
class ContestDetails:
    """What staff write about a contest on its form."""

    title: str
    description: str
    kind: str
    judging: str
    opens_at: datetime
    closes_at: datetime
    winner_count: int
    points_per_winner: int
    badge: Badge | None


def _check_details(details: ContestDetails) -> ContestDetails:
    errors: dict[str, str] = {}
    title = " ".join(details.title.split())
    if not title:
        errors["title"] = _("Give the contest a title.")
    if details.kind not in ContestKind.values:
        errors["kind"] = _("Choose what the contest is for.")
    if details.judging not in Judging.values:
        errors["judging"] = _("Choose how the winners are decided.")
    elif details.kind == ContestKind.TOP_CONTRIBUTORS and details.judging != Judging.STAFF:
        errors["judging"] = _(
            "Top contributors are found from the points members earn, so staff confirm the "
            "winners. Choose judging by staff."
        )
    if details.closes_at <= details.opens_at:
        errors["closes_at"] = _("The contest must close after it opens.")
    if not 1 <= details.winner_count <= MAX_WINNERS:
        errors["winner_count"] = _("A contest has between 1 and %(most)s winners.") % {
            "most": MAX_WINNERS
        }
    if not 0 <= details.points_per_winner <= MAX_POINTS_PER_WINNER:
        errors["points_per_winner"] = _("Points per winner must be between 0 and %(most)s.") % {
            "most": MAX_POINTS_PER_WINNER
        }
    if details.badge is not None and (
        details.badge.kind != BadgeKind.STAFF_AWARDED or not details.badge.is_active
    ):
        errors["badge"] = _("Only an active badge awarded by staff can go to the winners.")
    if errors:
        raise ValidationError(errors)
    return replace(details, title=title)


def _field_values(details: ContestDetails) -> dict[str, object]:
    return {field.name: getattr(details, field.name) for field in fields(details)}


def _audit(actor: Member, action: str, contest: Contest, **details: object) -> None:
    record_audit(actor=actor, action=f"contests.{action}", target=contest, details=details)


def _lock(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def create_contest(*, actor: Member, details: ContestDetails) -> Contest:
    """Staff create a contest as a draft; nobody else sees it until it is published."""
    check_capability(actor, MANAGE_CONTESTS)
    details = _check_details(details)
    with transaction.atomic():
        contest = Contest.objects.create(
            **_field_values(details),
            description_html=render_markdown(details.description),
            created_by=actor,
        )
        _audit(actor, "created", contest, kind=contest.kind, judging=contest.judging)
    return contest


def update_contest(*, actor: Member, contest: Contest, details: ContestDetails) -> Contest:
    """Staff change a contest until its winners are announced; what entrants relied on stays."""
    check_capability(actor, MANAGE_CONTESTS)
    details = _check_details(details)
    with transaction.atomic():
        locked = _lock(contest)
        state = locked.state
        if state == ContestState.ANNOUNCED:
            raise ContestError(
                _("The winners are announced; this contest can no longer change."),
                code="announced",
            )
        if (details.kind != locked.kind or details.judging != locked.judging) and (
            locked.entries.exists()
        ):
            raise ValidationError(
                {"kind": _("Members have entered, so the kind and judging can no longer change.")}
            )
        if state in (ContestState.OPEN, ContestState.JUDGING) and details.opens_at != (
            locked.opens_at
        ):
            raise ValidationError(
                {"opens_at": _("The contest has opened, so its opening time can no longer change.")}
            )
        before = {
            "opens_at": locked.opens_at.isoformat(),
            "closes_at": locked.closes_at.isoformat(),
        }
        for name, value in _field_values(details).items():
            setattr(locked, name, value)
        locked.description_html = render_markdown(details.description)
        locked.save()
        _audit(
            actor,
            "updated",
            locked,
            before=before,
            after={
                "opens_at": locked.opens_at.isoformat(),
                "closes_at": locked.closes_at.isoformat(),
            },
        )
    return locked


def publish_contest(*, actor: Member, contest: Contest) -> Contest:
    """Staff publish a draft: members see it, and it opens at its opening time."""
    check_capability(actor, MANAGE_CONTESTS)
    with transaction.atomic():
        locked = _lock(contest)
        now = timezone.now()
        if locked.published_at is not None:
            raise ContestError(_("This contest is already published."), code="not_draft")
        if locked.closes_at <= now:
            raise ContestError(
                _("The closing time has passed. Move it later before publishing."),
                code="not_open",
            )
        locked.published_at = now
        locked.save(update_fields=["published_at", "updated_at"])
        _audit(actor, "published", locked)
    return locked


def open_contest_now(*, actor: Member, contest: Contest) -> Contest:
    """Staff open a draft or scheduled contest at once (publishing it if needed)."""
    check_capability(actor, MANAGE_CONTESTS)
    with transaction.atomic():
        locked = _lock(contest)
        now = timezone.now()
        if locked.state_at(now) not in (ContestState.DRAFT, ContestState.SCHEDULED):
            raise ContestError(_("This contest has already opened."), code="not_draft")
        if locked.closes_at <= now:
            raise ContestError(
                _("The closing time has passed. Move it later before opening."), code="not_open"
            )
        locked.published_at = locked.published_at or now
        locked.opens_at = now
        locked.save(update_fields=["published_at", "opens_at", "updated_at"])
        _audit(actor, "opened", locked)
    return locked


def close_contest_now(*, actor: Member, contest: Contest) -> Contest:
    """Staff close an open contest early: no more entries or votes."""
    check_capability(actor, MANAGE_CONTESTS)
    with transaction.atomic():
        locked = _lock(contest)
        now = timezone.now()
        if locked.state_at(now) != ContestState.OPEN:
            raise ContestError(_("Only an open contest can be closed."), code="not_open")
        locked.closes_at = now
        locked.save(update_fields=["closes_at", "updated_at"])
        _audit(actor, "closed", locked)
    return locked


# ---------------------------------------------------------------- members


def _check_member(member: Member) -> None:
    if not is_signed_in(member) or not member.is_active:
        raise ContestError(_("Sign in to take part."), code="not_signed_in")


def _check_open(contest: Contest) -> None:
    if contest.state != ContestState.OPEN:
        raise ContestError(_("This contest is not open right now."), code="not_open")


def enter_contest(
    *, member: Member, contest: Contest, statement: str, post: Post | None = None
) -> Entry:
    """A member enters an open contest once; a case study must be one of their own."""
    _check_member(member)
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Tell the community about your entry.")})
    if len(statement) > 2000:
        raise ValidationError({"statement": _("Keep the statement to 2,000 characters.")})
    with transaction.atomic():
        locked = _lock(contest)
        _check_open(locked)
        if not locked.takes_entries:
            raise ContestError(
                _("Nobody enters this contest: winners are found from the points members earn."),
                code="no_entries_here",
            )
        if locked.kind == ContestKind.BEST_CASE_STUDY:
            if post is None:
                raise ContestError(_("Choose one of your case studies."), code="post_required")
            if not list_case_studies_of(member).filter(pk=post.pk).exists():
                raise ContestError(
                    _("You can only enter a published case study that you wrote."),
                    code="post_not_allowed",
                )
        elif post is not None:
            raise ContestError(_("This contest does not take a post."), code="post_not_allowed")
        try:
            with transaction.atomic():
                return Entry.objects.create(
                    contest=locked, member=member, statement=statement, post=post
                )
        except IntegrityError:
            raise ContestError(
                _("You have already entered this contest."), code="already_entered"
            ) from None


def withdraw_entry(*, member: Member, contest: Contest) -> None:
    """A member withdraws their entry while the contest is open; votes for it go with it."""
    _check_member(member)
    with transaction.atomic():
        locked = _lock(contest)
        _check_open(locked)
        deleted, _rows = Entry.objects.filter(contest=locked, member=member).delete()
        if not deleted:
            raise ContestError(_("You have not entered this contest."), code="not_entered")


def cast_vote(*, voter: Member, contest: Contest, entry: Entry) -> Vote:
    """A member votes for one entry while voting is open; voting again moves the vote."""
    _check_member(voter)
    with transaction.atomic():
        locked = _lock(contest)
        if locked.judging != Judging.MEMBER_VOTE:
            raise ContestError(_("Staff choose the winners of this contest."), code="not_voting")
        _check_open(locked)
        current = Entry.objects.filter(pk=entry.pk, contest=locked).first()
        if current is None:
            raise ContestError(_("This entry has been withdrawn."), code="not_entered")
        if current.member_id == voter.pk:
            raise ContestError(_("You cannot vote for your own entry."), code="own_entry")
        vote, _created = Vote.objects.update_or_create(
            contest=locked, voter=voter, defaults={"entry": current}
        )
        return vote


# ---------------------------------------------------------------- judging and announcing


def _check_closed(contest: Contest) -> None:
    state = contest.state
    if state == ContestState.ANNOUNCED:
        raise ContestError(_("The winners are already announced."), code="announced")
    if state != ContestState.JUDGING:
        raise ContestError(
            _("Winners can be chosen once the contest has closed."), code="not_closed"
        )


def choose_winners(*, actor: Member, contest: Contest, member_ids: list[int]) -> list[Winner]:
    """Staff place the winners of a closed, staff-judged contest (first place first)."""
    check_capability(actor, MANAGE_CONTESTS)
    with transaction.atomic():
        locked = _lock(contest)
        if locked.judging != Judging.STAFF:
            raise ContestError(
                _("The members' votes decide the winners of this contest."),
                code="not_staff_judged",
            )
        _check_closed(locked)
        if not member_ids:
            raise ContestError(_("Choose at least one winner."), code="no_winners")
        if len(set(member_ids)) != len(member_ids):
            raise ContestError(_("A member can take only one place."), code="duplicate_winner")
        if len(member_ids) > locked.winner_count:
            raise ContestError(
                ngettext(
                    "Choose at most %(count)s winner.",
                    "Choose at most %(count)s winners.",
                    locked.winner_count,
                )
                % {"count": locked.winner_count},
                code="too_many_winners",
            )
        candidates = {candidate.member.pk: candidate for candidate in candidates_for(locked)}
        if any(member_id not in candidates for member_id in member_ids):
            raise ContestError(
                _("Winners must be chosen from this contest's candidates."),
                code="not_a_candidate",
            )
        locked.winners.all().delete()
        winners = Winner.objects.bulk_create(
            Winner(
                contest=locked,
                member=candidates[member_id].member,
                place=place,
                entry=candidates[member_id].entry,
                score=candidates[member_id].score if not locked.takes_entries else None,
            )
            for place, member_id in enumerate(member_ids, start=1)
        )
        _audit(actor, "winners_chosen", locked, member_ids=member_ids)
    return winners


def _winners_from_votes(contest: Contest) -> list[Winner]:
    ranking = vote_ranking(contest)[: contest.winner_count]
    contest.winners.all().delete()
    return Winner.objects.bulk_create(
        Winner(
            contest=contest,
            member=candidate.member,
            place=place,
            entry=candidate.entry,
            score=candidate.score,
        )
        for place, candidate in enumerate(ranking, start=1)
    )


def prize_key(contest: Contest, member_id: int) -> str:
    return f"contests.prize:{contest.pk}:{member_id}"


def announce_winners(*, actor: Member, contest: Contest) -> Contest:
    """Staff announce the winners of a closed contest: each is paid and badged once.

    For member voting the votes decide (a tie goes to the earlier entry). Announcing
    again changes nothing and pays nothing.
    """
    check_capability(actor, MANAGE_CONTESTS)
    with transaction.atomic():
        locked = _lock(contest)
        if locked.announced_at is not None:
            return locked
        _check_closed(locked)
        if locked.judging == Judging.MEMBER_VOTE:
            winners = _winners_from_votes(locked)
        else:
            winners = list(locked.winners.select_related("member"))
        if not winners:
            raise ContestError(
                _("There is no winner to announce yet.")
                if locked.judging == Judging.STAFF
                else _("No entry received a vote, so there is no winner to announce."),
                code="no_winners",
            )
        badge = locked.badge
        if badge is not None and (badge.kind != BadgeKind.STAFF_AWARDED or not badge.is_active):
            raise ContestError(
                _("The winners' badge is no longer awarded. Choose another badge or none."),
                code="badge_unavailable",
            )
        for winner in winners:
            _reward(actor=actor, contest=locked, winner=winner)
        locked.announced_at = timezone.now()
        locked.save(update_fields=["announced_at", "updated_at"])
        _audit(
            actor,
            "announced",
            locked,
            winners=[winner.member_id for winner in winners],
            points_per_winner=locked.points_per_winner,
        )
    return locked


def _reward(*, actor: Member, contest: Contest, winner: Winner) -> None:
    """Pay one winner; the ledger key and the badge's unique holder make it happen once."""
    reason = f"{contest.title} #{winner.place}"
    if contest.points_per_winner > 0:
        award_prize(
            member=winner.member,
            amount=contest.points_per_winner,
            source=contest,
            idempotency_key=prize_key(contest, winner.member_id),
            reason=reason,
        )
    badge = contest.badge
    if badge is None or not winner.member.is_active:
        return
    if BadgeAward.objects.filter(badge=badge, member_id=winner.member_id).exists():
        return
    award_badge(actor=actor, badge=badge, member=winner.member, reason=reason)
