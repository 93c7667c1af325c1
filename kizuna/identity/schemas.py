"""Output shapes of the members API."""

from datetime import datetime

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.models import Member


class MemberRefOut(Schema):
    """A member as the other APIs name them (an author, an actor, an applicant): id and name."""

    id: int
    name: str

    @classmethod
    def of(cls, member: Member) -> "MemberRefOut":
        """The one way every API builds the reference from a member row."""
        return cls(id=member.pk, name=member.name)


class AccountRefOut(Schema):
    id: int
    name: str
    status: str


class MemberOut(Schema):
    """A member's public profile; `email` and `account` only for staff who may see customer data."""

    id: int
    name: str
    display_name: str
    company_name: str
    job_role: str
    bio: str
    photo_url: str | None
    interests: list[str]
    is_staff_member: bool
    email: str | None = Field(None, description="Staff with customer-data access only.")
    account: AccountRefOut | None = Field(None, description="Staff with customer-data access only.")


class MemberPageOut(PageMeta):
    items: list[MemberOut]


class MeOut(MemberOut):
    language: str
    time_zone: str
    staff_role: str
    is_customer: bool
    date_joined: datetime
