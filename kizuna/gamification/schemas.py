"""Output shapes of the recognition API: levels, a member's standing, ledgers, balances, boards."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import ObjectId
from kizuna.identity.schemas import MemberRefOut

EntryKindValue = Literal["award", "reversal", "spend", "refund", "adjustment"]
PeriodValue = Literal["all", "month"]


class LevelOut(Schema):
    id: int
    name: str = Field(description="The name in the response's language.")
    name_ja: str
    name_en: str
    threshold: int = Field(description="Lifetime points needed to reach the level.")
    colour: str = Field(description='A CSS colour such as "#8c6239".')


class LevelPageOut(PageMeta):
    items: list[LevelOut]


class RecognitionSummaryOut(Schema):
    member: MemberRefOut
    balance: int = Field(description="Points the member can spend now.")
    lifetime_points: int = Field(
        description="Points earned (awards − reversals + adjustments); levels are measured on it, "
        "and the profile and the all-time community leaderboard show it."
    )
    level: LevelOut | None
    next_level: LevelOut | None = Field(description="Null at the highest level.")
    points_to_next_level: int = Field(description="0 at the highest level.")
    progress_percent: int = Field(ge=0, le=100)
    shows_on_leaderboards: bool = Field(
        description="Whether leaderboards rank the member: they did not opt out, and staff only "
        "where the community ranks staff."
    )


class LedgerEntryOut(Schema):
    id: int
    kind: EntryKindValue
    amount: int = Field(description="Positive for points in, negative for points out.")
    rule: str | None = Field(description="The points rule's key, for awards and reversals.")
    rule_label: str | None
    reason: str
    source_type: str | None = Field(description='The source\'s model, e.g. "content.answer".')
    source_id: int | None
    created_at: datetime


class LedgerPageOut(PageMeta):
    items: list[LedgerEntryOut]


class BalanceFilters(Schema):
    member_id: list[ObjectId] | None = Field(
        None, max_length=100, description="Only these members (repeat the parameter)."
    )
    updated_since: datetime | None = Field(
        None, description="Only members whose ledger moved at or after this time (ISO 8601)."
    )


class BalanceOut(Schema):
    member: MemberRefOut
    balance: int
    lifetime_points: int
    level: LevelOut | None
    last_entry_at: datetime | None = Field(
        description="When the member's ledger last moved; null if it never did."
    )


class BalancePageOut(PageMeta):
    items: list[BalanceOut]


class LeaderboardRowOut(Schema):
    rank: int
    member: MemberRefOut
    points: int = Field(
        description="All time community-wide: the member's lifetime points, as in their "
        "summary. A month or a space: the points earned there."
    )
    level: LevelOut | None


class LeaderboardPageOut(Schema):
    """A board is not counted in full (ranking every member costs a scan of the whole board):
    `count` is null and `has_more` says whether a next page exists."""

    count: None = Field(description="Always null: a board is not counted.")
    has_more: bool = Field(description="Whether rows follow this page.")
    limit: int
    offset: int
    period: PeriodValue
    space_id: int | None
    items: list[LeaderboardRowOut]
