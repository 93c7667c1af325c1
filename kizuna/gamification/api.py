"""The recognition API: levels, a member's standing and ledger, bulk balances, leaderboards.

A member sees their own points and history; staff who may see customer data see anyone's,
which is what a CRM reading through a staff key needs. Leaderboards apply the same space
filter as the leaderboard page, so nobody learns of activity in a space they cannot see.
"""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, PageParams, Rows, Window
from kizuna.core.api_types import ID_MAX
from kizuna.gamification.models import LedgerEntry, Level, MemberBalance
from kizuna.gamification.permissions import can_list_balances, can_see_recognition_of
from kizuna.gamification.schemas import (
    BalanceFilters,
    BalanceOut,
    BalancePageOut,
    LeaderboardPageOut,
    LeaderboardRowOut,
    LedgerEntryOut,
    LedgerPageOut,
    LevelOut,
    LevelPageOut,
    PeriodValue,
    RecognitionSummaryOut,
)
from kizuna.gamification.selectors import (
    LeaderboardPeriod,
    appears_on_leaderboards,
    get_balance,
    get_level_progress,
    leaderboard,
    ledger_for_member,
    level_for_points,
    levels_for_members,
    lifetime_points_expression,
    list_levels,
)
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.schemas import MemberRefOut
from kizuna.spaces.permissions import spaces_with_visible_content

router = Router(tags=["recognition"])

READ = api_auth(ApiKey.Scope.RECOGNITION_READ)

# PermissionDenied reasons raised here; config.api turns them into the envelope's words.
DENIED_OTHER_MEMBER = "view_recognition"
DENIED_BALANCES = "list_balances"


def denial_messages() -> dict[str, str]:
    return {
        DENIED_OTHER_MEMBER: _("You can see only your own points and history."),
        DENIED_BALANCES: _("Only staff can list members' balances."),
    }


def _member_id_param() -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description="The member's id.")


def level_out(level: Level | None) -> LevelOut | None:
    if level is None:
        return None
    in_english = (get_language() or "ja").startswith("en")
    return LevelOut(
        id=level.pk,
        name=(level.name_en or level.name_ja) if in_english else (level.name_ja or level.name_en),
        name_ja=level.name_ja,
        name_en=level.name_en,
        threshold=level.threshold,
        colour=level.colour,
    )


def _member_for(viewer: Member, member_id: int) -> Member:
    # Refuse before looking the member up, so a refusal confirms nothing about the id.
    if not can_see_recognition_of(viewer, member_id):
        raise PermissionDenied(DENIED_OTHER_MEMBER)
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def _summary_out(member: Member) -> RecognitionSummaryOut:
    progress = get_level_progress(member)
    return RecognitionSummaryOut(
        member=MemberRefOut.of(member),
        balance=get_balance(member),
        lifetime_points=progress.points,
        level=level_out(progress.level),
        next_level=level_out(progress.next_level),
        points_to_next_level=progress.points_to_next,
        progress_percent=progress.percent,
        shows_on_leaderboards=appears_on_leaderboards(member),
    )


