"""What the play rules find (one SQL query per rule), the play queue, and what the Customer 360
and the staff home read.

Detection never loops over members in Python: each rule is a queryset over accounts (or, for
champions, members) annotated with what its reason sentence needs, filtered in SQL.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.selectors import accounts_with_ambassadors
from kizuna.customers.models import Contact, CustomerAccount, LifecycleStage
from kizuna.events.models import Attendance, Registration
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
from kizuna.identity.roles import StaffRole
from kizuna.plays.kinds import PlayKind
from kizuna.plays.models import CLOSED_STATUSES, LIVE_STATUSES, Play, PlayRule, PlayStatus
from kizuna.plays.permissions import can_view_plays, check_can_view_plays
from kizuna.segments.models import Target
from kizuna.segments.selectors import accounts_in, members_in

# Taking part in the community; reading, signing in and flagging are not counted.
ACTIVE_VERBS = (
    Verb.POSTED,
    Verb.ANSWERED,
    Verb.COMMENTED,
    Verb.REACTED,
    Verb.ACCEPTED,
    Verb.JOINED,
    Verb.REGISTERED,
    Verb.ATTENDED,
    Verb.SPOKE,
)
# A leader's output (seed 000: 発信・主催): posting, answering, accepting answers, speaking.
LEADER_VERBS = (Verb.POSTED, Verb.ANSWERED, Verb.ACCEPTED, Verb.SPOKE)
# Done and dismissed plays stay on the account's page this long.
RECENT_CLOSED_DAYS = 90


@dataclass(frozen=True)
class Due:
    """One play a rule finds due: whose, about whom, and what its reason sentence needs."""

    account_id: int
    member_id: int | None
    owner_id: int | None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.account_id, self.member_id)


def _day(moment: dt.datetime | None) -> str | None:
    """A moment as the vendor's calendar date (settings.TIME_ZONE), for a reason sentence."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).date().isoformat()


