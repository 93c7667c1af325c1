"""Output shapes of the badges API. A holder is a public name, company and date, nothing more."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

BadgeKindValue = Literal["automatic", "staff_awarded"]


class BadgeOut(Schema):
    slug: str
    name: str = Field(description="The name in the response's language.")
    name_ja: str
    name_en: str
    description: str
    icon: str
    kind: BadgeKindValue
    holder_count: int


class BadgePageOut(PageMeta):
    items: list[BadgeOut]


class BadgeHolderOut(Schema):
    member: MemberRefOut
    company_name: str
    awarded_at: datetime


class BadgeHolderPageOut(PageMeta):
    items: list[BadgeHolderOut]


class MemberBadgeOut(Schema):
    badge: BadgeOut
    awarded_at: datetime


class MemberBadgePageOut(PageMeta):
    items: list[MemberBadgeOut]
