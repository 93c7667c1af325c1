"""Reactions ("いいね"), bookmarks and follows: what members do with a thread besides writing (S2).

Every service authorizes first (content.permissions), then writes. Each write is
idempotent: the database's unique constraints decide whether a row is new, and the
counters on posts and answers move with F() in the same transaction only when a
row was really added or removed, so concurrent clicks never count twice.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.content.models import Answer, Bookmark, ContentStatus, Follow, Post, Reaction, Tag
from kizuna.content.permissions import (
    PostAccess,
    answers_visible_to,
    decided_post_access,
    posts_visible_to,
    tags_visible_to,
)
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, decided_space_access


class EngagementError(ValidationError):
    """An action the rules refuse for a reason the member can fix or should be told."""


# ---------------------------------------------------------------- checks


def can_react(
    viewer: Viewer, post: Post, answer: Answer | None = None, access: PostAccess | None = None
) -> bool:
    """Signed-in readers may like published content they did not write themselves."""
    if not is_signed_in(viewer) or not decided_post_access(viewer, post, access).can_view:
        return False
    target_status = answer.status if answer is not None else post.status
    author_id = answer.author_id if answer is not None else post.author_id
    return target_status == ContentStatus.PUBLISHED and author_id != viewer.pk


def _signed_in(member: Viewer) -> Member:
    if not is_signed_in(member):
        raise PermissionDenied("sign_in")
    return member


def _check_view(member: Viewer, post: Post, access: PostAccess | None) -> PostAccess:
    """The caller's decision on this post when it handed one over, else a new one; it must allow
    reading."""
    _signed_in(member)
    decided = decided_post_access(member, post, access)
    if not decided.can_view:
        raise PermissionDenied("view_post")
    return decided


def _check_answer_of(member: Viewer, post: Post, answer: Answer, access: PostAccess) -> None:
    if (
        answer.post_id != post.pk
        or not answers_visible_to(member, post, access).filter(pk=answer.pk).exists()
    ):
        raise PermissionDenied("view_answer")


def _insert_once(model: type[Any], **fields: Any) -> bool:
    """Insert one row unless a unique constraint says it exists; True when it was new.

    The savepoint keeps the caller's transaction usable after a duplicate; a concurrent
    insert of the same row waits on the first and then fails here, so it is never counted.
    """
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


# ---------------------------------------------------------------- reactions


def react(
    *, member: Viewer, post: Post, answer: Answer | None = None, access: PostAccess | None = None
) -> bool:
    """Like a post, or one of its answers; True when this call added the like.

    `access` is the caller's decision on the post (kizuna.content.access), so that the space
    is not asked again.
    """
    decided = _check_view(member, post, access)
    liker = _signed_in(member)
    if answer is not None:
        _check_answer_of(member, post, answer, decided)
    target: Post | Answer = answer if answer is not None else post
    if target.author_id == liker.pk:
        raise EngagementError(_("You cannot like your own post."), code="own_content")
    if target.status != ContentStatus.PUBLISHED:
        raise EngagementError(_("Only published posts can be liked."), code="not_published")
    with transaction.atomic():
        added = _insert_once(Reaction, member=liker, post=post, answer=answer)
        if not added:
            return False
        type(target).objects.filter(pk=target.pk).update(reaction_count=F("reaction_count") + 1)
        # Likes feed points and health later; they notify nobody, so no fan-out is queued.
        record_activity(
            actor=liker,
            verb=Verb.REACTED,
            target=target,
            space_id=post.space_id,
            details={"post_id": post.pk},
        )
    target.refresh_from_db(fields=["reaction_count"])
    return True


def unreact(*, member: Viewer, post: Post, answer: Answer | None = None) -> bool:
    """Take back a like; True when there was one to take back."""
    signed_in = _signed_in(member)
    target: Post | Answer = answer if answer is not None else post
    with transaction.atomic():
        reactions = Reaction.objects.filter(member_id=signed_in.pk, post_id=post.pk)
        reactions = (
            reactions.filter(answer_id=answer.pk)
            if answer is not None
            else reactions.filter(answer__isnull=True)
        )
        deleted, _counts = reactions.delete()
        if deleted:
            type(target).objects.filter(pk=target.pk).update(
                reaction_count=F("reaction_count") - deleted
            )
    target.refresh_from_db(fields=["reaction_count"])
    return bool(deleted)


def reacted_answer_ids(viewer: Viewer, post: Post) -> set[int]:
    """The answers of this thread the viewer has liked, in one query."""
    if not is_signed_in(viewer):
        return set()
    return set(
        Reaction.objects.filter(
            member_id=viewer.pk, post_id=post.pk, answer__isnull=False
        ).values_list("answer_id", flat=True)
    )


# ---------------------------------------------------------------- bookmarks


def bookmark(*, member: Viewer, post: Post, access: PostAccess | None = None) -> bool:
    """Save a post to the member's bookmarks; True when it was not saved yet."""
    _check_view(member, post, access)
    return _insert_once(Bookmark, member=member, post=post)


