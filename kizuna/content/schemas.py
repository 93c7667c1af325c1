"""Input and output shapes of the posts, answers, comments and engagement API."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.content.validation import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul, ObjectId
from kizuna.identity.schemas import MemberRefOut

PostTypeValue = Literal["question", "discussion", "case_study", "article", "announcement"]
ContentStatusValue = Literal["published", "held", "hidden", "deleted"]
SolvedFilter = Literal["yes", "no"]
SortValue = Literal["activity", "newest"]

# The services' own limits, so the document promises no more than a write accepts.
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX_LENGTH), NoNul]
Body = Annotated[str, StringConstraints(max_length=BODY_MAX_LENGTH), NoNul]
CommentBody = Annotated[str, StringConstraints(max_length=COMMENT_MAX_LENGTH), NoNul]
TagName = Annotated[str, StringConstraints(max_length=60), NoNul]
Reason = Annotated[str, StringConstraints(max_length=200), NoNul]
SubmissionToken = Annotated[
    str, StringConstraints(max_length=64, pattern=r"^[-A-Za-z0-9_]*$"), NoNul
]


class TagOut(Schema):
    name: str
    slug: str


class PostSummaryOut(Schema):
    """A post in a list: no body."""

    id: int
    space: str = Field(description="The space's slug.")
    post_type: PostTypeValue
    title: str
    author: MemberRefOut
    status: ContentStatusValue
    tags: list[TagOut]
    is_solved: bool
    is_peer_resolved: bool
    is_locked: bool
    answer_count: int
    reaction_count: int
    view_count: int
    created_at: datetime
    last_activity_at: datetime


class PostOut(PostSummaryOut):
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="Rendered and sanitised HTML.")
    accepted_answer_id: int | None
    solved_at: datetime | None
    first_answer_at: datetime | None
    edited_at: datetime | None
    public_use_consent: bool
    held_reasons: list[str] = Field(
        description="Why a held post waits for review; shown to its author and moderators only."
    )


class PostPageOut(PageMeta):
    items: list[PostSummaryOut]


class PostIn(Schema):
    post_type: PostTypeValue = "question"
    title: Title
    body: Body
    tags: list[TagName] = Field(default_factory=list, max_length=10)
    public_use_consent: bool = Field(False, description="Case studies only.")
    submission_token: SubmissionToken = Field(
        "", description="Send the same token again to get the first post back, not a second one."
    )


class PostPatchIn(Schema):
    title: Title | None = None
    body: Body | None = None
    tags: list[TagName] | None = Field(None, max_length=10)
    public_use_consent: bool | None = None
    expected_edited_at: datetime | None = Field(
        None,
        description="The post's `edited_at` as read; a different one means someone else saved.",
    )
    reason: Reason = ""


class CommentOut(Schema):
    id: int
    post_id: int
    answer_id: int | None
    author: MemberRefOut
    body: str
    created_at: datetime


class CommentPageOut(PageMeta):
    items: list[CommentOut]


class CommentIn(Schema):
    body: CommentBody
    answer_id: ObjectId | None = Field(None, description="Comment on this answer of the post.")
    submission_token: SubmissionToken = ""


class AnswerOut(Schema):
    id: int
    post_id: int
    author: MemberRefOut
    body: str
    body_html: str
    status: ContentStatusValue
    is_accepted: bool
    reaction_count: int
    created_at: datetime
    edited_at: datetime | None
    comments: list[CommentOut]


class AnswerPageOut(PageMeta):
    items: list[AnswerOut]


class AnswerIn(Schema):
    body: Body
    submission_token: SubmissionToken = ""


class AnswerPatchIn(Schema):
    body: Body
    expected_edited_at: datetime | None = None
    reason: Reason = ""


class AcceptIn(Schema):
    answer_id: ObjectId


class ReactionOut(Schema):
    has_reacted: bool
    reaction_count: int


class BookmarkStateOut(Schema):
    has_bookmarked: bool


class FollowStateOut(Schema):
    is_following: bool


class BookmarkOut(Schema):
    post: PostSummaryOut
    created_at: datetime


class BookmarkPageOut(PageMeta):
    items: list[BookmarkOut]