@router.get(
    "/recognition/levels",
    response={200: LevelPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The levels, lowest threshold first",
)
@paginate(LimitOffsetPage)
def list_levels_endpoint(request: HttpRequest) -> Rows[Level]:
    return Rows(Level.objects.order_by("threshold"), lambda page: [level_out(lv) for lv in page])


@router.get(
    "/recognition/me",
    response={200: RecognitionSummaryOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The acting member's points, level and what is left to the next level",
)
def my_summary(request: HttpRequest) -> RecognitionSummaryOut:
    return _summary_out(get_actor(request))


@router.get(
    "/recognition/members/{member_id}",
    response={200: RecognitionSummaryOut, **ERROR_RESPONSES},
    auth=READ,
    summary="A member's points, level and what is left to the next level",
)
def member_summary(
    request: HttpRequest, member_id: int = _member_id_param()
) -> RecognitionSummaryOut:
    """The member themselves, or staff who may see customer data."""
    return _summary_out(_member_for(get_actor(request), member_id))


@router.get(
    "/recognition/members/{member_id}/ledger",
    response={200: LedgerPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="A member's points ledger, newest first",
)
@paginate(LimitOffsetPage)
def member_ledger(request: HttpRequest, member_id: int = _member_id_param()) -> Rows[LedgerEntry]:
    """The member themselves, or staff who may see customer data."""
    member = _member_for(get_actor(request), member_id)
    return Rows(
        ledger_for_member(member).order_by("-created_at", "-pk"),
        lambda page: [_entry_out(entry) for entry in page],
    )


def _entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    return LedgerEntryOut(
        id=entry.pk,
        kind=entry.kind,  # type: ignore[arg-type]
        amount=entry.amount,
        rule=entry.rule.key if entry.rule is not None else None,
        rule_label=entry.rule.label if entry.rule is not None else None,
        reason=entry.reason,
        source_type=entry.source_type or None,
        source_id=entry.source_id,
        created_at=entry.created_at,
    )


def _as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC."""
    try:
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except OverflowError:
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"updated_since": [_("Enter a date and time between the years 1 and 9999.")]},
        ) from None


def _members_with_balances() -> QuerySet[Member]:
    balances = MemberBalance.objects.filter(member_id=OuterRef("pk"))
    return Member.objects.filter(is_active=True).annotate(
        balance_points=Coalesce(
            Subquery(balances.values("balance")[:1]), 0, output_field=IntegerField()
        ),
        earned_points=lifetime_points_expression(),
        last_entry_at=Subquery(
            LedgerEntry.objects.filter(member_id=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
    )


@router.get(
    "/recognition/balances",
    response={200: BalancePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Many members' balances and levels at once (staff), by member id",
)
@paginate(LimitOffsetPage)
def list_balances(request: HttpRequest, filters: Query[BalanceFilters]) -> Rows[Member]:
    """For a CRM's sync: every active member, or the ones asked for, ordered by id."""
    if not can_list_balances(get_actor(request)):
        raise PermissionDenied(DENIED_BALANCES)
    members = _members_with_balances()
    if filters.member_id:
        members = members.filter(pk__in=filters.member_id)
    if filters.updated_since is not None:
        moved = LedgerEntry.objects.filter(created_at__gte=_as_utc(filters.updated_since))
        members = members.filter(pk__in=moved.values("member_id"))
    return Rows(members.order_by("pk"), _balances_out)


def _balances_out(members: list[Any]) -> list[BalanceOut]:
    # Rows annotated by `_members_with_balances`, which the model's type does not declare.
    levels = list_levels()
    return [
        BalanceOut(
            member=MemberRefOut.of(member),
            balance=member.balance_points,
            lifetime_points=member.earned_points,
            level=level_out(level_for_points(member.earned_points, levels)),
            last_entry_at=member.last_entry_at,
        )
        for member in members
    ]


@router.get(
    "/recognition/leaderboard",
    response={200: LeaderboardPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Points earned, best first: all time or this month, community-wide or in one space",
)
@paginate(LimitOffsetPage, pass_parameter="page")
def leaderboard_endpoint(
    request: HttpRequest,
    period: PeriodValue = "all",
    space_id: int | None = QueryParam(
        None, ge=1, le=ID_MAX, description="One space the caller can read."
    ),
    **paging: PageParams,
) -> Window:
    """Members who opted out (and staff, unless the community ranks them) never appear. All time
    community-wide, each member's lifetime points; a month's community board counts only spaces
    the caller can read. A space the caller cannot read answers 404, as the page does."""
    viewer = get_actor(request)
    page = paging["page"]
    space = None
    if space_id is not None:
        space = spaces_with_visible_content(viewer).filter(pk=space_id).first()
        if space is None:
            raise Http404
    board = leaderboard(
        viewer=viewer,
        period=LeaderboardPeriod(period),
        space=space,
        offset=page.offset,
        limit=page.limit,
    )
    member_ids = {row.member_id for row in board.rows}
    members = Member.objects.in_bulk(member_ids)
    levels = levels_for_members(member_ids)
    items = [
        LeaderboardRowOut(
            rank=page.offset + index + 1,
            member=MemberRefOut.of(members[row.member_id]),
            points=row.total,
            level=level_out(levels.get(row.member_id)),
        )
        for index, row in enumerate(board.rows)
    ]
    return Window(
        items=items,
        count=None,
        offset=page.offset,
        has_more=board.has_more,
        extra={"period": period, "space_id": space.pk if space is not None else None},
    )
