"""The review queue and flags API: the same queue and actions as the moderation pages.

The queue lists only items of spaces the viewer moderates (`review_items_for`); every
action goes through `kizuna.moderation.services`, which checks the moderator's right,
requires a reason where the pages do, and writes the audit row.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.content.access import access_answer, access_post
from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.content.permissions import can_view_post
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.schemas import MemberRefOut
from kizuna.moderation import services
from kizuna.moderation.models import Flag, ReviewItem
from kizuna.moderation.permissions import can_open_review_queue
from kizuna.moderation.schemas import (
    EditIn,
    FlagIn,
    FlagOut,
    MoveIn,
    OptionalReasonIn,
    QueueStatus,
    ReasonIn,
    ReviewItemOut,
    ReviewItemPageOut,
    SourceValue,
    SuspendIn,
    TargetKind,
    WarnIn,
)
from kizuna.moderation.selectors import review_items_for
from kizuna.spaces.permissions import listed_spaces

router = Router()

READ = api_auth(ApiKey.Scope.MODERATION_READ)
WRITE = api_auth(ApiKey.Scope.MODERATION_WRITE)
FLAG = api_auth(ApiKey.Scope.CONTENT_WRITE)
EXCERPT_CHARS = 200


def _item_id_param() -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description="The review item's id.")


def _review_item_out(item: ReviewItem) -> ReviewItemOut:
    """Needs the relations `review_items_for` loads."""
    target: Post | Answer | Comment = item.target  # type: ignore[assignment]
    post = target if isinstance(target, Post) else target.post
    author: Member = target.author
    return ReviewItemOut(
        id=item.pk,
        space=item.space.slug,
        kind=item.target_kind,  # type: ignore[arg-type]
        post_id=post.pk,
        answer_id=item.answer_id,
        comment_id=item.comment_id,
        title=post.title,
        excerpt=target.body[:EXCERPT_CHARS],
        author=MemberRefOut.of(author),
        content_status=target.status,  # type: ignore[arg-type]
        source=item.source,  # type: ignore[arg-type]
        reasons=[str(reason) for reason in item.reasons],
        flag_count=item.flag_count,
        status=item.status,  # type: ignore[arg-type]
        created_at=item.created_at,
        action=item.action,
        resolved_at=item.resolved_at,
        resolution_reason=item.resolution_reason,
    )


def _find_item(viewer: Member, item_id: int) -> ReviewItem:
    """An item of a space the viewer moderates, resolved or not; 404 for anyone else."""
    item = review_items_for(viewer, status="").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _act(
    request: HttpRequest, item_id: int, action: Callable[[Member, ReviewItem], object]
) -> ReviewItemOut:
    viewer = get_actor(request)
    action(viewer, _find_item(viewer, item_id))
    return _review_item_out(_find_item(viewer, item_id))


@router.get(
    "/review-queue",
    response={200: ReviewItemPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["review queue"],
    summary="The review queue of the spaces the acting member moderates",
)
@paginate(LimitOffsetPage)
def list_review_items(
    request: HttpRequest,
    status: QueueStatus = "pending",
    source: SourceValue | None = None,
    space: str | None = QueryParam(None, max_length=80, description="A space's slug."),
    kind: TargetKind | None = None,
) -> Rows[ReviewItem]:
    """Oldest first; `status` "pending" is open and resubmitted items together."""
    viewer = get_actor(request)
    if not can_open_review_queue(viewer):
        raise PermissionDenied("moderate")
    items = review_items_for(viewer, status=status, source=source or "", kind=kind or "")
    if space:
        items = items.filter(space__slug=space)
    return Rows(
        items.order_by("created_at", "id"), lambda page: [_review_item_out(item) for item in page]
    )


@router.get(
    "/review-queue/{item_id}",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["review queue"],
    summary="One review item",
)
def get_review_item(request: HttpRequest, item_id: int = _item_id_param()) -> ReviewItemOut:
    return _review_item_out(_find_item(get_actor(request), item_id))


@router.post(
    "/review-queue/{item_id}/approve",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Publish the content and close the item",
)
def approve(
    request: HttpRequest, payload: OptionalReasonIn, item_id: int = _item_id_param()
) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.approve_item(actor=actor, item=item, reason=payload.reason),
    )


@router.post(
    "/review-queue/{item_id}/hide",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Hide the content; its author is told why",
)
def hide(request: HttpRequest, payload: ReasonIn, item_id: int = _item_id_param()) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.hide_item(actor=actor, item=item, reason=payload.reason),
    )


@router.post(
    "/review-queue/{item_id}/delete",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Delete the content (kept for the audit trail)",
)
def delete(
    request: HttpRequest, payload: ReasonIn, item_id: int = _item_id_param()
) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.delete_item(actor=actor, item=item, reason=payload.reason),
    )


@router.post(
    "/review-queue/{item_id}/edit",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Edit the content, with a reason; the previous text is kept",
)
def edit(request: HttpRequest, payload: EditIn, item_id: int = _item_id_param()) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.edit_item_content(
            actor=actor, item=item, title=payload.title, body=payload.body, reason=payload.reason
        ),
    )


@router.post(
    "/review-queue/{item_id}/lock",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Lock the item's thread: no new answers, no edits by the author",
)
def lock(request: HttpRequest, payload: ReasonIn, item_id: int = _item_id_param()) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.lock_post(actor=actor, item=item, reason=payload.reason),
    )


@router.post(
    "/review-queue/{item_id}/unlock",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Open the item's thread again",
)
def unlock(
    request: HttpRequest, payload: OptionalReasonIn, item_id: int = _item_id_param()
) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.unlock_post(actor=actor, item=item, reason=payload.reason),
    )


@router.post(
    "/review-queue/{item_id}/move",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Move the item's post to another space",
)
def move(request: HttpRequest, payload: MoveIn, item_id: int = _item_id_param()) -> ReviewItemOut:
    def move_to(actor: Member, item: ReviewItem) -> object:
        to_space = listed_spaces(actor).filter(slug=payload.to_space).first()
        if to_space is None:
            raise ValidationError({"to_space": _("There is no space with this address.")})
        return services.move_post(actor=actor, item=item, to_space=to_space, reason=payload.reason)

    return _act(request, item_id, move_to)


@router.post(
    "/review-queue/{item_id}/warn",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Warn the content's author; they read the message in the app",
)
def warn(request: HttpRequest, payload: WarnIn, item_id: int = _item_id_param()) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.warn_author(actor=actor, item=item, message=payload.message),
    )


@router.post(
    "/review-queue/{item_id}/suspend",
    response={200: ReviewItemOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["review queue"],
    summary="Suspend the content's author (staff moderators)",
)
def suspend(
    request: HttpRequest, payload: SuspendIn, item_id: int = _item_id_param()
) -> ReviewItemOut:
    return _act(
        request,
        item_id,
        lambda actor, item: services.suspend_author(
            actor=actor, item=item, reason=payload.reason, duration_note=payload.duration_note
        ),
    )


# --- flags -------------------------------------------------------------------------------


def _find_flag_target(viewer: Member, kind: str, target_id: int) -> Post | Answer | Comment:
    """Content the viewer may read, or 404: flagging never confirms hidden content exists."""
    if kind == "post":
        return access_post(viewer, target_id).post
    if kind == "answer":
        return access_answer(viewer, target_id).answer
    found = Comment.objects.select_related("post__space").filter(pk=target_id).first()
    if found is None or not (
        can_view_post(viewer, found.post)
        and (found.status == ContentStatus.PUBLISHED or found.author_id == viewer.pk)
    ):
        raise Http404
    return found


@router.post(
    "/flags",
    response={201: FlagOut, **ERROR_RESPONSES},
    auth=FLAG,
    tags=["review queue"],
    summary="Flag a post, answer or comment for a moderator's look",
)
def flag(request: HttpRequest, payload: FlagIn) -> Status[FlagOut]:
    """Flagging the same content again returns the open flag."""
    viewer = get_actor(request)
    target = _find_flag_target(viewer, payload.kind, payload.id)
    created: Flag = services.flag_content(
        member=viewer, target=target, reason=payload.reason, note=payload.note
    )
    return Status(
        201,
        FlagOut(
            id=created.pk,
            kind=payload.kind,
            target_id=target.pk,
            reason=created.reason,  # type: ignore[arg-type]
            note=created.note,
            status=created.status,  # type: ignore[arg-type]
            created_at=created.created_at,
        ),
    )
