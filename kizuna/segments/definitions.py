"""What a segment can be made of: the condition fields, their operators and values, how a
definition is checked, put in words, and turned into ONE SQL filter.

A condition is ``{"field": key, "op": operator, "value": value}``. Each field is a `FieldSpec`
in `FIELDS` (or a custom field, keyed ``custom:<key>``): its label, the operators it takes and
the kind of value each wants, whether it is customer economics, and the function that turns
it into a `Q` over `CustomerAccount` (account fields) or `Member` (member fields). Every
function builds SQL only (`Exists`, subqueries, lookups): no query runs while a definition is
compiled, and no loop in Python ever walks over members or accounts.

To add a condition (issue 13 brings the health band and the member roles): write its builder,
add a `FieldSpec` to `FIELDS`, and give its operators sentences if the generic ones read badly.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kizuna.activity.models import Activity, Verb
from kizuna.cohorts.models import Participant, Programme
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, parse_date
from kizuna.customers.models import (
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    EmployeeBand,
    LifecycleStage,
    MemberAccountLink,
    Plan,
    TouchTier,
)
from kizuna.customers.money import format_amount, parse_amount, to_major
from kizuna.customers.tiers import current_tier_settings
from kizuna.events.models import Attendance, Registration
from kizuna.gamification.models import Level, MemberBalance
from kizuna.identity.models import Interest, Member
from kizuna.segments.models import Match, Target
from kizuna.spaces.models import Membership, Space

MAX_CONDITIONS = 20
MAX_CHOSEN = 100
MAX_DAYS = 3650
MAX_COUNT = 10_000
MAX_TEXT = 200


class Kind(StrEnum):
    """The value an operator wants."""

    CHOICES = "choices"  # one or more of the field's choices
    CHOICE = "choice"  # exactly one of them
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DAYS = "days"  # a whole number of days
    AMOUNT = "amount"  # money in the vendor's currency, stored in minor units
    COUNT_IN_DAYS = "count_in_days"  # {"count": N, "days": D}
    NONE = "none"


class Group(StrEnum):
    ACCOUNT = "account"
    MEMBER = "member"


GROUP_LABELS: dict[Group, StrOrPromise] = {
    Group.ACCOUNT: _("The customer account"),
    Group.MEMBER: pgettext_lazy("segment condition group", "The member"),
}

OPERATOR_LABELS: dict[str, StrOrPromise] = {
    "in": _("is any of"),
    "not_in": _("is none of"),
    "equals": pgettext_lazy("segment operator", "is"),
    "contains": _("contains"),
    "gte": _("at least"),
    "lte": _("at most"),
    "eq": _("equal to"),
    "lt": _("below"),
    "before": pgettext_lazy("segment operator", "before"),
    "after": pgettext_lazy("segment operator", "after"),
    "within_next": _("in the next … days"),
    "within_last": _("in the last … days"),
    "not_within_last": _("not in the last … days"),
    "yes": pgettext_lazy("segment operator", "yes"),
    "no": pgettext_lazy("segment operator", "no"),
    "any": _("in any"),
    "none": _("in none"),
}

# How a condition reads on the segment's page: %(field)s, %(value)s, %(count)s, %(days)s.
SENTENCES: dict[str, StrOrPromise] = {
    "in": _("%(field)s is one of: %(value)s"),
    "not_in": _("%(field)s is none of: %(value)s"),
    "equals": _("%(field)s is “%(value)s”"),
    "contains": _("%(field)s contains “%(value)s”"),
    "gte": _("%(field)s is at least %(value)s"),
    "lte": _("%(field)s is at most %(value)s"),
    "eq": _("%(field)s is %(value)s"),
    "lt": _("%(field)s is below %(value)s"),
    "before": _("%(field)s is before %(value)s"),
    "after": _("%(field)s is after %(value)s"),
    "within_next": _("%(field)s falls within the next %(days)s days"),
    "within_last": _("%(field)s falls within the last %(days)s days"),
    "not_within_last": _("%(field)s does not fall within the last %(days)s days"),
    "yes": _("%(field)s: yes"),
    "no": _("%(field)s: no"),
    "any": _("%(field)s: any"),
    "none": _("%(field)s: none"),
}


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any = None

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class AccountPath:
    """Where the account is, seen from the query a condition joins: the account itself, or
    the account of a member's link (a members segment's account conditions)."""

    prefix: str
    ref: str


ACCOUNT_ITSELF = AccountPath(prefix="", ref="pk")
ACCOUNT_OF_LINK = AccountPath(prefix="account__", ref="account_id")


@dataclass(frozen=True)
class Moment:
    """ "Now" for one evaluation, so every window of a definition ends at the same instant."""

    now: dt.datetime
    today: dt.date

    @classmethod
    def current(cls) -> "Moment":
        return cls(now=timezone.now(), today=timezone.localdate())


AccountBuilder = Callable[[str, Any, AccountPath, Moment], Q]
MemberBuilder = Callable[[str, Any, Moment], Q]
ChoiceLoader = Callable[[], list[tuple[str, str]]]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: StrOrPromise
    group: Group
    operators: Mapping[str, Kind]
    account_q: AccountBuilder | None = None
    member_q: MemberBuilder | None = None
    economic: bool = False
    choices: ChoiceLoader | None = None
    operator_labels: Mapping[str, StrOrPromise] = field(default_factory=dict)
    sentences: Mapping[str, StrOrPromise] = field(default_factory=dict)
    help_text: StrOrPromise = ""

    def kind(self, op: str) -> Kind:
        return self.operators[op]

    def applies_to(self, target: str) -> bool:
        return self.group == Group.ACCOUNT or target == Target.MEMBERS

    def operator_choices(self) -> list[tuple[str, str]]:
        return [
            (op, str(self.operator_labels.get(op, OPERATOR_LABELS[op]))) for op in self.operators
        ]


# ------------------------------------------------------------------ the builders: SQL only


def _negated(op: str, q: Q) -> Q:
    return ~q if op in {"not_in", "not_within_last", "none", "no"} else q


def _account_choice(column: str) -> AccountBuilder:
    def build(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
        return _negated(op, Q(**{f"{path.prefix}{column}__in": list(value)}))

    return build


def _account_text(column: str) -> AccountBuilder:
    def build(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
        lookup = "icontains" if op == "contains" else "iexact"
        return Q(**{f"{path.prefix}{column}__{lookup}": value})

    return build


def _renewal_q(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
    until = moment.today + dt.timedelta(days=int(value))
    return Q(**{f"{path.prefix}renewal_date__range": (moment.today, until)})


def _arr_q(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
    lookup = "gte" if op == "gte" else "lte"
    return Q(
        **{
            f"{path.prefix}arr_minor__{lookup}": int(value["minor"]),
            f"{path.prefix}currency": value["currency"],
        }
    )


def _strategic_q(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
    return Q(**{f"{path.prefix}is_strategic": op == "yes"})


def _date_range(op: str, value: Any, moment: Moment) -> tuple[dt.date, dt.date]:
    days = dt.timedelta(days=int(value))
    if op == "within_next":
        return (moment.today, moment.today + days)
    return (moment.today - days, moment.today)


_CUSTOM_LOOKUPS = {
    "equals": "text_value__iexact",
    "contains": "text_value__icontains",
    "in": "text_value__in",
    "gte": "number_value__gte",
    "lte": "number_value__lte",
    "eq": "number_value",
    "before": "date_value__lt",
    "after": "date_value__gt",
    "within_next": "date_value__range",
    "within_last": "date_value__range",
}


def _custom_field_q(key: str) -> AccountBuilder:
    """A custom field's value in the column its operator compares (each operator belongs to
    one kind of field, so the column follows from it without reading the field)."""

    def build(op: str, value: Any, path: AccountPath, moment: Moment) -> Q:
        compared: Any
        if op in {"within_next", "within_last"}:
            compared = _date_range(op, value, moment)
        elif op in {"before", "after"}:
            compared = dt.date.fromisoformat(value)
        elif op in {"gte", "lte", "eq"}:
            compared = Decimal(value)
        else:
            compared = value
        values = CustomFieldValue.objects.filter(
            account_id=OuterRef(path.ref), field__key=key, **{_CUSTOM_LOOKUPS[op]: compared}
        )
        return Q(Exists(values))

    return build


def _counted(rows: QuerySet[Any], group_by: str) -> Coalesce:
    """How many of `rows` there are, as a subquery (0 when none)."""
    return Coalesce(
        Subquery(
            rows.order_by().values(group_by).annotate(found=Count("pk")).values("found")[:1],
            output_field=IntegerField(),
        ),
        0,
        output_field=IntegerField(),
    )


def _count_q(op: str, rows: QuerySet[Any], group_by: str, count: int) -> Q:
    """At least / at most `count` of `rows`; EXISTS where that is what the count asks."""
    if op == "gte" and count <= 1:
        return Q(Exists(rows))
    if op == "lte" and count == 0:
        return ~Q(Exists(rows))
    counted = _counted(rows, group_by)
    if op == "gte":
        return Q(GreaterThanOrEqual(counted, count))
    return Q(LessThanOrEqual(counted, count))


def _level_q(op: str, value: Any, moment: Moment) -> Q:
    """At least / below a level: lifetime points against the level's threshold, both read in
    the same query (staff may move thresholds). A member without a balance has 0 points, so
    they reach a level whose threshold is 0 (EXISTS on the balance lets PostgreSQL join
    instead of looking up every member's points one by one)."""
    level = Level.objects.filter(pk=int(value))
    threshold = Subquery(level.values("threshold")[:1])
    reached = Q(
        Exists(
            MemberBalance.objects.filter(member_id=OuterRef("pk"), lifetime_points__gte=threshold)
        )
    )
    if op == "gte":
        return reached | Q(Exists(level.filter(threshold__lte=0)))
    return ~reached & Q(Exists(level.filter(threshold__gt=0)))


def _is_customer() -> Q:
    links = MemberAccountLink.objects.filter(
        member_id=OuterRef("pk"), account__status=CustomerAccount.Status.ACTIVE
    )
    return Q(Exists(links)) & Q(staff_role="")


def _member_kind_q(op: str, value: Any, moment: Moment) -> Q:
    kinds = {
        "staff": ~Q(staff_role=""),
        "customer": _is_customer(),
        "other": Q(staff_role="") & ~_is_customer(),
    }
    chosen = Q(pk__in=[])
    for kind in value:
        chosen |= kinds[kind]
    return _negated(op, chosen)


def _joined_q(op: str, value: Any, moment: Moment) -> Q:
    since = moment.now - dt.timedelta(days=int(value))
    return Q(date_joined__gte=since) if op == "within_last" else Q(date_joined__lt=since)


def _active_q(op: str, value: Any, moment: Moment) -> Q:
    since = moment.now - dt.timedelta(days=int(value))
    recent = Activity.objects.filter(actor_id=OuterRef("pk"), occurred_at__gte=since)
    return _negated(op, Q(Exists(recent)))


def _space_q(op: str, value: Any, moment: Moment) -> Q:
    memberships = Membership.objects.filter(member_id=OuterRef("pk"), space_id__in=list(value))
    return _negated(op, Q(Exists(memberships)))


def _interests_q(op: str, value: Any, moment: Moment) -> Q:
    tagged = Member.interests.through.objects.filter(
        member_id=OuterRef("pk"), interest_id__in=list(value)
    )
    return _negated(op, Q(Exists(tagged)))


def _cohort_q(op: str, value: Any, moment: Moment) -> Q:
    participations = Participant.objects.filter(member_id=OuterRef("pk"))
    if op == "in":
        participations = participations.filter(programme_id__in=list(value))
    return _negated(op, Q(Exists(participations)))


def _events_attended_q(op: str, value: Any, moment: Moment) -> Q:
    since = moment.now - dt.timedelta(days=int(value["days"]))
    attended = Registration.objects.filter(
        member_id=OuterRef("pk"),
        attendance=Attendance.ATTENDED,
        event__starts_at__gte=since,
        event__starts_at__lte=moment.now,
    )
    return _count_q(op, attended, "member_id", int(value["count"]))


def _activity_count(verb: str) -> MemberBuilder:
    def build(op: str, value: Any, moment: Moment) -> Q:
        since = moment.now - dt.timedelta(days=int(value["days"]))
        done = Activity.objects.filter(actor_id=OuterRef("pk"), verb=verb, occurred_at__gte=since)
        return _count_q(op, done, "actor_id", int(value["count"]))

    return build


# ------------------------------------------------------------------ the choices


def _level_name(level: Level) -> str:
    return level.name_ja if (get_language() or "ja").startswith("ja") else level.name_en


def _plans() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Plan.objects.values_list("pk", "name")]


