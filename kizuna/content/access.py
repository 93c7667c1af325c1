"""Fetch and authorise in one call: how a view or API endpoint gets a post or an answer by id.

Each entry returns the object with its decision (kizuna.content.permissions.PostAccess),
which the caller hands to the services so that nothing decides twice in one request.
A missing object and one hidden from the viewer are the same Http404: an id never
confirms that a hidden post exists nor names its space.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from kizuna.content.models import Answer, Attachment, Post, Tag
from kizuna.content.permissions import (
    PostAccess,
    answers_visible_to,
    can_edit_answer,
    post_access,
)
from kizuna.identity.permissions import Viewer


@dataclass(frozen=True)
class AnswerAccess:
    """An answer the viewer may read, with its thread's decision and whether they may edit it."""

    answer: Answer
    post_access: PostAccess
    can_edit: bool


def access_post(viewer: Viewer, pk: int) -> PostAccess:
    """The post, with what its thread page and detail show, and what the viewer may do with it."""
    post = (
        Post.objects.select_related("space", "space__parent", "author", "accepted_answer")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    access = post_access(viewer, post)
    if not access.can_view:
        raise Http404
    return access


def access_answer(viewer: Viewer, pk: int) -> AnswerAccess:
    """The answer, in a thread the viewer may read, when its status lets them read it too."""
    answer = (
        Answer.objects.select_related("post__space__parent", "post__author", "author")
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        raise Http404
    access = post_access(viewer, answer.post)
    if (
        not access.can_view
        or not answers_visible_to(viewer, answer.post, access).filter(pk=pk).exists()
    ):
        raise Http404
    return AnswerAccess(
        answer=answer, post_access=access, can_edit=can_edit_answer(viewer, answer, access)
    )


def access_attachment(viewer: Viewer, pk: int) -> Attachment:
    """A file of a post or answer the viewer may read."""
    attachment = (
        Attachment.objects.select_related("post__space__parent", "answer__post__space__parent")
        .filter(pk=pk)
        .first()
    )
    post = None
    if attachment is not None:
        post = attachment.post or (attachment.answer.post if attachment.answer else None)
    if attachment is None or post is None:
        raise Http404
    access = post_access(viewer, post)
    if not access.can_view:
        raise Http404
    if (
        attachment.answer_id is not None
        and not answers_visible_to(viewer, post, access).filter(pk=attachment.answer_id).exists()
    ):
        raise Http404
    return attachment
