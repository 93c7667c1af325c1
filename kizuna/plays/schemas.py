"""Input and output shapes of the plays API."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul
from kizuna.identity.schemas import MemberRefOut

PlayKindValue = Literal[
    "no_ambassador",
    "no_recent_event",
    "contacts_not_joined",
    "champion_inactive",
    "renewal_engagement_falling",
]
PlayStatusValue = Literal["open", "snoozed", "done", "dismissed", "resolved"]
PlayStatusFilter = Literal["open", "snoozed", "done", "dismissed", "resolved", "closed", "all"]
TierValue = Literal["high", "low", "tech"]
Reason = Annotated[str, StringConstraints(max_length=1000), NoNul]
Title = Annotated[str, StringConstraints(max_length=200), NoNul]


class PlayRuleRefOut(Schema):
    id: int
    kind: PlayKindValue
    title: str


class PlayAccountOut(Schema):
    id: int
    name: str
    touch_tier: TierValue


class PlayOut(Schema):
    id: int
    rule: PlayRuleRefOut
    account: PlayAccountOut
    member: MemberRefOut | None = Field(description="The member a champion play is about.")
    status: PlayStatusValue
    reason: str = Field(description="Why the play is due, in the request's language.")
    params: dict[str, Any] = Field(description="What the rule found, by kind.")
    owner: MemberRefOut | None = Field(description="The account's CSM when the play opened.")
    opened_at: datetime
    snoozed_until: date | None
    closed_at: datetime | None
    closed_by: MemberRefOut | None
    dismiss_reason: str


class PlayPageOut(PageMeta):
    items: list[PlayOut]


class SnoozeIn(Schema):
    until: date = Field(description="The day the play comes back: after today, within a year.")


class DismissIn(Schema):
    reason: Reason = Field(description="Why the play is not needed (required).")


class SegmentRefOut(Schema):
    id: int
    name: str


class PlayRuleOut(Schema):
    id: int
    kind: PlayKindValue
    title: str = Field(description="The rule's own title, or its kind's label when it has none.")
    tier: TierValue | None = Field(description="The tier the rule looks at; null for any tier.")
    enabled: bool
    days: int | None
    window_days: int | None
    percentage: int | None
    minimum: int | None
    any_activity: bool
    cooldown_days: int
    segment: SegmentRefOut | None = Field(description="Only the accounts in this segment.")
    thresholds: list[str] = Field(description="The threshold fields this kind of rule uses.")
    last_evaluated_at: datetime | None


class PlayRulePageOut(PageMeta):
    items: list[PlayRuleOut]


class PlayRulePatchIn(Schema):
    """Only the fields sent change; a threshold the rule's kind does not use is refused."""

    title: Title | None = None
    tier: TierValue | Literal[""] | None = Field(None, description='"" for any tier.')
    enabled: bool | None = None
    days: int | None = Field(None, ge=1, le=3650)
    window_days: int | None = Field(None, ge=1, le=3650)
    percentage: int | None = Field(None, ge=0, le=100)
    minimum: int | None = Field(None, ge=1, le=1000)
    any_activity: bool | None = None
    cooldown_days: int | None = Field(None, ge=0, le=3650)
    segment: int | None = Field(
        None, ge=1, le=2_147_483_647, description="A segment's id; null for every account."
    )
