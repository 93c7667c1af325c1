"""Input and output shapes of the segments API."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul

TargetValue = Literal["members", "accounts"]
MatchValue = Literal["all", "any"]
SegmentName = Annotated[str, StringConstraints(max_length=120), NoNul]
SegmentDescription = Annotated[str, StringConstraints(max_length=1000), NoNul]
FieldKey = Annotated[str, StringConstraints(max_length=100), NoNul]
Operator = Annotated[str, StringConstraints(max_length=30), NoNul]


class ConditionIn(Schema):
    field: FieldKey = Field(
        description="A condition field, e.g. account.touch_tier, member.level, custom:<key>."
    )
    op: Operator = Field(description="An operator the field takes, e.g. in, gte, within_last.")
    value: Any = Field(
        None,
        description=(
            "What the operator compares with: a list of choice values, a number, a number of "
            'days, {"count": N, "days": D}, an amount such as "1200万", or null.'
        ),
    )


class ConditionOut(Schema):
    field: str
    op: str
    value: Any = None


class SegmentIn(Schema):
    name: SegmentName
    description: SegmentDescription = ""
    target: TargetValue = "members"
    match: MatchValue = "all"
    conditions: list[ConditionIn] = Field(max_length=50)


class SegmentPatchIn(Schema):
    name: SegmentName | None = None
    description: SegmentDescription | None = None
    target: TargetValue | None = None
    match: MatchValue | None = None
    conditions: list[ConditionIn] | None = Field(None, max_length=50)


class PreviewIn(Schema):
    target: TargetValue = "members"
    match: MatchValue = "all"
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=50)


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    target: TargetValue
    match: MatchValue
    conditions: list[ConditionOut]
    in_words: list[str] = Field(
        description="Each condition as a sentence in the caller's language."
    )
    uses_economics: bool
    created_at: datetime
    updated_at: datetime


class SegmentPageOut(PageMeta):
    items: list[SegmentOut]


class CountOut(Schema):
    target: TargetValue
    count: int


class SegmentMemberOut(Schema):
    id: int
    name: str
    email: str
    account_id: int | None
    account_name: str | None
    level: str | None
    points: int


class SegmentMemberPageOut(PageMeta):
    items: list[SegmentMemberOut]
