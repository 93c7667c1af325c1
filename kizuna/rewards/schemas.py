"""Output shapes of the rewards API: the catalog and redemptions."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

RewardKindValue = Literal["coffee_voucher", "service_credit", "swag", "premium_event_seat", "other"]
RedemptionStatusValue = Literal["requested", "approved", "fulfilled", "rejected", "cancelled"]


class RewardOut(Schema):
    id: int
    name: str
    description: str
    kind: RewardKindValue
    cost_points: int
    stock: int | None = Field(description="Units left; null when unlimited.")
    per_member_limit: int | None = Field(description="Null when a member may redeem any number.")
    requires_approval: bool


class RewardPageOut(PageMeta):
    items: list[RewardOut]


class RewardRefOut(Schema):
    id: int
    name: str


class RedemptionOut(Schema):
    id: int
    reward: RewardRefOut
    member: MemberRefOut
    cost_points: int = Field(description="The price paid when redeemed.")
    status: RedemptionStatusValue
    reason: str = Field(description="Why staff rejected it, if they did.")
    fulfilment_note: str
    created_at: datetime
    decided_at: datetime | None
    fulfilled_at: datetime | None


class RedemptionPageOut(PageMeta):
    items: list[RedemptionOut]
