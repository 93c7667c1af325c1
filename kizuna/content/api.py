"""The posts API: posts, answers, comments, accepting answers, reactions, bookmarks, follows.

Thin: find what the viewer may read (404 otherwise, so nothing hidden is confirmed), call
the same services as the thread pages, shape the answer. Every rule lives in
`kizuna.content.permissions`, `services`, `engagement` and `qa`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.content import engagement, qa, services
from kizuna.content.access import access_answer, access_post
from kizuna.content.models import Answer, Comment, Post, Tag
from kizuna.content.schemas import (
    AcceptIn,
    AnswerIn,
    AnswerOut,
    AnswerPageOut,
    AnswerPatchIn,
    BookmarkPageOut,
    BookmarkStateOut,
    CommentIn,
    CommentOut,
    CommentPageOut,
    FollowStateOut,
    PostIn,
    PostOut,
    PostPageOut,
    PostPatchIn,
    PostSummaryOut,
    PostTypeValue,
    ReactionOut,
    SolvedFilter,
    SortValue,
    TagOut,
)
from kizuna.content.selectors import (
    list_answers_for_thread,
    list_post_comments,
    list_posts_for_space,
)
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import PageParams, page_of
from kizuna.core.api_types import ID_MAX, SLUG_PATTERN
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.schemas import MemberRefOut
from kizuna.moderation.selectors import held_reasons
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccessDeniedError, get_space_access, listed_spaces

router = Router()

READ = api_auth(ApiKey.Scope.CONTENT_READ)
WRITE = api_auth(ApiKey.Scope.CONTENT_WRITE)


def _id_param(description: str) -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description=description)


def _slug_param() -> Any:
    return PathParam(..., max_length=80, pattern=SLUG_PATTERN, description="The space's slug.")


# --- shaping -----------------------------------------------------------------------------


def _tags_of(post: Post) -> list[TagOut]:
    # Sorted in Python: the prefetch may or may not be ordered, and this costs no query.
    tags = sorted(post.tags.all(), key=lambda tag: (tag.name, tag.pk))
    return [TagOut(name=tag.name, slug=tag.slug) for tag in tags]


def post_summary_out(post: Post) -> PostSummaryOut:
    """A post for a list; needs `space`, `author` and `tags` loaded."""
    return PostSummaryOut(
        id=post.pk,
        space=post.space.slug,
        post_type=post.post_type,  # type: ignore[arg-type]
        title=post.title,
        author=MemberRefOut.of(post.author),
        status=post.status,  # type: ignore[arg-type]
        tags=_tags_of(post),
        is_solved=post.is_solved,
        is_peer_resolved=post.is_peer_resolved,
        is_locked=post.is_locked,
        answer_count=post.answer_count,
        reaction_count=post.reaction_count,
        view_count=post.view_count,
        created_at=post.created_at,
        last_activity_at=post.last_activity_at,
    )


def _post_out(post: Post) -> PostOut:
    return PostOut(
        **post_summary_out(post).model_dump(),
        body=post.body,
        body_html=post.body_html,
        accepted_answer_id=post.accepted_answer_id,
        solved_at=post.solved_at,
        first_answer_at=post.first_answer_at,
        edited_at=post.edited_at,
        public_use_consent=post.public_use_consent,
        held_reasons=held_reasons(post),
    )


def _comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        post_id=comment.post_id,
        answer_id=comment.answer_id,
        author=MemberRefOut.of(comment.author),
        body=comment.body,
        created_at=comment.created_at,
    )


def _answer_out(answer: Answer, *, accepted_answer_id: int | None) -> AnswerOut:
    return AnswerOut(
        id=answer.pk,
        post_id=answer.post_id,
        author=MemberRefOut.of(answer.author),
        body=answer.body,
        body_html=answer.body_html,
        status=answer.status,  # type: ignore[arg-type]
        is_accepted=answer.pk == accepted_answer_id,
        reaction_count=answer.reaction_count,
        created_at=answer.created_at,
        edited_at=answer.edited_at,
        comments=[_comment_out(comment) for comment in answer.comments.all()],
    )


# --- lookups -----------------------------------------------------------------------------


def _find_post(viewer: Member, post_id: int) -> Post:
    """A post the viewer may read, with what its detail shows, or 404."""
    return access_post(viewer, post_id).post


def _find_answer(viewer: Member, answer_id: int) -> Answer:
    """An answer the viewer may read, in a thread they may read, or 404."""
    return access_answer(viewer, answer_id).answer


def _find_space(viewer: Member, slug: str) -> Space:
    space = listed_spaces(viewer).filter(slug=slug).first()
    if space is None:
        raise Http404
    return space


def _find_readable_space(viewer: Member, slug: str) -> Space:
    space = _find_space(viewer, slug)
    access = get_space_access(viewer, space)
    if not access.can_view_content:
        raise SpaceAccessDeniedError(access)
    return space


def _with_list_relations(posts: QuerySet[Post]) -> QuerySet[Post]:
    # The selectors already prefetch the tags.
    return posts.select_related("space", "author")


# --- posts -------------------------------------------------------------------------------


@router.get(
    "/spaces/{slug}/posts",
    response={200: PostPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["posts"],
    summary="List a space's posts",
)
def list_space_posts(
    request: HttpRequest,
    page: Query[PageParams],
    slug: str = _slug_param(),
    post_type: PostTypeValue | None = None,
    tag: str | None = QueryParam(None, max_length=60, description="A tag's slug."),
    solved: SolvedFilter | None = None,
    sort: SortValue = "activity",
) -> dict[str, object]:
    """Posts of the space the viewer may read: held ones only to their authors and moderators."""
    viewer = get_actor(request)
    space = _find_readable_space(viewer, slug)
    posts = list_posts_for_space(
        viewer, space, post_type=post_type or "", solved=solved or "", sort=sort
    )
    if tag:
        posts = posts.filter(tags__slug=tag)
    result = page_of(_with_list_relations(posts), page)
    result["items"] = [post_summary_out(post) for post in result["items"]]
    return result


@router.post(
    "/spaces/{slug}/posts",
    response={201: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["posts"],
    summary="Start a thread in a space",
)
def create_post(
    request: HttpRequest, payload: PostIn, slug: str = _slug_param()
) -> Status[PostOut]:
    """The post is held for review instead of published when a content rule fires."""
    viewer = get_actor(request)
    post = services.create_post(
        author=viewer,
        space=_find_readable_space(viewer, slug),
        post_type=payload.post_type,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        public_use_consent=payload.public_use_consent,
        submission_token=payload.submission_token,
    )
    return Status(201, _post_out(_find_post(viewer, post.pk)))


@router.get(
    "/posts/{post_id}",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["posts"],
    summary="Get a post",
)
def get_post(request: HttpRequest, post_id: int = _id_param("The post's id.")) -> PostOut:
    viewer = get_actor(request)
    return _post_out(_find_post(viewer, post_id))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["posts"],
    summary="Edit a post (its author while open, or a moderator)",
)
def edit_post(
    request: HttpRequest, payload: PostPatchIn, post_id: int = _id_param("The post's id.")
) -> PostOut:
    """The previous text is kept in the history; the author's edit of a held post resubmits it."""
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    services.edit_post(
        editor=viewer,
        post=post,
        title=payload.title if payload.title is not None else post.title,
        body=payload.body if payload.body is not None else post.body,
        tags=payload.tags,
        public_use_consent=payload.public_use_consent,
        expected_edited_at=payload.expected_edited_at or "",
        reason=payload.reason,
        access=access,
    )
    return _post_out(_find_post(viewer, post_id))


