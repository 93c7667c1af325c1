"""What the Customer 360 and the expansion signals read, each in a bounded number of queries.

The account's figures (members, active members, questions, answers, case studies, events
attended) come from one SELECT of scalar subqueries, so the page and the API read the same
numbers from the same function. Activity over time is one GROUP BY over the activity stream
by the account's id. Expansion signals are one SQL statement over questions, reactions and
comments of the last 90 days (see `SIGNAL_WINDOW`).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from kizuna.activity.models import Activity
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.selectors import ambassadors_of_account
from kizuna.cohorts.selectors import Progress, account_project_progress
from kizuna.content.models import Answer, ContentStatus, Post, PostType, Tag
from kizuna.core.charts import SeriesPoint, time_series_spec, week_start, weekly_points
from kizuna.customers.access import AccountAccess
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX
from kizuna.customers.models import (
    AccountChange,
    CustomerAccount,
    EmployeeBand,
    LifecycleStage,
    MemberAccountLink,
    Plan,
    TouchTier,
)
from kizuna.customers.money import computed_ltv, format_amount
from kizuna.customers.selectors import account_history, custom_fields_by_key
from kizuna.customers.tiers import current_tier_settings, lifetime_months
from kizuna.events.models import Attendance, Registration
from kizuna.gamification.models import Level
from kizuna.gamification.selectors import levels_for_members
from kizuna.plays.models import Play, PlayStatus
from kizuna.plays.selectors import plays_for_account
from kizuna.spaces.models import Space
from kizuna.success.models import PlanCapabilityTag

ACTIVITY_WEEKS = 26
ACTIVE_SHORT = dt.timedelta(days=30)
ACTIVE_LONG = dt.timedelta(days=90)
EVENT_WINDOW = dt.timedelta(days=90)
SIGNAL_WINDOW = dt.timedelta(days=90)
LATEST = 5
SIGNALS_ON_360 = 10
SPACES_ON_360 = 50
PLAYS_ON_360 = 20


def site_zone() -> ZoneInfo:
    """Weeks run Monday to Sunday in the community's time zone, for every viewer alike."""
    return ZoneInfo(settings.TIME_ZONE)


class SubqueryCount(Subquery):
    """`(SELECT count(*) FROM (<queryset>))` as a column of the outer query."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


# Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFigures:
    members: int
    active_30_days: int
    active_90_days: int
    questions: int
    answers: int
    case_studies: int
    events_attended_90_days: int
    events_attended: int


def _of_account_members(column: str) -> Q:
    """Rows by a member now linked to the outer query's account (`column` holds the member)."""
    linked = MemberAccountLink.objects.filter(account_id=OuterRef(OuterRef("pk")))
    return Q(**{f"{column}__in": linked.values("member_id")})


def _member_ids(account: CustomerAccount) -> Subquery:
    """The ids of the account's members, as a subquery."""
    return Subquery(MemberAccountLink.objects.filter(account=account).values("member_id"))


