"""Input and output shapes of the customer accounts API."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul

AccountStatusValue = Literal["active", "churned"]
AccountName = Annotated[str, StringConstraints(max_length=200), NoNul]
Domain = Annotated[str, StringConstraints(max_length=253), NoNul]
Reason = Annotated[str, StringConstraints(max_length=1000), NoNul]


class AccountOut(Schema):
    id: int
    name: str
    status: AccountStatusValue
    domains: list[str]
    member_count: int
    created_at: datetime


class AccountPageOut(PageMeta):
    items: list[AccountOut]


class AccountIn(Schema):
    name: AccountName
    domains: list[Domain] = Field(default_factory=list, max_length=50)
    status: AccountStatusValue = "active"


class AccountPatchIn(Schema):
    name: AccountName | None = None
    domains: list[Domain] | None = Field(None, max_length=50)
    status: AccountStatusValue | None = None


class AccountLinkIn(Schema):
    member_id: int = Field(ge=1, le=2_147_483_647)
    reason: Reason = ""


class UnlinkIn(Schema):
    reason: Reason = ""


class AccountLinkOut(Schema):
    account_id: int
    member_id: int
    source: Literal["email_domain", "staff"]
    linked_at: datetime
