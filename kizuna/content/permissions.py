"""Who may see and do what with posts, answers and comments.

Every path that shows content (pages, API, search, feeds, notifications, emails)
filters with `posts_visible_to` or asks `can_view_post`; tags are known only through
the posts they are on (`tags_visible_to`). A post is visible when its
space's content is visible to the viewer (kizuna.spaces.permissions) and its status
allows it: published posts to everyone who reads the space, held or hidden ones
only to their author and the space's moderators; deleted ones to nobody.

A request decides once: `post_access` (or kizuna.content.access.access_post, which also
fetches) answers every question about one viewer and one post from one space access, and
the services take that decision instead of asking again. The `can_*` functions answer one
question for callers that hold no decision.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from kizuna.content.models import Answer, ContentStatus, Post, Tag
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.permissions import (
    SpaceAccess,
    decided_space_access,
    get_space_access,
    moderated_spaces_q,
    spaces_with_visible_content,
)


def posts_visible_to(viewer: Viewer) -> QuerySet[Post]:
    """Posts this viewer may read: the filter every list, search, feed and email applies."""
    posts = Post.objects.filter(space__in=spaces_with_visible_content(viewer)).exclude(
        status=ContentStatus.DELETED
    )
    visible_status = Q(status=ContentStatus.PUBLISHED)
    if is_signed_in(viewer):
        visible_status |= Q(author_id=viewer.pk) | moderated_spaces_q(viewer)
    return posts.filter(visible_status)


def tags_visible_to(viewer: Viewer) -> QuerySet[Tag]:
    """Tags on a post this viewer may read: a tag on private posts only must look like no tag."""
    return Tag.objects.filter(Exists(posts_visible_to(viewer).filter(tags=OuterRef("pk"))))


@dataclass(frozen=True)
class PostAccess:
    """What one viewer may do with one post, decided once from one space access."""

    viewer: Viewer
    post: Post
    space_access: SpaceAccess
    can_view: bool
    can_moderate: bool
    can_edit: bool
    can_answer: bool
    can_accept: bool

    def is_for(self, viewer: Viewer, post: Post) -> bool:
        return self.post.pk == post.pk and self.viewer.pk == viewer.pk


def _can_view(viewer: Viewer, post: Post, space: SpaceAccess) -> bool:
    if post.status == ContentStatus.DELETED or not space.can_view_content:
        return False
    if post.status == ContentStatus.PUBLISHED:
        return True
    return is_signed_in(viewer) and (post.author_id == viewer.pk or space.can_moderate)


def _can_post_in(viewer: Viewer, space_access: SpaceAccess) -> bool:
    space = space_access.space
    if (
        not (is_signed_in(viewer) and space_access.can_view_content)
        or space.archived_at is not None
    ):
        return False
    return space.access_type == AccessType.OPEN or space_access.is_member or viewer.is_staff_member


def post_access(viewer: Viewer, post: Post) -> PostAccess:
    """Everything this viewer may do with this post; the space's access is asked once."""
    space = get_space_access(viewer, post.space)
    can_view = _can_view(viewer, post, space)
    is_author = is_signed_in(viewer) and post.author_id == viewer.pk
    return PostAccess(
        viewer=viewer,
        post=post,
        space_access=space,
        can_view=can_view,
        can_moderate=space.can_moderate,
        can_edit=can_view and (space.can_moderate or (is_author and not post.is_locked)),
        can_answer=post.status == ContentStatus.PUBLISHED
        and not post.is_locked
        and _can_post_in(viewer, space),
        can_accept=post.is_question and can_view and (is_author or space.can_moderate),
    )


def decided_post_access(viewer: Viewer, post: Post, access: PostAccess | None) -> PostAccess:
    """The decision a caller hands over when it is about this viewer and post, else a new one."""
    if access is not None and access.is_for(viewer, post):
        return access
    return post_access(viewer, post)


def answers_visible_to(
    viewer: Viewer, post: Post, access: PostAccess | None = None
) -> QuerySet[Answer]:
    """The answers of a post the viewer already may read, by the same status rule."""
    answers = post.answers.exclude(status=ContentStatus.DELETED)
    can_moderate = access.can_moderate if access is not None else can_moderate_post(viewer, post)
    if can_moderate:
        return answers
    visible = Q(status=ContentStatus.PUBLISHED)
    if is_signed_in(viewer):
        visible |= Q(author_id=viewer.pk)
    return answers.filter(visible)


def can_moderate_post(viewer: Viewer, post: Post) -> bool:
    return get_space_access(viewer, post.space).can_moderate


def can_view_post(viewer: Viewer, post: Post, space_access: SpaceAccess | None = None) -> bool:
    """`space_access` is the caller's decision on a space, used when the post is in it."""
    if post.status == ContentStatus.DELETED:
        return False
    return _can_view(viewer, post, decided_space_access(viewer, post.space, space_access))


def check_view_post(viewer: Viewer, post: Post) -> None:
    if not can_view_post(viewer, post):
        raise PermissionDenied("view_post")


def can_post_in_space(viewer: Viewer, space: Space, access: SpaceAccess | None = None) -> bool:
    """Signed-in readers of an open space may post; elsewhere only the space's members and staff."""
    return _can_post_in(viewer, decided_space_access(viewer, space, access))


def check_post_in_space(viewer: Viewer, space: Space, access: SpaceAccess | None = None) -> None:
    if not can_post_in_space(viewer, space, access):
        raise PermissionDenied("post_in_space")


def can_answer(viewer: Viewer, post: Post) -> bool:
    if post.status != ContentStatus.PUBLISHED or post.is_locked:
        return False
    return post_access(viewer, post).can_answer


def can_edit_post(viewer: Viewer, post: Post) -> bool:
    return post_access(viewer, post).can_edit


def can_accept_answer(viewer: Viewer, post: Post) -> bool:
    """The asker or a moderator of the space decides which answer solved a question."""
    return post.is_question and post_access(viewer, post).can_accept


def can_edit_answer(viewer: Viewer, answer: Answer, access: PostAccess | None = None) -> bool:
    """The answer's author while the thread is open, or a moderator of its space."""
    post = answer.post
    decided = decided_post_access(viewer, post, access)
    if not decided.can_view or answer.status == ContentStatus.DELETED:
        return False
    if decided.can_moderate:
        return True
    return is_signed_in(viewer) and answer.author_id == viewer.pk and not post.is_locked


def can_promote_to_knowledge(viewer: Viewer, post: Post, access: PostAccess | None = None) -> bool:
    return (
        post.is_solved
        and bool(getattr(viewer, "is_staff_member", False))
        and decided_post_access(viewer, post, access).can_moderate
    )