def account_figures(account: CustomerAccount, *, now: dt.datetime | None = None) -> AccountFigures:
    """The 360's counts in one query. Questions, answers and case studies count published ones
    written by the account's members (answers: to questions); events attended count events
    that started in the window; active members did anything in the activity stream."""
    now = now or timezone.now()
    published_posts = Post.objects.filter(_of_account_members("author_id"), status="published")
    row = (
        CustomerAccount.objects.filter(pk=account.pk)
        .annotate(
            n_members=SubqueryCount(
                MemberAccountLink.objects.filter(account_id=OuterRef("pk")).values("pk")
            ),
            n_active_30=SubqueryCount(
                Activity.objects.filter(
                    account_id=OuterRef("pk"), occurred_at__gt=now - ACTIVE_SHORT
                )
                .order_by()
                .values("actor_id")
                .distinct()
            ),
            n_active_90=SubqueryCount(
                Activity.objects.filter(
                    account_id=OuterRef("pk"), occurred_at__gt=now - ACTIVE_LONG
                )
                .order_by()
                .values("actor_id")
                .distinct()
            ),
            n_questions=SubqueryCount(
                published_posts.filter(post_type=PostType.QUESTION).order_by().values("pk")
            ),
            n_answers=SubqueryCount(
                Answer.objects.filter(
                    _of_account_members("author_id"),
                    status=ContentStatus.PUBLISHED,
                    post__post_type=PostType.QUESTION,
                    post__status=ContentStatus.PUBLISHED,
                )
                .order_by()
                .values("pk")
            ),
            n_case_studies=SubqueryCount(
                published_posts.filter(post_type=PostType.CASE_STUDY).order_by().values("pk")
            ),
            n_events_90=SubqueryCount(
                _attended()
                .filter(
                    _of_account_members("member_id"),
                    event__starts_at__gt=now - EVENT_WINDOW,
                    event__starts_at__lte=now,
                )
                .order_by()
                .values("pk")
            ),
            n_events=SubqueryCount(
                _attended().filter(_of_account_members("member_id")).order_by().values("pk")
            ),
        )
        .values(
            "n_members",
            "n_active_30",
            "n_active_90",
            "n_questions",
            "n_answers",
            "n_case_studies",
            "n_events_90",
            "n_events",
        )
        .get()
    )
    return AccountFigures(
        members=row["n_members"],
        active_30_days=row["n_active_30"],
        active_90_days=row["n_active_90"],
        questions=row["n_questions"],
        answers=row["n_answers"],
        case_studies=row["n_case_studies"],
        events_attended_90_days=row["n_events_90"],
        events_attended=row["n_events"],
    )


def _attended() -> QuerySet[Registration]:
    return Registration.objects.filter(attendance=Attendance.ATTENDED)


# Activity over time ------------------------------------------------------------------------


def weekly_activity(
    account: CustomerAccount, *, weeks: int = ACTIVITY_WEEKS, now: dt.datetime | None = None
) -> list[SeriesPoint]:
    """Everything the account's members did, per week (Monday to Sunday in the community's
    time zone), for the last `weeks` weeks including this one: one GROUP BY query."""
    zone = site_zone()
    today = timezone.localtime(now or timezone.now(), zone).date()
    last_week = week_start(today)
    first_week = last_week - dt.timedelta(weeks=weeks - 1)
    since = dt.datetime.combine(first_week, dt.time.min, tzinfo=zone)
    rows = (
        Activity.objects.filter(account_id=account.pk, occurred_at__gte=since)
        .annotate(week=TruncWeek("occurred_at", tzinfo=zone, output_field=DateField()))
        .order_by()
        .values("week")
        .annotate(n=Count("*"))
        .values_list("week", "n")
    )
    return weekly_points(dict(rows), last_week=last_week, weeks=weeks)


# Lists on the page ---------------------------------------------------------------------------


def recent_changes(
    account: CustomerAccount, *, include_economics: bool, limit: int = LATEST
) -> list[AccountChange]:
    return list(account_history(account=account, include_economics=include_economics)[:limit])


@dataclass(frozen=True)
class MemberRow:
    link: MemberAccountLink
    level: Level | None
    last_active: dt.datetime | None


