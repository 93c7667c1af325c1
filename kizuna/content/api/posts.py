"""Posts: a space's list, starting a thread, reading and editing a post."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from kizuna.content import services
from kizuna.content.access import access_post
from kizuna.content.api.lookups import (
    find_post,
    find_readable_space,
    with_list_relations,
)
from kizuna.content.api.params import READ, WRITE, id_param, slug_param
from kizuna.content.api.shaping import post_out, post_summary_out
from kizuna.content.models import Post
from kizuna.content.schemas import (
    PostIn,
    PostOut,
    PostPageOut,
    PostPatchIn,
    PostTypeValue,
    SolvedFilter,
    SortValue,
)
from kizuna.content.selectors import (
    list_posts_for_space,
)
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.identity.api_auth import get_actor

router = Router()


# --- posts -------------------------------------------------------------------------------


@router.get(
    "/spaces/{slug}/posts",
    response={200: PostPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["posts"],
    summary="List a space's posts",
)
@paginate(LimitOffsetPage)
def list_space_posts(
    request: HttpRequest,
    slug: str = slug_param(),
    post_type: PostTypeValue | None = None,
    tag: str | None = QueryParam(None, max_length=60, description="A tag's slug."),
    solved: SolvedFilter | None = None,
    sort: SortValue = "activity",
) -> Rows[Post]:
    """Posts of the space the viewer may read: held ones only to their authors and moderators."""
    viewer = get_actor(request)
    space = find_readable_space(viewer, slug)
    posts = list_posts_for_space(
        viewer, space, post_type=post_type or "", solved=solved or "", sort=sort
    )
    if tag:
        posts = posts.filter(tags__slug=tag)
    return Rows(with_list_relations(posts), lambda page: [post_summary_out(p) for p in page])


@router.post(
    "/spaces/{slug}/posts",
    response={201: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["posts"],
    summary="Start a thread in a space",
)
def create_post(request: HttpRequest, payload: PostIn, slug: str = slug_param()) -> Status[PostOut]:
    """The post is held for review instead of published when a content rule fires."""
    viewer = get_actor(request)
    post = services.create_post(
        author=viewer,
        space=find_readable_space(viewer, slug),
        post_type=payload.post_type,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        public_use_consent=payload.public_use_consent,
        submission_token=payload.submission_token,
    )
    return Status(201, post_out(find_post(viewer, post.pk)))


@router.get(
    "/posts/{post_id}",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["posts"],
    summary="Get a post",
)
def get_post(request: HttpRequest, post_id: int = id_param("The post's id.")) -> PostOut:
    viewer = get_actor(request)
    return post_out(find_post(viewer, post_id))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["posts"],
    summary="Edit a post (its author while open, or a moderator)",
)
def edit_post(
    request: HttpRequest, payload: PostPatchIn, post_id: int = id_param("The post's id.")
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
    return post_out(find_post(viewer, post_id))
