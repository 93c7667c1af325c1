"""Who may flag what, open the review queue, move a post where, and use the staff moderation
tools.

Members flag what they can read, and anything else answers as if it did not exist.
The review queue is for staff with MODERATE and for the hosts and moderators of any
space (kizuna.spaces.permissions holds which spaces someone moderates); blocked terms
and suspensions are for staff with MODERATE only.
"""

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.content.permissions import PostAccess, can_post_in_space, decided_post_access
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces.models import Membership, Space
from kizuna.spaces.permissions import MODERATING_ROLES, get_space_access

Target = Post | Answer | Comment


def _thread_post(target: Target) -> Post:
    return target if isinstance(target, Post) else target.post


def can_flag_target(viewer: Viewer, target: Target, access: PostAccess | None = None) -> bool:
    """Signed-in members may flag a post, answer or comment they can read; `access` is the
    caller's decision on the target's thread."""
    if (
        not is_signed_in(viewer)
        or not decided_post_access(viewer, _thread_post(target), access).can_view
    ):
        return False
    if isinstance(target, Post):
        return True
    return target.status == ContentStatus.PUBLISHED or target.author_id == viewer.pk


def can_move_to(viewer: Viewer, space: Space) -> bool:
    """A post moves only to a live space the moderator reads and may post in."""
    access = get_space_access(viewer, space)
    return (
        access.can_view_content
        and can_post_in_space(viewer, space, access)
        and space.archived_at is None
    )


def can_open_review_queue(viewer: Viewer) -> bool:
    """Staff with MODERATE and hosts or moderators of at least one space."""
    if has_capability(viewer, Capability.MODERATE):
        return True
    return (
        is_signed_in(viewer)
        and Membership.objects.filter(member_id=viewer.pk, role__in=MODERATING_ROLES).exists()
    )


def can_use_staff_moderation(viewer: Viewer) -> bool:
    """Blocked terms and suspensions: staff moderators only."""
    return has_capability(viewer, Capability.MODERATE)