def account_members(account: CustomerAccount) -> QuerySet[MemberAccountLink]:
    """The account's members, the most recently active first, with when they last did anything."""
    last_active = (
        Activity.objects.filter(actor_id=OuterRef("member_id"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        MemberAccountLink.objects.filter(account=account)
        .select_related("member")
        .annotate(last_active=Subquery(last_active))
        .order_by(F("last_active").desc(nulls_last=True), "member__display_name", "pk")
    )


def member_rows(links: Sequence[MemberAccountLink]) -> list[MemberRow]:
    """One page of members with their levels (one query for the page)."""
    levels = levels_for_members({link.member_id for link in links})
    return [
        MemberRow(link=link, level=levels.get(link.member_id), last_active=link.last_active)  # type: ignore[attr-defined]
        for link in links
    ]


def account_spaces(account: CustomerAccount, *, limit: int = SPACES_ON_360) -> list[Space]:
    """Spaces the account's members belong to, with `account_members` (how many of them are
    in it), the most of the account's first."""
    return list(
        Space.objects.filter(memberships__member_id__in=_member_ids(account))
        .annotate(account_members=Count("memberships"))
        .order_by("-account_members", "name", "pk")[:limit]
    )


def latest_questions(account: CustomerAccount, *, limit: int = LATEST) -> list[Post]:
    return list(
        Post.objects.filter(
            author_id__in=_member_ids(account),
            post_type=PostType.QUESTION,
            status=ContentStatus.PUBLISHED,
        )
        .select_related("author", "space")
        .order_by("-created_at", "-pk")[:limit]
    )


def latest_answers(account: CustomerAccount, *, limit: int = LATEST) -> list[Answer]:
    return list(
        Answer.objects.filter(
            author_id__in=_member_ids(account),
            status=ContentStatus.PUBLISHED,
            post__post_type=PostType.QUESTION,
            post__status=ContentStatus.PUBLISHED,
        )
        .select_related("author", "post", "post__space")
        .order_by("-created_at", "-pk")[:limit]
    )


def latest_case_studies(account: CustomerAccount, *, limit: int = LATEST) -> list[Post]:
    return list(
        Post.objects.filter(
            author_id__in=_member_ids(account),
            post_type=PostType.CASE_STUDY,
            status=ContentStatus.PUBLISHED,
        )
        .select_related("author", "space")
        .order_by("-created_at", "-pk")[:limit]
    )


def latest_attended(account: CustomerAccount, *, limit: int = LATEST) -> list[Registration]:
    return list(
        _attended()
        .filter(member_id__in=_member_ids(account))
        .select_related("event", "member")
        .order_by("-event__starts_at", "-pk")[:limit]
    )


# Expansion signals -------------------------------------------------------------------------

# One row per action and capability tag: a member (linked now to an active account with a
# plan) asked a question, reacted to a post or an answer, or commented, within the window, on
# a published post tagged with a capability whose plan ranks above the account's plan. A tag
# mapped to several plans counts as a capability of the lowest of them.
_SIGNALS_SQL = """
WITH capability AS (
    SELECT DISTINCT ON (m.tag_id) m.tag_id, m.plan_id, p.rank
    FROM success_plancapabilitytag m
    JOIN customers_plan p ON p.id = m.plan_id
    ORDER BY m.tag_id, p.rank, p.id
),
action AS (
    SELECT 'question' AS kind, q.author_id AS member_id, q.id AS post_id,
           q.created_at AS occurred_at
    FROM content_post q
    WHERE q.post_type = 'question' AND q.created_at >= %(since)s AND q.created_at <= %(now)s
      {question_members}
    UNION ALL
    SELECT 'reaction', r.member_id, COALESCE(r.post_id, a.post_id), r.created_at
    FROM content_reaction r
    LEFT JOIN content_answer a ON a.id = r.answer_id
    WHERE r.created_at >= %(since)s AND r.created_at <= %(now)s {reaction_members}
    UNION ALL
    SELECT 'comment', c.author_id, c.post_id, c.created_at
    FROM content_comment c
    WHERE c.status = 'published' AND c.created_at >= %(since)s AND c.created_at <= %(now)s
      {comment_members}
),
signal AS (
    SELECT acc.id AS account_id, action.kind, action.member_id, action.post_id,
           action.occurred_at, pt.tag_id, capability.plan_id
    FROM action
    JOIN customers_memberaccountlink link ON link.member_id = action.member_id
    JOIN customers_customeraccount acc ON acc.id = link.account_id AND acc.status = 'active'
    JOIN customers_plan own ON own.id = acc.plan_id
    JOIN content_post post ON post.id = action.post_id AND post.status = 'published'
    JOIN content_post_tags pt ON pt.post_id = action.post_id
    JOIN capability ON capability.tag_id = pt.tag_id AND capability.rank > own.rank
    {account_condition}
)
"""
_ACCOUNT_MEMBERS = (
    "AND {column} IN (SELECT member_id FROM customers_memberaccountlink"
    " WHERE account_id = %(account)s)"
)


def _signals_cte(*, one_account: bool) -> str:
    def members(column: str) -> str:
        return _ACCOUNT_MEMBERS.format(column=column) if one_account else ""

    return _SIGNALS_SQL.format(
        question_members=members("q.author_id"),
        reaction_members=members("r.member_id"),
        comment_members=members("c.author_id"),
        account_condition="WHERE acc.id = %(account)s" if one_account else "",
    )


class SignalKind:
    QUESTION = "question"
    REACTION = "reaction"
    COMMENT = "comment"


@dataclass(frozen=True)
class Signal:
    kind: str
    occurred_at: dt.datetime
    member_id: int
    member_name: str
    post_id: int
    post_title: str
    tag_name: str
    plan_name: str

    @property
    def kind_label(self) -> str:
        if self.kind == SignalKind.QUESTION:
            return pgettext("expansion signal", "Asked")
        if self.kind == SignalKind.REACTION:
            return pgettext("expansion signal", "Liked")
        return pgettext("expansion signal", "Commented")


@dataclass(frozen=True)
class AccountSignals:
    total: int
    latest: list[Signal]


def account_signals(
    account: CustomerAccount, *, limit: int = SIGNALS_ON_360, now: dt.datetime | None = None
) -> AccountSignals:
    """The account's latest expansion signals and how many there are: one query."""
    now = now or timezone.now()
    sql = (
        _signals_cte(one_account=True)
        + """
SELECT s.kind, s.occurred_at, s.member_id,
       COALESCE(NULLIF(m.display_name, ''), m.email), s.post_id, post.title, tag.name, plan.name,
       count(*) OVER ()
FROM signal s
JOIN identity_member m ON m.id = s.member_id
JOIN content_post post ON post.id = s.post_id
JOIN content_tag tag ON tag.id = s.tag_id
JOIN customers_plan plan ON plan.id = s.plan_id
ORDER BY s.occurred_at DESC, s.post_id DESC, tag.name
LIMIT %(limit)s
"""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"since": now - SIGNAL_WINDOW, "now": now, "account": account.pk, "limit": limit}
        )
        rows = cursor.fetchall()
    return AccountSignals(
        total=rows[0][8] if rows else 0,
        latest=[Signal(*row[:8]) for row in rows],
    )


@dataclass(frozen=True)
class SignalAccountRow:
    account_id: int
    name: str
    plan_name: str
    currency: str
    arr_minor: int | None
    signal_count: int
    member_count: int
    latest_at: dt.datetime
    capabilities: list[str]


class _Counted:
    """What Paginator needs to know of a list whose page was already read with its total."""

    def __init__(self, total: int) -> None:
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> list[Any]:  # never sliced: the page is read already
        raise NotImplementedError


@dataclass(frozen=True)
class SignalPage:
    rows: list[SignalAccountRow]
    total: int


def accounts_with_signals(*, offset: int, limit: int, now: dt.datetime | None = None) -> SignalPage:
    """Accounts with expansion signals, the most signals first, then the largest ARR: one
    query for the rows of the page and the number of accounts in all."""
    now = now or timezone.now()
    sql = (
        _signals_cte(one_account=False)
        + """
SELECT acc.id, acc.name, plan.name, acc.currency, acc.arr_minor, count(*) AS signals,
       count(DISTINCT s.member_id), max(s.occurred_at),
       array_agg(DISTINCT tag.name ORDER BY tag.name), count(*) OVER ()
FROM signal s
JOIN customers_customeraccount acc ON acc.id = s.account_id
JOIN customers_plan plan ON plan.id = acc.plan_id
JOIN content_tag tag ON tag.id = s.tag_id
GROUP BY acc.id, plan.name
ORDER BY signals DESC, acc.arr_minor DESC NULLS LAST, acc.name, acc.id
LIMIT %(limit)s OFFSET %(offset)s
"""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"since": now - SIGNAL_WINDOW, "now": now, "limit": limit, "offset": offset}
        )
        rows = cursor.fetchall()
    return SignalPage(
        rows=[SignalAccountRow(*row[:9]) for row in rows], total=rows[0][9] if rows else 0
    )