def _staff() -> list[tuple[str, str]]:
    staff = Member.objects.exclude(staff_role="").order_by("display_name", "email", "pk")
    return [(str(member.pk), str(member)) for member in staff]


def _levels() -> list[tuple[str, str]]:
    return [(str(level.pk), _level_name(level)) for level in Level.objects.order_by("threshold")]


def _spaces() -> list[tuple[str, str]]:
    return [
        (str(pk), name) for pk, name in Space.objects.order_by("name").values_list("pk", "name")
    ]


def _interests() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Interest.objects.values_list("pk", "name")]


def _programmes() -> list[tuple[str, str]]:
    rows = Programme.objects.order_by("title", "pk").values_list("pk", "title")
    return [(str(pk), title) for pk, title in rows]


def _labelled(choices: Sequence[tuple[Any, Any]]) -> ChoiceLoader:
    return lambda: [(str(value), str(label)) for value, label in choices]


MEMBER_KINDS: list[tuple[str, StrOrPromise]] = [
    ("customer", _("Customer (linked to an active account)")),
    ("staff", _("Staff")),
    ("other", _("Other member (neither)")),
]

_CHOICE_OPS = {"in": Kind.CHOICES, "not_in": Kind.CHOICES}
_TEXT_OPS = {"equals": Kind.TEXT, "contains": Kind.TEXT}
_COUNT_OPS = {"gte": Kind.COUNT_IN_DAYS, "lte": Kind.COUNT_IN_DAYS}

