"""Who may see and do what with posts, answers and comments.

Every path that shows content (pages, API, search, feeds, notifications, emails)
filters with `posts_visible_to` or asks `can_view_post`; tags are known only through
the posts they are on (`tags_visible_to`). A post is visible when its
space's content is visible to the viewer (kizuna.spaces.permissions) and its status
allows it: published posts to everyone who reads the space, held or hidden ones
only to their author and the space's moderators; deleted ones to nobody.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from kizuna.content.models import Answer, ContentStatus, Post, Tag
from kizuna.identity.permissions import has_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces.models import AccessType, Membership, Space, SpaceRole
from kizuna.spaces.permissions import get_space_access, spaces_with_visible_content

MODERATING_ROLES = (SpaceRole.HOST, SpaceRole.MODERATOR)


def _moderated_spaces_q(viewer: Any, prefix: str = "space") -> Q:
    if has_capability(viewer, Capability.MODERATE):
        # Not Q(): an empty Q is dropped when OR-ed, which would hide held posts from staff.
        return Q(pk__isnull=False)
    if not is_signed_in(viewer):
        return Q(pk__in=[])
    moderates = Membership.objects.filter(
        space=OuterRef(f"{prefix}_id"), member_id=viewer.pk, role__in=MODERATING_ROLES
    )
    return Q(Exists(moderates))


def posts_visible_to(viewer: Any) -> QuerySet[Post]:
    """Posts this viewer may read: the filter every list, search, feed and email applies."""
    posts = Post.objects.filter(space__in=spaces_with_visible_content(viewer)).exclude(
        status=ContentStatus.DELETED
    )
    visible_status = Q(status=ContentStatus.PUBLISHED)
    if is_signed_in(viewer):
        visible_status |= Q(author_id=viewer.pk) | _moderated_spaces_q(viewer)
    return posts.filter(visible_status)


def tags_visible_to(viewer: Any) -> QuerySet[Tag]:
    """Tags on a post this viewer may read: a tag on private posts only must look like no tag."""
    return Tag.objects.filter(Exists(posts_visible_to(viewer).filter(tags=OuterRef("pk"))))


def answers_visible_to(viewer: Any, post: Post) -> QuerySet[Answer]:
    """The answers of a post the viewer already may read, by the same status rule."""
    answers = post.answers.exclude(status=ContentStatus.DELETED)
    if can_moderate_post(viewer, post):
        return answers
    visible = Q(status=ContentStatus.PUBLISHED)
    if is_signed_in(viewer):
        visible |= Q(author_id=viewer.pk)
    return answers.filter(visible)


def can_moderate_post(viewer: Any, post: Post) -> bool:
    return get_space_access(viewer, post.space).can_moderate


def can_view_post(viewer: Any, post: Post) -> bool:
    if post.status == ContentStatus.DELETED:
        return False
    access = get_space_access(viewer, post.space)
    if not access.can_view_content:
        return False
    if post.status == ContentStatus.PUBLISHED:
        return True
    return is_signed_in(viewer) and (post.author_id == viewer.pk or access.can_moderate)


def check_view_post(viewer: Any, post: Post) -> None:
    if not can_view_post(viewer, post):
        raise PermissionDenied("view_post")


def can_post_in_space(viewer: Any, space: Space) -> bool:
    """Signed-in readers of an open space may post; elsewhere only the space's members and staff."""
    access = get_space_access(viewer, space)
    if not (is_signed_in(viewer) and access.can_view_content) or space.archived_at is not None:
        return False
    return space.access_type == AccessType.OPEN or access.is_member or viewer.is_staff_member


def check_post_in_space(viewer: Any, space: Space) -> None:
    if not can_post_in_space(viewer, space):
        raise PermissionDenied("post_in_space")


def can_answer(viewer: Any, post: Post) -> bool:
    return (
        post.status == ContentStatus.PUBLISHED
        and not post.is_locked
        and can_post_in_space(viewer, post.space)
    )


def can_edit_post(viewer: Any, post: Post) -> bool:
    if not can_view_post(viewer, post):
        return False
    if can_moderate_post(viewer, post):
        return True
    return is_signed_in(viewer) and post.author_id == viewer.pk and not post.is_locked


def can_accept_answer(viewer: Any, post: Post) -> bool:
    """The asker or a moderator of the space decides which answer solved a question."""
    if not post.is_question or not can_view_post(viewer, post):
        return False
    return (is_signed_in(viewer) and post.author_id == viewer.pk) or can_moderate_post(viewer, post)


def can_promote_to_knowledge(viewer: Any, post: Post) -> bool:
    return (
        post.is_solved
        and can_moderate_post(viewer, post)
        and bool(getattr(viewer, "is_staff_member", False))
    )
