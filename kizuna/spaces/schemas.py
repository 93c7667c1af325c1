"""Input and output shapes of the spaces API."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import LongText, NoNul, Slug
from kizuna.identity.schemas import MemberRefOut

AccessTypeValue = Literal["private", "open", "application"]
SpaceRoleValue = Literal["host", "moderator", "member"]
Name = Annotated[str, StringConstraints(max_length=120), NoNul]
Question = Annotated[str, StringConstraints(max_length=500), NoNul]
Answer = Annotated[str, StringConstraints(max_length=2000), NoNul]
Color = Annotated[str, StringConstraints(max_length=7), NoNul]
Icon = Annotated[str, StringConstraints(max_length=4), NoNul]
Reason = Annotated[str, StringConstraints(max_length=1000), NoNul]
Email = Annotated[str, StringConstraints(max_length=254), NoNul]
Token = Annotated[str, StringConstraints(max_length=64), NoNul]


class SpaceOut(Schema):
    """A space as this viewer may see it: content fields are null when its content is hidden."""

    slug: str
    name: str
    purpose: str
    access_type: AccessTypeValue
    can_view_content: bool
    rules: str | None = Field(None, description="Also shown for application spaces.")
    join_questions: list[str] | None = Field(None, description="Also shown for application spaces.")
    description: str | None = None
    color: str | None = None
    icon: str | None = None
    parent: str | None = Field(None, description="The parent space's slug, for a sub-group.")
    created_at: datetime | None = None
    archived_at: datetime | None = None


class SpaceAccessOut(Schema):
    is_member: bool
    role: SpaceRoleValue | None
    can_view_content: bool
    can_join: bool
    can_apply: bool
    can_leave: bool
    can_invite: bool
    can_moderate: bool
    can_manage: bool
    has_pending_request: bool
    denial: str | None


class SpaceDetailOut(SpaceOut):
    access: SpaceAccessOut


class SpacePageOut(PageMeta):
    items: list[SpaceOut]


class SpaceIn(Schema):
    name: Name
    slug: Slug = ""
    purpose: LongText
    rules: LongText
    access_type: AccessTypeValue = "open"
    description: LongText = ""
    color: Color = "#2f5d8a"
    icon: Icon = ""
    parent: Slug | None = Field(None, description="Slug of the parent space, for a sub-group.")
    join_questions: list[Question] = Field(default_factory=list, max_length=20)


class SpacePatchIn(Schema):
    name: Name | None = None
    slug: Slug | None = None
    purpose: LongText | None = None
    rules: LongText | None = None
    access_type: AccessTypeValue | None = None
    description: LongText | None = None
    color: Color | None = None
    icon: Icon | None = None
    join_questions: list[Question] | None = Field(None, max_length=20)


class ArchiveIn(Schema):
    reason: Reason = ""


class MembershipOut(Schema):
    space: str = Field(description="The space's slug.")
    member: MemberRefOut
    role: SpaceRoleValue
    joined_at: datetime


class MembershipPageOut(PageMeta):
    items: list[MembershipOut]


class RoleChangeIn(Schema):
    role: SpaceRoleValue
    reason: Reason = ""


class RemoveMemberIn(Schema):
    reason: Reason


class ApplyIn(Schema):
    answers: list[Answer] = Field(default_factory=list, max_length=20)


class AnswerOut(Schema):
    question: str
    answer: str


class JoinRequestOut(Schema):
    id: int
    space: str
    applicant: MemberRefOut
    answers: list[AnswerOut]
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


class JoinRequestPageOut(PageMeta):
    items: list[JoinRequestOut]


class DecisionIn(Schema):
    reason: Reason = ""


class InvitationIn(Schema):
    email: Email
    message: Reason = ""


class InvitationOut(Schema):
    id: int
    space: str
    email: str
    status: Literal["pending", "accepted", "revoked", "expired"]
    invited_by: MemberRefOut
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class InvitationPageOut(PageMeta):
    items: list[InvitationOut]


class AcceptInvitationIn(Schema):
    token: Token
