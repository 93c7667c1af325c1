"""Reactions, bookmarks and follows: what a reader does with a post, an answer, a space or a tag."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from kizuna.content import engagement
from kizuna.content.api.lookups import (
    find_answer,
    find_post,
    find_readable_space,
    find_space,
)
from kizuna.content.api.params import READ, WRITE, id_param, slug_param, tag_slug_param
from kizuna.content.api.shaping import post_summary_out
from kizuna.content.models import Answer, Bookmark, Post, Tag
from kizuna.content.schemas import (
    BookmarkOut,
    BookmarkPageOut,
    BookmarkStateOut,
    FollowStateOut,
    ReactionOut,
)
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.identity.api_auth import get_actor
from kizuna.identity.models import Member

router = Router()


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
def react_to_post(request: HttpRequest, post_id: int = id_param("The post's id.")) -> ReactionOut:
    viewer = get_actor(request)
    post = find_post(viewer, post_id)
    engagement.react(member=viewer, post=post)
    return _reaction_state(post, has_reacted=True)


@router.delete(
    "/posts/{post_id}/reaction",
    response={200: ReactionOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Take back a like on a post",
)
def unreact_to_post(request: HttpRequest, post_id: int = id_param("The post's id.")) -> ReactionOut:
    viewer = get_actor(request)
    post = find_post(viewer, post_id)
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
    request: HttpRequest, answer_id: int = id_param("The answer's id.")
) -> ReactionOut:
    viewer = get_actor(request)
    answer = find_answer(viewer, answer_id)
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
    request: HttpRequest, answer_id: int = id_param("The answer's id.")
) -> ReactionOut:
    viewer = get_actor(request)
    answer = find_answer(viewer, answer_id)
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
@paginate(LimitOffsetPage)
def list_bookmarks(request: HttpRequest) -> Rows[Bookmark]:
    bookmarks = engagement.list_bookmarks(get_actor(request)).prefetch_related(
        Prefetch("post__tags", queryset=Tag.objects.order_by("name"))
    )
    return Rows(
        bookmarks,
        lambda page: [
            BookmarkOut(post=post_summary_out(bookmark.post), created_at=bookmark.created_at)
            for bookmark in page
        ],
    )


@router.post(
    "/posts/{post_id}/bookmark",
    response={200: BookmarkStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Bookmark a post",
)
def bookmark_post(
    request: HttpRequest, post_id: int = id_param("The post's id.")
) -> BookmarkStateOut:
    viewer = get_actor(request)
    engagement.bookmark(member=viewer, post=find_post(viewer, post_id))
    return BookmarkStateOut(has_bookmarked=True)


@router.delete(
    "/posts/{post_id}/bookmark",
    response={200: BookmarkStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Remove a post from the bookmarks",
)
def unbookmark_post(
    request: HttpRequest, post_id: int = id_param("The post's id.")
) -> BookmarkStateOut:
    viewer = get_actor(request)
    engagement.unbookmark(member=viewer, post=find_post(viewer, post_id))
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


@router.post(
    "/posts/{post_id}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a post: be told of its new answers",
)
def follow_post(request: HttpRequest, post_id: int = id_param("The post's id.")) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(post=find_post(viewer, post_id))
    return _set_follow(viewer, target, on=True)


@router.delete(
    "/posts/{post_id}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a post",
)
def unfollow_post(
    request: HttpRequest, post_id: int = id_param("The post's id.")
) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(post=find_post(viewer, post_id))
    return _set_follow(viewer, target, on=False)


@router.post(
    "/spaces/{slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a space: be told of its new posts",
)
def follow_space(request: HttpRequest, slug: str = slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(space=find_readable_space(viewer, slug))
    return _set_follow(viewer, target, on=True)


@router.delete(
    "/spaces/{slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a space",
)
def unfollow_space(request: HttpRequest, slug: str = slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    target = engagement.FollowTarget(space=find_space(viewer, slug))
    return _set_follow(viewer, target, on=False)


@router.post(
    "/tags/{tag_slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Follow a tag: be told of new posts with it that you may read",
)
def follow_tag(request: HttpRequest, tag_slug: str = tag_slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    return _set_follow(viewer, engagement.FollowTarget(tag=_find_tag(viewer, tag_slug)), on=True)


@router.delete(
    "/tags/{tag_slug}/follow",
    response={200: FollowStateOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["engagement"],
    summary="Stop following a tag",
)
def unfollow_tag(request: HttpRequest, tag_slug: str = tag_slug_param()) -> FollowStateOut:
    viewer = get_actor(request)
    return _set_follow(viewer, engagement.FollowTarget(tag=_find_tag(viewer, tag_slug)), on=False)
