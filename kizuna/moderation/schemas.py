"""Input and output shapes of the review queue and flags API."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.content.validation import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul, ObjectId, Slug
from kizuna.identity.schemas import MemberRefOut

TargetKind = Literal["post", "answer", "comment"]
QueueStatus = Literal["pending", "open", "resubmitted", "resolved"]
ItemStatus = Literal["open", "resubmitted", "resolved"]
SourceValue = Literal["rule", "flag"]
FlagReasonValue = Literal["spam", "promotion", "off_topic", "abusive", "other"]
# A little above the services' limits, so their own messages answer overlong text; an
# optional reason is cut to length rather than refused.
Reason = Annotated[str, StringConstraints(max_length=1200), NoNul]
Message = Annotated[str, StringConstraints(max_length=2200), NoNul]
# A moderator's edit is held to the limits of a member's post (the service cut a long title
# and stored any body before).
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX_LENGTH), NoNul]
Body = Annotated[str, StringConstraints(max_length=BODY_MAX_LENGTH), NoNul]
DurationNote = Annotated[str, StringConstraints(max_length=200), NoNul]


class ReviewItemOut(Schema):
    id: int
    space: str = Field(description="The space's slug.")
    kind: TargetKind
    post_id: int = Field(description="The thread the content belongs to.")
    answer_id: int | None
    comment_id: int | None
    title: str = Field(description="The thread's title.")
    excerpt: str = Field(description="The start of the content's text.")
    author: MemberRefOut
    content_status: Literal["published", "held", "hidden", "deleted"]
    source: SourceValue
    reasons: list[str] = Field(description="Why the item is in the queue, readable.")
    flag_count: int
    status: ItemStatus
    created_at: datetime
    action: str = Field(description="How it was resolved; empty while pending.")
    resolved_at: datetime | None
    resolution_reason: str


class ReviewItemPageOut(PageMeta):
    items: list[ReviewItemOut]


class ReasonIn(Schema):
    reason: Reason


class OptionalReasonIn(Schema):
    reason: Reason = ""


class EditIn(Schema):
    title: Title = Field("", description="Required for a post; ignored for answers and comments.")
    body: Body
    reason: Reason


class MoveIn(Schema):
    to_space: Slug = Field(description="The slug of the space the post moves to.")
    reason: Reason


class WarnIn(Schema):
    message: Message


class SuspendIn(Schema):
    reason: Reason
    duration_note: DurationNote = ""


class FlagIn(Schema):
    kind: TargetKind
    id: ObjectId
    reason: FlagReasonValue
    note: Reason = ""


class FlagOut(Schema):
    id: int
    kind: TargetKind
    target_id: int
    reason: FlagReasonValue
    note: str
    status: Literal["open", "resolved"]
    created_at: datetime
