"""Who is in a segment: one SQL query per question, whatever the number of members.

`members_in`, `accounts_in` and `count` are what other apps call (plays, newsletters,
invitations); they do not check who asks — callers hold a `SegmentAccess` or run as the system.
A members segment's accounts are the accounts with at least one of its members; an accounts
segment's members are the active members linked to its accounts.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from kizuna.customers.models import CustomerAccount
from kizuna.gamification.models import Level
from kizuna.gamification.selectors import lifetime_points_expression
from kizuna.identity.models import Member
from kizuna.segments.definitions import (
    Condition,
    Moment,
    conditions_from_json,
    definition_q,
)
from kizuna.segments.models import Segment, Target

SAMPLE_SIZE = 10


def members_matching(
    target: str, match: str, conditions: Sequence[Condition], moment: Moment | None = None
) -> QuerySet[Member]:
    """Active members a definition finds (for an accounts definition: their members)."""
    members = Member.objects.filter(is_active=True)
    if target == Target.ACCOUNTS:
        accounts = accounts_matching(target, match, conditions, moment)
        return members.filter(account_link__account_id__in=accounts.values("pk"))
    return members.filter(definition_q(Target.MEMBERS, match, conditions, moment))


def accounts_matching(
    target: str, match: str, conditions: Sequence[Condition], moment: Moment | None = None
) -> QuerySet[CustomerAccount]:
    """Accounts a definition finds (for a members definition: those with one of its members)."""
    if target == Target.MEMBERS:
        members = members_matching(target, match, conditions, moment)
        return CustomerAccount.objects.filter(
            Exists(members.filter(account_link__account_id=OuterRef("pk")))
        )
    return CustomerAccount.objects.filter(definition_q(Target.ACCOUNTS, match, conditions, moment))


def matching(target: str, match: str, conditions: Sequence[Condition]) -> QuerySet[Any]:
    """What the definition is a list of: members or accounts."""
    if target == Target.ACCOUNTS:
        return accounts_matching(target, match, conditions)
    return members_matching(target, match, conditions)


def conditions_of(segment: Segment) -> list[Condition]:
    return conditions_from_json(segment.conditions)


def members_in(segment: Segment) -> QuerySet[Member]:
    return members_matching(segment.target, segment.match, conditions_of(segment))


def accounts_in(segment: Segment) -> QuerySet[CustomerAccount]:
    return accounts_matching(segment.target, segment.match, conditions_of(segment))


def count(segment: Segment) -> int:
    """How many members (or accounts, for an accounts segment) the segment holds: one query."""
    return matching(segment.target, segment.match, conditions_of(segment)).count()


def with_level(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members with `points`, `level_name_ja` and `level_name_en` (None below every level)."""
    reached = Level.objects.filter(threshold__lte=OuterRef("points")).order_by("-threshold")
    return members.annotate(points=lifetime_points_expression()).annotate(
        level_name_ja=Subquery(reached.values("name_ja")[:1]),
        level_name_en=Subquery(reached.values("name_en")[:1]),
    )


def member_rows(members: QuerySet[Member]) -> QuerySet[Member]:
    """A segment's members as its pages, API and export list them: by name, with their
    account and level, in one query."""
    return with_level(
        members.select_related("account_link__account", "account_link__account__plan")
    ).order_by("display_name", "email", "pk")


def account_rows(accounts: QuerySet[CustomerAccount]) -> QuerySet[CustomerAccount]:
    return (
        accounts.select_related("plan", "csm_owner")
        .annotate(member_count=Count("member_links", distinct=True))
        .order_by("name", "pk")
    )


def sample(target: str, match: str, conditions: Sequence[Condition]) -> list[Any]:
    """The first matches, as the editor shows them under the live count."""
    if target == Target.ACCOUNTS:
        return list(account_rows(accounts_matching(target, match, conditions))[:SAMPLE_SIZE])
    return list(
        members_matching(target, match, conditions)
        .select_related("account_link__account")
        .order_by("display_name", "email", "pk")[:SAMPLE_SIZE]
    )