MAX_PAGE_NUMBER = 100_000


def signal_accounts_page(page_number: str | None, *, per_page: int = 25) -> Page[Any]:
    """A page of `accounts_with_signals` for the list page, in one query (two when the page
    asked for is past the end: the last page is read then)."""
    try:
        number = max(1, int(page_number or 1))
    except ValueError:
        number = 1
    # A page number past any list (from a hand-edited URL) would overflow the OFFSET's bigint.
    number = min(number, MAX_PAGE_NUMBER)
    found = accounts_with_signals(offset=(number - 1) * per_page, limit=per_page)
    if not found.rows and number > 1:
        last = max(1, -(-count_signal_accounts() // per_page))
        number = last
        found = accounts_with_signals(offset=(number - 1) * per_page, limit=per_page)
    paginator: Paginator[Any] = Paginator(_Counted(found.total), per_page)  # type: ignore[arg-type]
    return Page(found.rows, number, paginator)


def count_signal_accounts(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sql = _signals_cte(one_account=False) + "SELECT count(DISTINCT account_id) FROM signal"
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": now - SIGNAL_WINDOW, "now": now})
        (total,) = cursor.fetchone() or (0,)
    return int(total)


# Plan capability tags --------------------------------------------------------------------------


def plans_with_capability_tags() -> QuerySet[Plan]:
    """Plans in their order, each with its capability tags prefetched (two queries a page)."""
    return Plan.objects.order_by("rank", "name", "pk").prefetch_related(
        Prefetch(
            "capability_tags",
            queryset=PlanCapabilityTag.objects.select_related("tag").order_by("tag__name"),
        )
    )


def find_tag(name: str) -> Tag | None:
    """A content tag by its name or slug, ignoring case."""
    name = name.strip().lstrip("#")
    if not name:
        return None
    return Tag.objects.filter(Q(name__iexact=name) | Q(slug__iexact=name)).order_by("pk").first()


def tag_suggestions(limit: int = 200) -> list[str]:
    """Tag names for the form's suggestions, the most used first."""
    return list(
        Tag.objects.annotate(uses=Count("posts"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )


# The Customer 360 as one read ------------------------------------------------------------------


@dataclass(frozen=True)
class Economics:
    """ARR, MRR, LTV and the touch tier: built only for viewers who may see economics."""

    arr: str
    mrr: str
    ltv: str
    ltv_computed: bool
    lifetime_months: int
    tier: str
    is_strategic: bool
    tier_override_reason: str


@dataclass(frozen=True)
class ChangeRow:
    change: AccountChange
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Account360:
    account: CustomerAccount
    economics: Economics | None
    renewal_in_days: int | None
    figures: AccountFigures
    activity: list[SeriesPoint]
    changes: list[ChangeRow]
    members: Page[Any]
    member_rows: list[MemberRow]
    spaces: list[Space]
    questions: list[Post]
    answers: list[Answer]
    case_studies: list[Post]
    attended: list[Registration]
    progress: Progress
    ambassadors: list[Ambassador]
    plays: list[Play] | None
    signals: AccountSignals | None

    @property
    def renewal_days_ago(self) -> int | None:
        return -self.renewal_in_days if self.renewal_in_days is not None else None


def account_economics(account: CustomerAccount) -> Economics:
    settings = current_tier_settings()
    months = lifetime_months(account, settings)
    ltv = account.ltv_minor
    ltv_computed = ltv is None and account.arr_minor is not None
    if ltv is None:
        ltv = computed_ltv(account.arr_minor, months)
    return Economics(
        arr=format_amount(account.arr_minor, account.currency),
        mrr=format_amount(account.mrr_minor, account.currency),
        ltv=format_amount(ltv, account.currency),
        ltv_computed=ltv_computed,
        lifetime_months=months,
        tier=account.get_touch_tier_display(),
        is_strategic=account.is_strategic,
        tier_override_reason=account.tier_override_reason if account.tier_override else "",
    )


_AMOUNT_FIELDS = frozenset({"arr_minor", "mrr_minor", "ltv_minor"})
_CHOICE_FIELDS: dict[str, Any] = {
    "lifecycle_stage": LifecycleStage,
    "touch_tier": TouchTier,
    "tier_override": TouchTier,
    "employee_band": EmployeeBand,
    "status": CustomerAccount.Status,
}


def _field_label(name: str, custom_labels: Mapping[str, str]) -> str:
    if name.startswith(CUSTOM_FIELD_PREFIX):
        key = name.removeprefix(CUSTOM_FIELD_PREFIX)
        return custom_labels.get(key, key)
    try:
        field = CustomerAccount._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _value_text(name: str, value: str, currency: str) -> str:
    if value == "":
        return ""
    if name in _AMOUNT_FIELDS:
        try:
            return format_amount(int(value), currency)
        except ValueError:
            return value
    if name in _CHOICE_FIELDS:
        choices = dict(_CHOICE_FIELDS[name].choices)
        return str(choices.get(value, value))
    if value in {"yes", "no"}:
        return gettext("Yes") if value == "yes" else gettext("No")
    return value


def change_rows(changes: Sequence[AccountChange], account: CustomerAccount) -> list[ChangeRow]:
    """History rows in words: field labels (a custom field's by its key, one query when there
    is one), amounts in the account's currency, choices by their label."""
    custom_labels: dict[str, str] = {}
    if any(change.field.startswith(CUSTOM_FIELD_PREFIX) for change in changes):
        custom_labels = {key: field.label for key, field in custom_fields_by_key().items()}
    return [change_row(change, account, custom_labels) for change in changes]


def change_row(
    change: AccountChange, account: CustomerAccount, custom_labels: Mapping[str, str]
) -> ChangeRow:
    return ChangeRow(
        change=change,
        label=_field_label(change.field, custom_labels),
        old=_value_text(change.field, change.old_value, account.currency),
        new=_value_text(change.field, change.new_value, account.currency),
    )


def account_360(
    access: AccountAccess, *, page_number: str | None, now: dt.datetime | None = None
) -> Account360:
    """Everything the Customer 360 shows, read for this viewer: economics (ARR, MRR, LTV, tier,
    expansion signals) only when they may see them. A bounded number of queries, whatever the
    size of the account."""
    now = now or timezone.now()
    account = access.account
    economics = access.can_view_economics
    members = Paginator(account_members(account), 25).get_page(page_number)
    renewal_in_days = None
    if account.renewal_date is not None:
        renewal_in_days = (account.renewal_date - timezone.localdate(now, site_zone())).days
    changes = recent_changes(account, include_economics=economics)
    return Account360(
        account=account,
        economics=account_economics(account) if economics else None,
        renewal_in_days=renewal_in_days,
        figures=account_figures(account, now=now),
        activity=weekly_activity(account, now=now),
        changes=change_rows(changes, account),
        members=members,
        member_rows=member_rows(list(members.object_list)),
        spaces=account_spaces(account),
        questions=latest_questions(account),
        answers=latest_answers(account),
        case_studies=latest_case_studies(account),
        attended=latest_attended(account),
        progress=account_project_progress(account),
        ambassadors=list(ambassadors_of_account(account)[:SPACES_ON_360]),
        plays=list(plays_for_account(account)[:PLAYS_ON_360]) if economics else None,
        signals=account_signals(account, now=now) if economics else None,
    )


def open_play_count(account: CustomerAccount) -> int:
    """Plays open on the account (not snoozed, not closed). Callers check economics."""
    return plays_for_account(account).filter(status=PlayStatus.OPEN).count()


def activity_chart(points: Sequence[SeriesPoint]) -> dict[str, Any]:
    """The 360's activity chart, for the page and the monthly PDF alike (translated titles)."""
    return time_series_spec(
        points,
        value_title=gettext("Activities"),
        period_title=gettext("Week starting"),
        description=gettext("Actions by the account's members in the community, week by week"),
    )