def unbookmark(*, member: Viewer, post: Post) -> bool:
    """Remove a post from the member's bookmarks; True when it was there."""
    signed_in = _signed_in(member)
    deleted, _counts = Bookmark.objects.filter(member_id=signed_in.pk, post_id=post.pk).delete()
    return bool(deleted)


def list_bookmarks(member: Member) -> QuerySet[Bookmark]:
    """The member's bookmarks, newest first, of posts they may still read."""
    return (
        Bookmark.objects.filter(member_id=member.pk, post__in=posts_visible_to(member))
        .select_related("post__space", "post__author")
        .order_by("-created_at", "-id")
    )


# ---------------------------------------------------------------- follows


@dataclass(frozen=True)
class FollowTarget:
    """One thing a member can follow: exactly one of a post, a space or a tag."""

    post: Post | None = None
    space: Space | None = None
    tag: Tag | None = None

    def filter(self) -> dict[str, Any]:
        if self.post is not None:
            return {"post": self.post}
        if self.space is not None:
            return {"space": self.space}
        assert self.tag is not None
        return {"tag": self.tag}


def _check_follow(
    member: Viewer,
    target: FollowTarget,
    access: PostAccess | None,
    space_access: SpaceAccess | None,
) -> None:
    _signed_in(member)
    if target.post is not None:
        _check_view(member, target.post, access)
    elif (
        target.space is not None
        and not decided_space_access(member, target.space, space_access).can_view_content
    ):
        raise PermissionDenied("view_space")


def get_followable_tag(member: Member, slug: str) -> Tag | None:
    """The tag with this slug if the member may know of it: on a post they may read, or followed.

    A tag that exists only on posts they may not read is None, exactly like a missing one.
    """
    followed = Follow.objects.filter(member_id=member.pk, tag=OuterRef("pk"))
    return (
        (tags_visible_to(member) | Tag.objects.filter(Exists(followed))).filter(slug=slug).first()
    )


def follow(
    *,
    member: Viewer,
    target: FollowTarget,
    access: PostAccess | None = None,
    space_access: SpaceAccess | None = None,
) -> bool:
    """Follow a post, space or tag to hear of new activity there; True when newly followed.

    `access` and `space_access` are the caller's decision on a followed post or space, so that
    the space is not asked again.
    """
    _check_follow(member, target, access, space_access)
    return _insert_once(Follow, member=member, **target.filter())


def unfollow(*, member: Viewer, target: FollowTarget) -> bool:
    """Stop following; True when the member was following."""
    signed_in = _signed_in(member)
    deleted, _counts = Follow.objects.filter(member_id=signed_in.pk, **target.filter()).delete()
    return bool(deleted)


def is_following(member: Viewer, target: FollowTarget) -> bool:
    if not is_signed_in(member):
        return False
    return Follow.objects.filter(member_id=member.pk, **target.filter()).exists()


# ---------------------------------------------------------------- what the buttons show


@dataclass(frozen=True)
class PostEngagement:
    has_reacted: bool
    has_bookmarked: bool
    is_following_post: bool
    is_following_space: bool
    followed_tag_ids: frozenset[int]
    can_react: bool


def get_post_engagement(
    viewer: Viewer, post: Post, access: PostAccess | None = None
) -> PostEngagement:
    """The viewer's own reaction, bookmark and follows on a thread, for its buttons."""
    if not is_signed_in(viewer):
        return PostEngagement(False, False, False, False, frozenset(), False)
    follows = _follows_for(viewer, post)
    return PostEngagement(
        has_reacted=Reaction.objects.filter(
            member_id=viewer.pk, post_id=post.pk, answer__isnull=True
        ).exists(),
        has_bookmarked=Bookmark.objects.filter(member_id=viewer.pk, post_id=post.pk).exists(),
        is_following_post=any(post_id == post.pk for post_id, _s, _t in follows),
        is_following_space=any(space_id == post.space_id for _p, space_id, _t in follows),
        followed_tag_ids=frozenset(tag_id for _p, _s, tag_id in follows if tag_id is not None),
        can_react=can_react(viewer, post, access=access),
    )


def _follows_for(viewer: Member, post: Post) -> list[tuple[int | None, int | None, int | None]]:
    tag_ids = post.tags.values("pk")
    return list(
        Follow.objects.filter(member_id=viewer.pk)
        .filter(Q(post_id=post.pk) | Q(space_id=post.space_id) | Q(tag_id__in=tag_ids))
        .values_list("post_id", "space_id", "tag_id")
    )