def _count(queryset: QuerySet[Any], group: str) -> Subquery:
    """The number of rows of `queryset` (already tied to OuterRef) as a correlated subquery."""
    return Subquery(
        queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def eligible_accounts(rule: PlayRule) -> QuerySet[CustomerAccount]:
    """Accounts the rule looks at: active, not churned, of its tier, in its segment."""
    accounts = CustomerAccount.objects.filter(status=CustomerAccount.Status.ACTIVE).exclude(
        lifecycle_stage=LifecycleStage.CHURNED
    )
    if rule.tier:
        accounts = accounts.filter(touch_tier=rule.tier)
    if rule.segment is not None:
        accounts = accounts.filter(pk__in=accounts_in(rule.segment).values("pk"))
    return accounts


def champion_members(*, now: dt.datetime, window_days: int, minimum: int) -> QuerySet[Member]:
    """Members with a leader role: at least `minimum` leader outputs (LEADER_VERBS) in the last
    `window_days`, or an active ambassador. Annotated with `leader_output` and `is_ambassador`.

    The one place that says who a champion is; issue 13 replaces it with computed member roles.
    """
    since = now - dt.timedelta(days=window_days)
    output = _count(
        Activity.objects.filter(
            actor=OuterRef("pk"), verb__in=LEADER_VERBS, occurred_at__gte=since
        ),
        "actor",
    )
    ambassador = Ambassador.objects.filter(member=OuterRef("pk"), status=Ambassador.Status.ACTIVE)
    return (
        Member.objects.filter(is_active=True, staff_role="")
        .annotate(leader_output=Coalesce(output, Value(0)), is_ambassador=Exists(ambassador))
        .filter(Q(leader_output__gte=minimum) | Q(is_ambassador=True))
    )


def _due_no_ambassador(rule: PlayRule, accounts: QuerySet[CustomerAccount]) -> list[Due]:
    rows = accounts.exclude(pk__in=accounts_with_ambassadors().values("pk")).values_list(
        "pk", "csm_owner_id", "touch_tier"
    )
    return [Due(pk, None, owner, {"tier": tier}) for pk, owner, tier in rows]


def _due_no_recent_event(
    rule: PlayRule, accounts: QuerySet[CustomerAccount], now: dt.datetime
) -> list[Due]:
    days = rule.days or 90
    if rule.any_activity:
        last = Activity.objects.filter(account_id=OuterRef("pk"), verb__in=ACTIVE_VERBS)
        latest = Subquery(last.order_by("-occurred_at").values("occurred_at")[:1])
    else:
        attended = Registration.objects.filter(
            member__account_link__account=OuterRef("pk"), attendance=Attendance.ATTENDED
        )
        latest = Subquery(attended.order_by("-event__starts_at").values("event__starts_at")[:1])
    since = now - dt.timedelta(days=days)
    rows = (
        accounts.annotate(last=latest)
        .filter(Q(last__isnull=True) | Q(last__lt=since))
        .values_list("pk", "csm_owner_id", "last")
    )
    return [
        Due(pk, None, owner, {"days": days, "last": _day(last), "any_activity": rule.any_activity})
        for pk, owner, last in rows
    ]


def _due_contacts_not_joined(rule: PlayRule, accounts: QuerySet[CustomerAccount]) -> list[Due]:
    contacts = _count(Contact.objects.filter(account=OuterRef("pk")), "account")
    joined = _count(Contact.objects.filter(account=OuterRef("pk"), member__isnull=False), "account")
    annotated = accounts.annotate(
        contact_count=Coalesce(contacts, Value(0)), joined_count=Coalesce(joined, Value(0))
    ).filter(contact_count__gt=0)
    if rule.percentage is None:
        annotated = annotated.filter(joined_count=0)
    else:
        # joined / contacts < percentage %, in integers
        annotated = annotated.alias(joined_share=F("joined_count") * 100).filter(
            joined_share__lt=F("contact_count") * rule.percentage
        )
    rows = annotated.values_list("pk", "csm_owner_id", "contact_count", "joined_count")
    return [
        Due(pk, None, owner, {"contacts": contacts, "joined": joined})
        for pk, owner, contacts, joined in rows
    ]


def _due_champion_inactive(
    rule: PlayRule, accounts: QuerySet[CustomerAccount], now: dt.datetime
) -> list[Due]:
    days, window = rule.days or 30, rule.window_days or 180
    champions = champion_members(now=now, window_days=window, minimum=rule.minimum or 1)
    last = Subquery(
        Activity.objects.filter(actor=OuterRef("pk"), verb__in=ACTIVE_VERBS)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    champions = champions.filter(account_link__account__in=accounts)
    if rule.segment is not None and rule.segment.target == Target.MEMBERS:
        champions = champions.filter(pk__in=members_in(rule.segment).values("pk"))
    rows = (
        champions.annotate(last=last)
        .filter(Q(last__isnull=True) | Q(last__lt=now - dt.timedelta(days=days)))
        .values_list(
            "pk",
            "account_link__account_id",
            "account_link__account__csm_owner_id",
            "last",
            "leader_output",
            "is_ambassador",
        )
    )
    return [
        Due(
            account_id,
            member_id,
            owner,
            {
                "days": days,
                "last": _day(last),
                "output": output,
                "window_days": window,
                "ambassador": is_ambassador,
            },
        )
        for member_id, account_id, owner, last, output, is_ambassador in rows
    ]


def _due_renewal_engagement_falling(
    rule: PlayRule, accounts: QuerySet[CustomerAccount], now: dt.datetime
) -> list[Due]:
    days, window, drop = rule.days or 90, rule.window_days or 30, rule.percentage or 25
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    recent_from = now - dt.timedelta(days=window)
    previous_from = now - dt.timedelta(days=2 * window)
    stream = Activity.objects.filter(account_id=OuterRef("pk"), verb__in=ACTIVE_VERBS)
    rows = (
        accounts.filter(renewal_date__gte=today, renewal_date__lte=today + dt.timedelta(days=days))
        .annotate(
            recent=Coalesce(
                _count(
                    stream.filter(occurred_at__gte=recent_from, occurred_at__lt=now), "account_id"
                ),
                Value(0),
            ),
            previous=Coalesce(
                _count(
                    stream.filter(occurred_at__gte=previous_from, occurred_at__lt=recent_from),
                    "account_id",
                ),
                Value(0),
            ),
        )
        # recent ≤ previous × (100 − drop) %, in integers
        .alias(recent_share=F("recent") * 100)
        .filter(previous__gt=0, recent_share__lte=F("previous") * (100 - drop))
        .values_list("pk", "csm_owner_id", "renewal_date", "recent", "previous")
    )
    return [
        Due(
            pk,
            None,
            owner,
            {
                "renewal": renewal.isoformat() if renewal else None,
                "window_days": window,
                "recent": recent,
                "previous": previous,
                "drop": round((previous - recent) * 100 / previous),
            },
        )
        for pk, owner, renewal, recent, previous in rows
    ]


def due_plays(rule: PlayRule, *, now: dt.datetime) -> list[Due]:
    """Every play the rule finds due now, one SQL query."""
    accounts = eligible_accounts(rule)
    if rule.kind == PlayKind.NO_AMBASSADOR:
        return _due_no_ambassador(rule, accounts)
    if rule.kind == PlayKind.NO_RECENT_EVENT:
        return _due_no_recent_event(rule, accounts, now)
    if rule.kind == PlayKind.CONTACTS_NOT_JOINED:
        return _due_contacts_not_joined(rule, accounts)
    if rule.kind == PlayKind.CHAMPION_INACTIVE:
        return _due_champion_inactive(rule, accounts, now)
    if rule.kind == PlayKind.RENEWAL_ENGAGEMENT_FALLING:
        return _due_renewal_engagement_falling(rule, accounts, now)
    return []


# The queue -------------------------------------------------------------------------------------

OWNER_MINE = "me"
OWNER_ANYONE = "all"
OWNER_NOBODY = "none"
STATUS_ALL = "all"
STATUS_CLOSED = "closed"


def mine_by_default(viewer: Viewer) -> bool:
    """A CSM's queue opens on their own plays; everyone else's on all of them."""
    return getattr(viewer, "staff_role", "") == StaffRole.CSM


def play_queue(
    viewer: Viewer,
    *,
    owner: str = OWNER_ANYONE,
    tier: str = "",
    rule_id: int | None = None,
    status: str = PlayStatus.OPEN,
) -> QuerySet[Play]:
    """The plays the queue lists with these filters; PermissionDenied for those who may not
    see plays. `owner` is "me", "all", "none" or a staff member's id."""
    check_can_view_plays(viewer)
    plays = Play.objects.select_related("rule", "account", "member", "owner", "closed_by")
    if owner == OWNER_MINE:
        plays = plays.filter(owner_id=viewer.pk)
    elif owner == OWNER_NOBODY:
        plays = plays.filter(owner__isnull=True)
    elif owner.isdigit():
        plays = plays.filter(owner_id=int(owner))
    if tier:
        plays = plays.filter(account__touch_tier=tier)
    if rule_id is not None:
        plays = plays.filter(rule_id=rule_id)
    if status == STATUS_CLOSED:
        plays = plays.filter(status__in=CLOSED_STATUSES)
    elif status != STATUS_ALL:
        plays = plays.filter(status=status)
    if status in (PlayStatus.OPEN, PlayStatus.SNOOZED):
        # Oldest first: the longest-waiting play is at the top of the work queue.
        return plays.order_by("opened_at", "pk")
    return plays.order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-pk")


def play_owners() -> QuerySet[Member]:
    """Staff who own at least one play (the queue's owner filter)."""
    return Member.objects.filter(
        pk__in=Play.objects.filter(owner__isnull=False).values("owner_id")
    ).order_by("display_name", "email")


def plays_for_account(
    account: CustomerAccount, *, recent_days: int = RECENT_CLOSED_DAYS
) -> QuerySet[Play]:
    """The account's open and snoozed plays, then those done, dismissed or resolved in the last
    `recent_days` (with who closed them and why). Callers check VIEW_ACCOUNT_ECONOMICS."""
    since = timezone.now() - dt.timedelta(days=recent_days)
    return (
        Play.objects.filter(account=account)
        .filter(Q(status__in=LIVE_STATUSES) | Q(closed_at__gte=since))
        .select_related("rule", "member", "owner", "closed_by")
        .order_by(F("closed_at").desc(nulls_first=True), "opened_at", "pk")
    )


def open_play_count(viewer: Viewer) -> int:
    """Open plays waiting for this viewer: a CSM's own, everyone's for other staff who see
    plays; 0 for those who may not see plays."""
    if not can_view_plays(viewer):
        return 0
    plays = Play.objects.filter(status=PlayStatus.OPEN)
    if mine_by_default(viewer):
        plays = plays.filter(owner_id=viewer.pk)
    return plays.count()
