"""Output shapes of the ambassador roster API."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

AmbassadorStatusValue = Literal["active", "retired"]
TierValue = Literal["high", "low", "tech"]


class AmbassadorAccountOut(Schema):
    id: int
    name: str
    touch_tier: TierValue | None = Field(
        None, description="Staff who may see customer economics only; null for the others."
    )


class AmbassadorOut(Schema):
    id: int
    member: MemberRefOut
    account: AmbassadorAccountOut | None
    status: AmbassadorStatusValue
    since: date
    note: str
    retired_at: datetime | None
    retired_reason: str


class AmbassadorPageOut(PageMeta):
    items: list[AmbassadorOut]