# --- answers and comments ----------------------------------------------------------------


@router.get(
    "/posts/{post_id}/answers",
    response={200: AnswerPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="List a post's answers, oldest first",
)
def list_answers(
    request: HttpRequest, page: Query[PageParams], post_id: int = _id_param("The post's id.")
) -> dict[str, object]:
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    result = page_of(list_answers_for_thread(viewer, post, access), page)
    result["items"] = [
        _answer_out(answer, accepted_answer_id=post.accepted_answer_id)
        for answer in result["items"]
    ]
    return result


@router.post(
    "/posts/{post_id}/answers",
    response={201: AnswerOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Answer a question (or reply in a thread)",
)
def create_answer(
    request: HttpRequest, payload: AnswerIn, post_id: int = _id_param("The post's id.")
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
    answer = _find_answer(viewer, answer.pk)
    return Status(201, _answer_out(answer, accepted_answer_id=post.accepted_answer_id))


@router.patch(
    "/answers/{answer_id}",
    response={200: AnswerOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Edit an answer (its author while the thread is open, or a moderator)",
)
def edit_answer(
    request: HttpRequest, payload: AnswerPatchIn, answer_id: int = _id_param("The answer's id.")
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
    answer = _find_answer(viewer, answer.pk)
    return _answer_out(answer, accepted_answer_id=answer.post.accepted_answer_id)


@router.get(
    "/posts/{post_id}/comments",
    response={200: CommentPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="List the comments on a post itself (answers carry their own)",
)
def list_comments(
    request: HttpRequest, page: Query[PageParams], post_id: int = _id_param("The post's id.")
) -> dict[str, object]:
    viewer = get_actor(request)
    post = _find_post(viewer, post_id)
    result = page_of(list_post_comments(post).order_by("created_at", "id"), page)
    result["items"] = [_comment_out(comment) for comment in result["items"]]
    return result


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Comment on a post or on one of its answers",
)
def create_comment(
    request: HttpRequest, payload: CommentIn, post_id: int = _id_param("The post's id.")
) -> Status[CommentOut]:
    viewer = get_actor(request)
    access = access_post(viewer, post_id)
    post = access.post
    answer = None
    if payload.answer_id is not None:
        answer = _find_answer(viewer, payload.answer_id)
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
    return Status(201, _comment_out(comment))


# --- accepting answers -------------------------------------------------------------------


@router.post(
    "/posts/{post_id}/accept",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Accept an answer (the asker or a moderator); accepting another moves the mark",
)
def accept_answer(
    request: HttpRequest, payload: AcceptIn, post_id: int = _id_param("The post's id.")
) -> PostOut:
    viewer = get_actor(request)
    post = _find_post(viewer, post_id)
    answer = _find_answer(viewer, payload.answer_id)
    if answer.post_id != post.pk:
        raise Http404
    qa.accept_answer(actor=viewer, post=post, answer=answer)
    return _post_out(_find_post(viewer, post_id))


@router.post(
    "/posts/{post_id}/unaccept",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["answers"],
    summary="Take back the accepted answer: the question is open again",
)
def unaccept_answer(request: HttpRequest, post_id: int = _id_param("The post's id.")) -> PostOut:
    viewer = get_actor(request)
    qa.unaccept_answer(actor=viewer, post=_find_post(viewer, post_id))
    return _post_out(_find_post(viewer, post_id))


@router.get(
    "/questions/unanswered",
    response={200: PostPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["answers"],
    summary="The unanswered queue (CSMs and the hosts and moderators of a space)",
)
def list_unanswered_questions(
    request: HttpRequest,
    page: Query[PageParams],
    space: str | None = QueryParam(None, max_length=80, description="A space's slug."),
    tag: str | None = QueryParam(None, max_length=60, description="A tag's slug."),
    include_unsolved: bool = QueryParam(
        False, description="Also questions that have answers but none accepted."
    ),
) -> dict[str, object]:
    """Published questions waiting for an answer, oldest first, in the spaces the queue covers."""
    viewer = get_actor(request)
    if not qa.can_view_unanswered_queue(viewer):
        raise PermissionDenied("unanswered_queue")
    posts = qa.list_unanswered(viewer, include_unsolved=include_unsolved)
    if space:
        posts = posts.filter(space__slug=space)
    if tag:
        posts = posts.filter(tags__slug=tag)
    result = page_of(_with_list_relations(posts), page)
    result["items"] = [post_summary_out(post) for post in result["items"]]
    return result


# --- reactions ---------------------------------------------------------------------------


def _reaction_state(target: Post | Answer, *, has_reacted: bool) -> ReactionOut:
    target.refresh_from_db(fields=["reaction_count"])
    return ReactionOut(has_reacted=has_reacted, reaction_count=target.reaction_count)


@router.post(
    "/posts/{post_id}/reaction",
    response={200: ReactionOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Like a post (again is a no-op)",
)
def react_to_post(request: HttpRequest, post_id: int = _id_param("The post's id.")) -> ReactionOut:
    viewer = get_actor(request)
    post = _find_post(viewer, post_id)
    engagement.react(member=viewer, post=post)
    return _reaction_state(post, has_reacted=True)


@router.delete(
    "/posts/{post_id}/reaction",
    response={200: ReactionOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Take back a like on a post",
)
def unreact_to_post(
    request: HttpRequest, post_id: int = _id_param("The post's id.")
) -> ReactionOut:
    viewer = get_actor(request)
    post = _find_post(viewer, post_id)
    engagement.unreact(member=viewer, post=post)
    return _reaction_state(post, has_reacted=False)


@router.post(
    "/answers/{answer_id}/reaction",
    response={200: ReactionOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Like an answer (again is a no-op)",
)
def react_to_answer(
    request: HttpRequest, answer_id: int = _id_param("The answer's id.")
) -> ReactionOut:
    viewer = get_actor(request)
    answer = _find_answer(viewer, answer_id)
    engagement.react(member=viewer, post=answer.post, answer=answer)
    return _reaction_state(answer, has_reacted=True)


@router.delete(
    "/answers/{answer_id}/reaction",
    response={200: ReactionOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Take back a like on an answer",
)
def unreact_to_answer(
    request: HttpRequest, answer_id: int = _id_param("The answer's id.")
) -> ReactionOut:
    viewer = get_actor(request)
    answer = _find_answer(viewer, answer_id)
    engagement.unreact(member=viewer, post=answer.post, answer=answer)
    return _reaction_state(answer, has_reacted=False)


# --- bookmarks ---------------------------------------------------------------------------


@router.get(
    "/bookmarks",
    response={200: BookmarkPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["engagement"],
    summary="The acting member's bookmarks, newest first",
)
def list_bookmarks(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    viewer = get_actor(request)
    bookmarks = engagement.list_bookmarks(viewer).prefetch_related(
        Prefetch("post__tags", queryset=Tag.objects.order_by("name"))
    )
    result = page_of(bookmarks, page)
    result["items"] = [
        {"post": post_summary_out(bookmark.post), "created_at": bookmark.created_at}
        for bookmark in result["items"]
    ]
    return result


@router.post(
    "/posts/{post_id}/bookmark",
    response={200: BookmarkStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Bookmark a post",
)
def bookmark_post(
    request: HttpRequest, post_id: int = _id_param("The post's id.")
) -> BookmarkStateOut:
    viewer = get_actor(request)
    engagement.bookmark(member=viewer, post=_find_post(viewer, post_id))
    return BookmarkStateOut(has_bookmarked=True)


@router.delete(
    "/posts/{post_id}/bookmark",
    response={200: BookmarkStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Remove a post from the bookmarks",
)
def unbookmark_post(
    request: HttpRequest, post_id: int = _id_param("The post's id.")
) -> BookmarkStateOut:
    viewer = get_actor(request)
    engagement.unbookmark(member=viewer, post=_find_post(viewer, post_id))
    return BookmarkStateOut(has_bookmarked=False)


# --- follows -----------------------------------------------------------------------------


def _set_follow(viewer: Member, target: engagement.FollowTarget, *, on: bool) -> FollowStateOut:
    if on:
        engagement.follow(member=viewer, target=target)
    else:
        engagement.unfollow(member=viewer, target=target)
    return FollowStateOut(is_following=on)


def _find_tag(viewer: Member, slug: str) -> Tag:
    tag = engagement.get_followable_tag(viewer, slug)
    if tag is None:
        raise Http404
    return tag


def _tag_slug_param() -> Any:
    return PathParam(..., max_length=60, description="The tag's slug.")


@router.post(
    "/posts/{post_id}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a post: be told of its new answers",
)
def follow_post(request: HttpRequest, post_id: int = _id_param("The post's id.")) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(post=_find_post(viewer, post_id))
    return _set_follow(viewer, target, on=True)


@router.delete(
    "/posts/{post_id}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a post",
)
def unfollow_post(
    request: HttpRequest, post_id: int = _id_param("The post's id.")
) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(post=_find_post(viewer, post_id))
    return _set_follow(viewer, target, on=False)


@router.post(
    "/spaces/{slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a space: be told of its new posts",
)
def follow_space(request: HttpRequest, slug: str = _slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(space=_find_readable_space(viewer, slug))
    return _set_follow(viewer, target, on=True)


@router.delete(
    "/spaces/{slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a space",
)
def unfollow_space(request: HttpRequest, slug: str = _slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(space=_find_space(viewer, slug))
    return _set_follow(viewer, target, on=False)


@router.post(
    "/tags/{tag_slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a tag: be told of new posts with it that you may read",
)
def follow_tag(request: HttpRequest, tag_slug: str = _tag_slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    return _set_follow(viewer, engagement.FollowTarget(tag=_find_tag(viewer, tag_slug)), on=True)


@router.delete(
    "/tags/{tag_slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a tag",
)
def unfollow_tag(request: HttpRequest, tag_slug: str = _tag_slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    return _set_follow(viewer, engagement.FollowTarget(tag=_find_tag(viewer, tag_slug)), on=False)