_FIELD_LIST: list[FieldSpec] = [
    # The customer account (for a members segment: the account the member is linked to).
    FieldSpec(
        "account.touch_tier",
        _("Touch tier"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("touch_tier"),
        economic=True,
        choices=_labelled(TouchTier.choices),
    ),
    FieldSpec(
        "account.lifecycle_stage",
        _("Lifecycle stage"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("lifecycle_stage"),
        choices=_labelled(LifecycleStage.choices),
    ),
    FieldSpec(
        "account.status",
        _("Account status"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("status"),
        choices=_labelled(CustomerAccount.Status.choices),
    ),
    FieldSpec(
        "account.plan",
        pgettext_lazy("segment field", "Plan"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("plan_id"),
        choices=_plans,
    ),
    FieldSpec(
        "account.csm_owner",
        _("CSM owner"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("csm_owner_id"),
        choices=_staff,
    ),
    FieldSpec(
        "account.industry",
        _("Industry"),
        Group.ACCOUNT,
        _TEXT_OPS,
        account_q=_account_text("industry"),
    ),
    FieldSpec(
        "account.region",
        _("Region"),
        Group.ACCOUNT,
        _TEXT_OPS,
        account_q=_account_text("region"),
    ),
    FieldSpec(
        "account.employee_band",
        _("Employees"),
        Group.ACCOUNT,
        _CHOICE_OPS,
        account_q=_account_choice("employee_band"),
        choices=_labelled(EmployeeBand.choices),
    ),
    FieldSpec(
        "account.renewal",
        _("Renewal date"),
        Group.ACCOUNT,
        {"within_next": Kind.DAYS},
        account_q=_renewal_q,
        sentences={"within_next": _("Renews within the next %(days)s days")},
    ),
    FieldSpec(
        "account.arr",
        _("ARR"),
        Group.ACCOUNT,
        {"gte": Kind.AMOUNT, "lte": Kind.AMOUNT},
        account_q=_arr_q,
        economic=True,
        help_text=_(
            "An amount in the currency of the touch-tier bands, such as 1200万 or 12,000,000."
        ),
    ),
    FieldSpec(
        "account.strategic",
        _("Strategic account"),
        Group.ACCOUNT,
        {"yes": Kind.NONE, "no": Kind.NONE},
        account_q=_strategic_q,
        sentences={"yes": _("A strategic account"), "no": _("Not a strategic account")},
    ),
    # The member.
    FieldSpec(
        "member.level",
        _("Level"),
        Group.MEMBER,
        {"gte": Kind.CHOICE, "lt": Kind.CHOICE},
        member_q=_level_q,
        choices=_levels,
        operator_labels={"gte": _("at least"), "lt": _("below")},
        sentences={"gte": _("Level %(value)s or higher"), "lt": _("Below level %(value)s")},
    ),
    FieldSpec(
        "member.kind",
        _("Kind of member"),
        Group.MEMBER,
        _CHOICE_OPS,
        member_q=_member_kind_q,
        choices=_labelled(MEMBER_KINDS),
    ),
    FieldSpec(
        "member.joined",
        _("Joined the community"),
        Group.MEMBER,
        {"within_last": Kind.DAYS, "not_within_last": Kind.DAYS},
        member_q=_joined_q,
        operator_labels={"not_within_last": _("more than … days ago")},
        sentences={
            "within_last": _("Joined in the last %(days)s days"),
            "not_within_last": _("Joined more than %(days)s days ago"),
        },
    ),
    FieldSpec(
        "member.active",
        _("Activity"),
        Group.MEMBER,
        {"within_last": Kind.DAYS, "not_within_last": Kind.DAYS},
        member_q=_active_q,
        operator_labels={
            "within_last": _("active in the last … days"),
            "not_within_last": _("inactive for … days"),
        },
        sentences={
            "within_last": _("Active in the last %(days)s days"),
            "not_within_last": _("No activity in the last %(days)s days"),
        },
    ),
    FieldSpec(
        "member.space",
        _("Space membership"),
        Group.MEMBER,
        _CHOICE_OPS,
        member_q=_space_q,
        choices=_spaces,
        sentences={
            "in": _("Member of one of these spaces: %(value)s"),
            "not_in": _("Member of none of these spaces: %(value)s"),
        },
    ),
    FieldSpec(
        "member.events_attended",
        _("Events attended"),
        Group.MEMBER,
        _COUNT_OPS,
        member_q=_events_attended_q,
        sentences={
            "gte": _("Attended at least %(count)s events in the last %(days)s days"),
            "lte": _("Attended at most %(count)s events in the last %(days)s days"),
        },
    ),
    FieldSpec(
        "member.interests",
        _("Challenges and interests"),
        Group.MEMBER,
        _CHOICE_OPS,
        member_q=_interests_q,
        choices=_interests,
        operator_labels={"in": _("has any of"), "not_in": _("has none of")},
        sentences={
            "in": _("Has any of these challenges: %(value)s"),
            "not_in": _("Has none of these challenges: %(value)s"),
        },
    ),
    FieldSpec(
        "member.posts",
        _("Posts written"),
        Group.MEMBER,
        _COUNT_OPS,
        member_q=_activity_count(Verb.POSTED),
        sentences={
            "gte": _("Posted at least %(count)s times in the last %(days)s days"),
            "lte": _("Posted at most %(count)s times in the last %(days)s days"),
        },
    ),
    FieldSpec(
        "member.answers",
        _("Answers written"),
        Group.MEMBER,
        _COUNT_OPS,
        member_q=_activity_count(Verb.ANSWERED),
        sentences={
            "gte": _("Answered at least %(count)s times in the last %(days)s days"),
            "lte": _("Answered at most %(count)s times in the last %(days)s days"),
        },
    ),
    FieldSpec(
        "member.cohort",
        _("Learning programme"),
        Group.MEMBER,
        {"in": Kind.CHOICES, "any": Kind.NONE, "none": Kind.NONE},
        member_q=_cohort_q,
        choices=_programmes,
        operator_labels={"in": _("takes part in one of"), "any": _("takes part in any")},
        sentences={
            "in": _("Takes part in one of these learning programmes: %(value)s"),
            "any": _("Takes part in a learning programme"),
            "none": _("Takes part in no learning programme"),
        },
    ),
]

FIELDS: dict[str, FieldSpec] = {spec.key: spec for spec in _FIELD_LIST}

_CUSTOM_OPERATORS: dict[str, dict[str, Kind]] = {
    CustomField.Kind.TEXT: _TEXT_OPS,
    CustomField.Kind.NUMBER: {"gte": Kind.NUMBER, "lte": Kind.NUMBER, "eq": Kind.NUMBER},
    CustomField.Kind.DATE: {
        "before": Kind.DATE,
        "after": Kind.DATE,
        "within_next": Kind.DAYS,
        "within_last": Kind.DAYS,
    },
    CustomField.Kind.CHOICE: {"in": Kind.CHOICES},
}


def custom_field_spec(custom: CustomField) -> FieldSpec:
    """A custom field as a condition; every custom field counts as customer economics."""
    choices = [str(choice) for choice in custom.choices or []]
    return FieldSpec(
        key=f"{CUSTOM_FIELD_PREFIX}{custom.key}",
        label=custom.label,
        group=Group.ACCOUNT,
        operators=_CUSTOM_OPERATORS[custom.kind],
        account_q=_custom_field_q(custom.key),
        economic=True,
        choices=(lambda: [(choice, choice) for choice in choices]),
        help_text=custom.help_text,
    )


def is_economic(condition: Condition) -> bool:
    if condition.field.startswith(CUSTOM_FIELD_PREFIX):
        return True
    spec = FIELDS.get(condition.field)
    return bool(spec and spec.economic)


def uses_economics(conditions: Sequence[Condition]) -> bool:
    return any(is_economic(condition) for condition in conditions)


# ------------------------------------------------------------------ compiling: one Q


def _account_builder(key: str) -> AccountBuilder:
    if key.startswith(CUSTOM_FIELD_PREFIX):
        return _custom_field_q(key.removeprefix(CUSTOM_FIELD_PREFIX))
    builder = FIELDS[key].account_q
    assert builder is not None
    return builder


def condition_q(condition: Condition, target: str, moment: Moment) -> Q:
    """One condition as a filter of `Member` (members) or `CustomerAccount` (accounts)."""
    spec = FIELDS.get(condition.field)
    if spec is not None and spec.group == Group.MEMBER:
        if target != Target.MEMBERS or spec.member_q is None:
            raise ValueError(f"{condition.field} is a member condition")
        return spec.member_q(condition.op, condition.value, moment)
    build = _account_builder(condition.field)
    if target == Target.ACCOUNTS:
        return build(condition.op, condition.value, ACCOUNT_ITSELF, moment)
    links = MemberAccountLink.objects.filter(member_id=OuterRef("pk")).filter(
        build(condition.op, condition.value, ACCOUNT_OF_LINK, moment)
    )
    return Q(Exists(links))


def definition_q(
    target: str, match: str, conditions: Sequence[Condition], moment: Moment | None = None
) -> Q:
    """Every condition (match "all") or any of them ("any") as one filter; no conditions is
    everyone."""
    moment = moment or Moment.current()
    parts = [condition_q(condition, target, moment) for condition in conditions]
    if not parts:
        return Q(pk__isnull=False)
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined | part) if match == Match.ANY else (combined & part)
    return combined


def conditions_from_json(raw: Any) -> list[Condition]:
    """Stored conditions (already checked when saved) back as `Condition`s."""
    return [
        Condition(field=str(item["field"]), op=str(item["op"]), value=item.get("value"))
        for item in raw or []
    ]


# ------------------------------------------------------------------ the catalogue a viewer gets


class Catalogue:
    """The fields one staff member may build segments from, and their choices, loaded once
    per request: without the economics capability no economic field exists for them."""

    def __init__(self, *, economics: bool) -> None:
        self.economics = economics
        self._custom: dict[str, FieldSpec] | None = None
        self._choices: dict[str, list[tuple[str, str]]] = {}

    def _custom_specs(self) -> dict[str, FieldSpec]:
        if self._custom is None:
            self._custom = (
                {
                    spec.key: spec
                    for spec in map(custom_field_spec, CustomField.objects.order_by("position"))
                }
                if self.economics
                else {}
            )
        return self._custom

    def spec(self, key: str) -> FieldSpec | None:
        if key.startswith(CUSTOM_FIELD_PREFIX):
            return self._custom_specs().get(key)
        spec = FIELDS.get(key)
        if spec is None or (spec.economic and not self.economics):
            return None
        return spec

    def fields_for(self, target: str) -> list[FieldSpec]:
        specs = [*FIELDS.values(), *self._custom_specs().values()]
        return [
            spec
            for spec in specs
            if spec.applies_to(target) and (self.economics or not spec.economic)
        ]

    def grouped_fields(self, target: str) -> list[tuple[str, list[FieldSpec]]]:
        """The fields for a select with one group per kind, the member's own first."""
        fields = self.fields_for(target)
        groups = [Group.MEMBER, Group.ACCOUNT] if target == Target.MEMBERS else [Group.ACCOUNT]
        return [
            (str(GROUP_LABELS[group]), [spec for spec in fields if spec.group == group])
            for group in groups
        ]

    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        if spec.choices is None:
            return []
        if spec.key not in self._choices:
            self._choices[spec.key] = spec.choices()
        return self._choices[spec.key]

    def choice_label(self, spec: FieldSpec, value: str) -> str:
        return dict(self.choices(spec)).get(str(value), str(value))


# ------------------------------------------------------------------ checking


ECONOMICS_REQUIRED = _(
    "Conditions on customer economics (touch tier, ARR, custom fields) need the permission "
    "to see account economics."
)


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _whole_number(raw: Any, *, low: int, high: int, message: str) -> int:
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if isinstance(raw, bool) or not text.isascii() or not text.lstrip("-").isdigit():
        raise _Invalid(message)
    number = int(text)
    if not low <= number <= high:
        raise _Invalid(message)
    return number


def _days(raw: Any) -> int:
    return _whole_number(
        raw,
        low=1,
        high=MAX_DAYS,
        message=gettext("Enter a number of days from 1 to %(max)s.") % {"max": MAX_DAYS},
    )


def _clean_value(spec: FieldSpec, op: str, raw: Any, catalogue: Catalogue) -> Any:
    kind = spec.kind(op)
    if kind == Kind.NONE:
        return None
    if kind in {Kind.CHOICES, Kind.CHOICE}:
        allowed = {value for value, _label in catalogue.choices(spec)}
        values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        chosen = list(dict.fromkeys(str(value) for value in values))
        if not chosen:
            raise _Invalid(
                gettext("Choose at least one value.")
                if kind == Kind.CHOICES
                else gettext("Choose a value.")
            )
        if kind == Kind.CHOICE and len(chosen) > 1:
            raise _Invalid(gettext("Choose one value."))
        if len(chosen) > MAX_CHOSEN:
            raise _Invalid(gettext("Choose at most %(max)s values.") % {"max": MAX_CHOSEN})
        unknown = [value for value in chosen if value not in allowed]
        if unknown:
            raise _Invalid(
                gettext("“%(value)s” is not one of the choices for this field.")
                % {"value": unknown[0]}
            )
        return chosen if kind == Kind.CHOICES else chosen[0]
    if kind == Kind.TEXT:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise _Invalid(gettext("Enter the text to compare with."))
        if len(text) > MAX_TEXT or "\x00" in text:
            raise _Invalid(gettext("Keep the text under %(max)s characters.") % {"max": MAX_TEXT})
        return text
    if kind == Kind.NUMBER:
        try:
            number = Decimal(str(raw if raw is not None else "").strip().replace(",", ""))
        except InvalidOperation as error:
            raise _Invalid(gettext("Enter a number, such as 12 or 3.5.")) from error
        if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
            raise _Invalid(gettext("Enter a number, such as 12 or 3.5."))
        return format(number.normalize(), "f")
    if kind == Kind.DATE:
        try:
            day = parse_date(str(raw if raw is not None else ""))
        except ValueError as error:
            raise _Invalid(gettext("Enter a date such as 2026-04-01 or 2026/04/01.")) from error
        if day is None:
            raise _Invalid(gettext("Enter a date such as 2026-04-01 or 2026/04/01."))
        return day.isoformat()
    if kind == Kind.DAYS:
        return _days(raw)
    if kind == Kind.AMOUNT:
        return _clean_amount(raw)
    # Kind.COUNT_IN_DAYS
    given = raw if isinstance(raw, Mapping) else {}
    low = 1 if op == "gte" else 0
    count = _whole_number(
        given.get("count"),
        low=low,
        high=MAX_COUNT,
        message=gettext("Enter how many times, a whole number from %(low)s to %(max)s.")
        % {"low": low, "max": MAX_COUNT},
    )
    return {"count": count, "days": _days(given.get("days"))}


def _clean_amount(raw: Any) -> dict[str, Any]:
    currency = current_tier_settings().currency
    if isinstance(raw, Mapping):
        # A stored amount handed back (the API returns what it stored).
        minor = raw.get("minor")
        same_currency = str(raw.get("currency", currency)).upper() == currency
        if isinstance(minor, int) and not isinstance(minor, bool) and minor >= 0 and same_currency:
            return {"minor": minor, "currency": currency}
        raise _Invalid(
            gettext("Enter an amount in %(currency)s, such as 1200万 or 12,000,000.")
            % {"currency": currency}
        )
    try:
        minor = parse_amount(None if raw is None else str(raw), currency)
    except (ValueError, ArithmeticError):
        # parse_amount lets decimal.InvalidOperation out for figures like 1e400.
        minor = None
    if minor is None or minor >= 10**17:
        raise _Invalid(
            gettext("Enter an amount in %(currency)s, such as 1200万 or 12,000,000.")
            % {"currency": currency}
        )
    return {"minor": minor, "currency": currency}


@dataclass(frozen=True)
class Checked:
    conditions: list[Condition]
    errors: dict[int, list[str]]


def check_conditions(raw: Any, *, target: str, catalogue: Catalogue) -> Checked:
    """Each raw condition checked: the cleaned ones, and the errors by position (from 0)."""
    if not isinstance(raw, list | tuple):
        return Checked([], {-1: [gettext("Send the conditions as a list.")]})
    conditions: list[Condition] = []
    errors: dict[int, list[str]] = {}
    if len(raw) > MAX_CONDITIONS:
        errors[-1] = [
            gettext("A segment takes at most %(max)s conditions.") % {"max": MAX_CONDITIONS}
        ]
    for index, item in enumerate(raw[:MAX_CONDITIONS]):
        try:
            conditions.append(_check_one(item, target=target, catalogue=catalogue))
        except _Invalid as invalid:
            errors[index] = [invalid.message]
    return Checked(conditions, errors)


def _check_one(item: Any, *, target: str, catalogue: Catalogue) -> Condition:
    if not isinstance(item, Mapping):
        raise _Invalid(gettext("Each condition needs a field, an operator and a value."))
    key = str(item.get("field") or "")
    if not key:
        raise _Invalid(gettext("Choose what to filter on."))
    spec = catalogue.spec(key)
    if spec is None:
        if not catalogue.economics and is_economic(Condition(field=key, op="")):
            raise _Invalid(str(ECONOMICS_REQUIRED))
        raise _Invalid(gettext("There is no field “%(field)s” to filter on.") % {"field": key})
    if not spec.applies_to(target):
        raise _Invalid(
            gettext("“%(field)s” describes a member: it cannot filter customer accounts.")
            % {"field": spec.label}
        )
    op = str(item.get("op") or "")
    if op not in spec.operators:
        raise _Invalid(
            gettext("Choose how to compare “%(field)s”: %(operators)s.")
            % {
                "field": spec.label,
                "operators": pgettext("list separator", ", ").join(
                    label for _op, label in spec.operator_choices()
                ),
            }
        )
    return Condition(field=key, op=op, value=_clean_value(spec, op, item.get("value"), catalogue))


def numbered_errors(errors: Mapping[int, list[str]]) -> list[str]:
    """The errors of `check_conditions` as sentences that say which condition they are about."""
    messages: list[str] = []
    for index in sorted(errors):
        for message in errors[index]:
            messages.append(
                message
                if index < 0
                else gettext("Condition %(number)s: %(message)s")
                % {"number": index + 1, "message": message}
            )
    return messages


def clean_conditions(raw: Any, *, target: str, catalogue: Catalogue) -> list[Condition]:
    """The conditions ready to store, or a ValidationError naming each bad one."""
    checked = check_conditions(raw, target=target, catalogue=catalogue)
    if checked.errors:
        raise ValidationError({"conditions": numbered_errors(checked.errors)})
    return checked.conditions


# ------------------------------------------------------------------ in words


def _value_text(spec: FieldSpec, kind: Kind, value: Any, catalogue: Catalogue) -> str:
    separator = pgettext("list separator", ", ")
    if kind == Kind.CHOICES:
        return separator.join(catalogue.choice_label(spec, item) for item in value)
    if kind == Kind.CHOICE:
        return catalogue.choice_label(spec, value)
    if kind == Kind.AMOUNT:
        return format_amount(int(value["minor"]), str(value["currency"]))
    if kind == Kind.DATE:
        return str(formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT"))
    if kind == Kind.NUMBER:
        return str(formats.number_format(Decimal(value), use_l10n=True, force_grouping=True))
    return "" if value is None else str(value)


def describe(condition: Condition, catalogue: Catalogue) -> str:
    """The condition as a sentence in the active language."""
    spec = catalogue.spec(condition.field)
    if spec is None or condition.op not in spec.operators:
        return gettext("A condition on “%(field)s” that no longer exists") % {
            "field": condition.field
        }
    kind = spec.kind(condition.op)
    sentence = spec.sentences.get(condition.op)
    if sentence is None:
        if kind == Kind.COUNT_IN_DAYS:
            sentence = (
                _("%(field)s: at least %(count)s in the last %(days)s days")
                if condition.op == "gte"
                else _("%(field)s: at most %(count)s in the last %(days)s days")
            )
        else:
            sentence = SENTENCES[condition.op]
    value = condition.value
    params: dict[str, Any] = {"field": spec.label, "value": "", "count": "", "days": ""}
    if kind == Kind.COUNT_IN_DAYS:
        params.update(count=value["count"], days=value["days"])
    elif kind == Kind.DAYS:
        params.update(days=value)
    else:
        params["value"] = _value_text(spec, kind, value, catalogue)
    return str(sentence) % params


def form_values(condition: Condition, spec: FieldSpec | None) -> dict[str, Any]:
    """A stored condition as the editor's inputs show it."""
    value = condition.value
    shown: dict[str, Any] = {"value": "", "values": [], "count": "", "days": ""}
    if spec is None or condition.op not in spec.operators:
        return shown
    kind = spec.kind(condition.op)
    if kind == Kind.CHOICES:
        shown["values"] = [str(item) for item in value or []]
    elif kind == Kind.COUNT_IN_DAYS:
        shown.update(count=str(value["count"]), days=str(value["days"]))
    elif kind == Kind.AMOUNT:
        major = to_major(int(value["minor"]), str(value["currency"]))
        shown["value"] = format(major.normalize(), "f")
    elif value is not None:
        shown["value"] = str(value)
    if kind == Kind.CHOICE:
        shown["values"] = [str(value)]
    return shown
