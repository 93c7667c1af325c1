"""Answers and comments: listing and writing them, accepting an answer, the unanswered queue."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from kizuna.content import qa, services
from kizuna.content.access import access_answer, access_post
from kizuna.content.api.lookups import (
    find_answer,
    find_post,
    with_list_relations,
)
from kizuna.content.api.params import READ, WRITE, id_param
from kizuna.content.api.shaping import answer_out, comment_out, post_out, post_summary_out
from kizuna.content.models import Answer, Comment, Post
from kizuna.content.schemas import (
    AcceptIn,
    AnswerIn,
    AnswerOut,
    AnswerPageOut,
    AnswerPatchIn,
    CommentIn,
    CommentOut,
    CommentPageOut,
    PostOut,
    PostPageOut,
)
from kizuna.content.selectors import (
    list_answers_for_thread,
    list_post_comments,
)
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.identity.api_auth import get_actor

router = Router()


# --- answers and comments ----------------------------------------------------------------


@router.get(
    "/posts/{post_id}/answers",
    response={200: AnswerPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="List a post's answers, oldest first",
)
@paginate(LimitOffsetPage)
def list_answers(request: HttpRequest, post_id: int = id_param("The post's id.")) -> Rows[Answer]:
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    return Rows(
        list_answers_for_thread(viewer, post, access),
        lambda page: [answer_out(a, accepted_answer_id=post.accepted_answer_id) for a in page],
    )


@router.post(
    "/posts/{post_id}/answers",
    response={201: AnswerOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Answer a question (or reply in a thread)",
)
def create_answer(
    request: HttpRequest, payload: AnswerIn, post_id: int = id_param("The post's id.")
) -> Status[AnswerOut]:
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    answer = services.create_answer(
        author=viewer,
        post=post,
        body=payload.body,
        submission_token=payload.submission_token,
        access=access,
    )
    answer = find_answer(viewer, answer.pk)
    return Status(201, answer_out(answer, accepted_answer_id=post.accepted_answer_id))


@router.patch(
    "/answers/{answer_id}",
    response={200: AnswerOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Edit an answer (its author while the thread is open, or a moderator)",
)
def edit_answer(
    request: HttpRequest, payload: AnswerPatchIn, answer_id: int = id_param("The answer's id.")
) -> AnswerOut:
    viewer = get_actor(request)
    found = access_answer(viewer, answer_id)
    answer = services.edit_answer(
        editor=viewer,
        answer=found.answer,
        body=payload.body,
        expected_edited_at=payload.expected_edited_at or "",
        reason=payload.reason,
        access=found.post_access,
    )
    answer = find_answer(viewer, answer.pk)
    return answer_out(answer, accepted_answer_id=answer.post.accepted_answer_id)


@router.get(
    "/posts/{post_id}/comments",
    response={200: CommentPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="List the comments on a post itself (answers carry their own)",
)
@paginate(LimitOffsetPage)
def list_comments(request: HttpRequest, post_id: int = id_param("The post's id.")) -> Rows[Comment]:
    post = find_post(get_actor(request), post_id)
    return Rows(
        list_post_comments(post).order_by("created_at", "id"),
        lambda page: [comment_out(comment) for comment in page],
    )


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Comment on a post or on one of its answers",
)
def create_comment(
    request: HttpRequest, payload: CommentIn, post_id: int = id_param("The post's id.")
) -> Status[CommentOut]:
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    answer = None
    if payload.answer_id is not None:
        answer = find_answer(viewer, payload.answer_id)
        if answer.post_id != post.pk:
            raise Http404
    comment = services.create_comment(
        author=viewer,
        post=post,
        body=payload.body,
        answer=answer,
        submission_token=payload.submission_token,
        access=access,
    )
    comment.author = viewer
    return Status(201, comment_out(comment))


# --- accepting answers -------------------------------------------------------------------


@router.post(
    "/posts/{post_id}/accept",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Accept an answer (the asker or a moderator); accepting another moves the mark",
)
def accept_answer(
    request: HttpRequest, payload: AcceptIn, post_id: int = id_param("The post's id.")
) -> PostOut:
    viewer = get_actor(request)
    post = find_post(viewer, post_id)
    answer = find_answer(viewer, payload.answer_id)
    if answer.post_id != post.pk:
        raise Http404
    qa.accept_answer(actor=viewer, post=post, answer=answer)
    return post_out(find_post(viewer, post_id))


@router.post(
    "/posts/{post_id}/unaccept",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Take back the accepted answer: the question is open again",
)
def unaccept_answer(request: HttpRequest, post_id: int = id_param("The post's id.")) -> PostOut:
    viewer = get_actor(request)
    qa.unaccept_answer(actor=viewer, post=find_post(viewer, post_id))
    return post_out(find_post(viewer, post_id))


@router.get(
    "/questions/unanswered",
    response={200: PostPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="The unanswered queue (CSMs and the hosts and moderators of a space)",
)
@paginate(LimitOffsetPage)
def list_unanswered_questions(
    request: HttpRequest,
    space: str | None = QueryParam(None, max_length=80, description="A space's slug."),
    tag: str | None = QueryParam(None, max_length=60, description="A tag's slug."),
    include_unsolved: bool = QueryParam(
        False, description="Also questions that have answers but none accepted."
    ),
) -> Rows[Post]:
    """Published questions waiting for an answer, oldest first, in the spaces the queue covers."""
    viewer = get_actor(request)
    if not qa.can_view_unanswered_queue(viewer):
        raise PermissionDenied("unanswered_queue")
    posts = qa.list_unanswered(viewer, include_unsolved=include_unsolved)
    if space:
        posts = posts.filter(space__slug=space)
    if tag:
        posts = posts.filter(tags__slug=tag)
    return Rows(with_list_relations(posts), lambda page: [post_summary_out(p) for p in page])
