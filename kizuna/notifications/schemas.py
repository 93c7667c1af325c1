"""Output shapes of the notifications API."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

NotificationKindValue = Literal[
    "reply",
    "mention",
    "accepted",
    "followed",
    "moderation",
    "level_up",
    "badge_earned",
    "redemption",
]


class NotificationOut(Schema):
    id: int
    kind: NotificationKindValue
    text: str = Field(description="One sentence; names the post only when the reader may see it.")
    actor: MemberRefOut | None = Field(description="Null when the post is no longer visible.")
    post_id: int | None = Field(description="Null when the post is gone or no longer visible.")
    target_type: str | None = Field(
        description='"post", "answer" or "comment"; "level", "badge_award" or "redemption" '
        "for recognition notices."
    )
    target_id: int | None
    is_unread: bool
    created_at: datetime = Field(
        description="Only the day (00:00 UTC) when the post is no longer visible."
    )
    read_at: datetime | None


class NotificationPageOut(PageMeta):
    items: list[NotificationOut]
    unread_count: int


class UnreadCountOut(Schema):
    unread_count: int


class MarkedReadOut(Schema):
    marked: int = Field(description="How many notifications changed from unread to read.")
