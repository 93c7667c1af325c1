"""Q&A rules: accepting an answer, peer resolution, time to first answer, the unanswered queue (S2).

A question is solved when the asker or a moderator of its space accepts one of its
answers. The choice can change (accepting another answer moves it) or be taken back.
A question solved by an answer from someone without a staff role is peer-resolved
(ユーザー同士で解決).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.activity.dispatch import thread_changed
from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.content.models import Answer, ContentStatus, Post, PostType, Tag
from kizuna.content.permissions import PostAccess, decided_post_access, posts_visible_to
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces.models import Membership, Space
from kizuna.spaces.permissions import MODERATING_ROLES


class AcceptAnswerError(ValidationError):
    """The answer cannot be accepted for this question."""


def _check_accept(actor: Member, post: Post, access: PostAccess | None) -> None:
    if not decided_post_access(actor, post, access).can_accept:
        raise PermissionDenied("accept_answer")


def _audit_if_moderator(actor: Member, post: Post, action: str, answer_id: int | None) -> None:
    """The asker choosing an answer is ordinary use; a moderator doing it for them is audited."""
    if post.author_id != actor.pk:
        record_audit(actor=actor, action=action, target=post, details={"answer_id": answer_id})


def accept_answer(
    *, actor: Member, post: Post, answer: Answer, access: PostAccess | None = None
) -> Post:
    """Mark an answer as the one that solved the question; accepting another moves the mark.

    `access` is the caller's decision on the post (kizuna.content.access), so that the space
    is not asked again.
    """
    _check_accept(actor, post, access)
    if answer.post_id != post.pk:
        raise AcceptAnswerError(_("This answer belongs to another question."), code="other_post")
    if answer.status != ContentStatus.PUBLISHED:
        raise AcceptAnswerError(_("Only a published answer can be accepted."), code="unpublished")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.accepted_answer_id == answer.pk:
            return locked
        locked.accepted_answer = answer
        locked.solved_at = locked.solved_at or timezone.now()
        # Peer-resolved (ユーザー同士で解決) means another customer, not staff and not the asker, solved it.
        locked.is_peer_resolved = (
            not answer.author.is_staff_member and answer.author_id != locked.author_id
        )
        locked.save(update_fields=["accepted_answer", "solved_at", "is_peer_resolved"])
        record_activity(
            actor=actor,
            verb=Verb.ACCEPTED,
            target=answer,
            space_id=post.space_id,
            details={"post_id": post.pk, "is_peer_resolved": locked.is_peer_resolved},
        )
        _audit_if_moderator(actor, post, "content.answer_accepted", answer.pk)
        thread_changed(post.pk)
    post.accepted_answer = answer
    post.solved_at = locked.solved_at
    post.is_peer_resolved = locked.is_peer_resolved
    return locked


def unaccept_answer(*, actor: Member, post: Post, access: PostAccess | None = None) -> Post:
    """Take back the accepted answer: the question is open again."""
    _check_accept(actor, post, access)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.accepted_answer_id is None:
            return locked
        previous = locked.accepted_answer_id
        locked.accepted_answer = None
        locked.solved_at = None
        locked.is_peer_resolved = False
        locked.save(update_fields=["accepted_answer", "solved_at", "is_peer_resolved"])
        _audit_if_moderator(actor, post, "content.answer_unaccepted", previous)
        thread_changed(post.pk)
    post.accepted_answer = None
    post.solved_at = None
    post.is_peer_resolved = False
    return locked


def get_time_to_first_answer(post: Post) -> timedelta | None:
    """How long the question waited for its first answer; None while it has none."""
    if post.first_answer_at is None:
        return None
    return post.first_answer_at - post.created_at


# ---------------------------------------------------------------- the unanswered queue


def can_view_unanswered_queue(viewer: Viewer) -> bool:
    """CSMs (staff who may see customer data) and the hosts and moderators of any space."""
    if not is_signed_in(viewer):
        return False
    if has_capability(viewer, Capability.VIEW_CUSTOMER_DATA):
        return True
    return Membership.objects.filter(member_id=viewer.pk, role__in=MODERATING_ROLES).exists()


def queue_spaces_for(viewer: Viewer) -> QuerySet[Space]:
    """The spaces whose questions the viewer's queue covers: all for staff, moderated ones otherwise."""
    spaces = Space.objects.filter(archived_at__isnull=True)
    if has_capability(viewer, Capability.VIEW_CUSTOMER_DATA):
        return spaces
    if not is_signed_in(viewer):
        return spaces.none()
    return spaces.filter(
        memberships__member_id=viewer.pk, memberships__role__in=MODERATING_ROLES
    ).distinct()


def list_unanswered(
    viewer: Viewer,
    *,
    space: Space | None = None,
    tag: Tag | None = None,
    include_unsolved: bool = False,
) -> QuerySet[Post]:
    """Published questions nobody has answered (or, with include_unsolved, not yet solved), oldest first.

    Limited to what the viewer may read and to the spaces their queue covers.
    """
    waiting = Q(accepted_answer__isnull=True) if include_unsolved else Q(answer_count=0)
    posts = (
        posts_visible_to(viewer)
        .filter(
            waiting,
            post_type=PostType.QUESTION,
            status=ContentStatus.PUBLISHED,
            space__in=queue_spaces_for(viewer),
        )
        .select_related("space", "author")
        .prefetch_related("tags")
        .order_by("created_at", "id")
    )
    if space is not None:
        posts = posts.filter(space=space)
    if tag is not None:
        posts = posts.filter(tags=tag)
    return posts
