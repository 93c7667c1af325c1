"""Reads of spaces, memberships, join requests and invitations for the pages and the API.

Visibility comes from kizuna.spaces.permissions: these functions shape and order what
the policy lets the viewer see, so the page and the API list the same rows.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Value, When

from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.spaces.models import Invitation, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.permissions import (
    SpaceAccess,
    listed_spaces,
    memberships_listed_to,
    spaces_of_type,
    spaces_with_visible_content,
)

# --- spaces ------------------------------------------------------------------------------


def _with_membership_flag(spaces: QuerySet[Space], viewer: Viewer) -> QuerySet[Space]:
    if not is_signed_in(viewer):
        return spaces.annotate(is_member=Value(False))
    return spaces.annotate(
        is_member=Exists(Membership.objects.filter(space=OuterRef("pk"), member_id=viewer.pk))
    )


def directory(viewer: Viewer, *, query: str = "", space_type: str = "") -> QuerySet[Space]:
    """The directory by name, each space flagged with whether the viewer is a member of it.

    Filtered, it is a flat list with parents loaded; unfiltered, the top-level spaces with
    their listed sub-groups (`listed_subgroups`) prefetched.
    """
    spaces = _with_membership_flag(listed_spaces(viewer), viewer)
    if query or space_type:
        if query:
            spaces = spaces.filter(name__icontains=query)
        spaces = spaces_of_type(spaces, space_type).select_related("parent")
    else:
        subgroups = _with_membership_flag(listed_spaces(viewer), viewer).order_by("name")
        spaces = spaces.filter(parent__isnull=True).prefetch_related(
            Prefetch("subgroups", queryset=subgroups, to_attr="listed_subgroups")
        )
    return spaces.order_by("name", "pk")


def listed_subgroups(viewer: Viewer, space: Space) -> QuerySet[Space]:
    return _with_membership_flag(listed_spaces(viewer).filter(parent=space), viewer).order_by(
        "name"
    )


def spaces_with_content_flag(viewer: Viewer, *, space_type: str = "") -> QuerySet[Space]:
    """Every listed space, `content_visible` telling whether the viewer may read its content."""
    visible = spaces_with_visible_content(viewer).filter(pk=OuterRef("pk"))
    spaces = (
        listed_spaces(viewer)
        .select_related("parent")
        .annotate(content_visible=Exists(visible))
        .order_by("name", "pk")
    )
    return spaces_of_type(spaces, space_type)


def listed_space(viewer: Viewer, slug: str) -> Space | None:
    """The space at this address if it is listed to the viewer, with its parent."""
    return listed_spaces(viewer).select_related("parent").filter(slug=slug).first()


# --- members -----------------------------------------------------------------------------


def member_count(space: Space) -> int:
    return space.memberships.count()


def hosts(space: Space) -> QuerySet[Membership]:
    return (
        space.memberships.filter(role=SpaceRole.HOST).select_related("member").order_by("joined_at")
    )


def _role_order() -> Case:
    return Case(
        When(role=SpaceRole.HOST, then=Value(0)),
        When(role=SpaceRole.MODERATOR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def members_by_role(viewer: Viewer, access: SpaceAccess) -> QuerySet[Membership]:
    """The member list the viewer sees: hosts, then moderators, then members, by joining."""
    return (
        memberships_listed_to(viewer, access)
        .select_related("member")
        .annotate(role_order=_role_order())
        .order_by("role_order", "joined_at", "pk")
    )


def members_by_joining(viewer: Viewer, access: SpaceAccess) -> QuerySet[Membership]:
    return (
        memberships_listed_to(viewer, access)
        .select_related("space", "member")
        .order_by("joined_at", "pk")
    )


def membership_in(space: Space, member_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("space", "member")
        .filter(space=space, member_id=member_id)
        .first()
    )


def membership_at(slug: str, pk: int) -> Membership | None:
    """A membership by its id, when it belongs to the space at this address."""
    return (
        Membership.objects.select_related("space", "member").filter(pk=pk, space__slug=slug).first()
    )


# --- join requests -----------------------------------------------------------------------


def pending_join_requests(space: Space) -> QuerySet[JoinRequest]:
    return (
        space.join_requests.filter(status=JoinRequest.Status.PENDING)
        .select_related("space", "applicant")
        .order_by("created_at", "pk")
    )


def pending_join_request_count(space: Space) -> int:
    return space.join_requests.filter(status=JoinRequest.Status.PENDING).count()


def decided_join_requests(space: Space, limit: int) -> QuerySet[JoinRequest]:
    return (
        space.join_requests.exclude(status=JoinRequest.Status.PENDING)
        .select_related("applicant", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def pending_join_request_of(viewer: Viewer, space: Space) -> JoinRequest | None:
    """The viewer's own application to this space that waits for a decision."""
    return JoinRequest.objects.filter(
        space=space, applicant_id=viewer.pk, status=JoinRequest.Status.PENDING
    ).first()


def join_request_in(space: Space, pk: int) -> JoinRequest | None:
    return (
        JoinRequest.objects.select_related("space", "applicant").filter(space=space, pk=pk).first()
    )


def join_request_at(slug: str, pk: int) -> JoinRequest | None:
    """A join request by its id, when it is for the space at this address."""
    return (
        JoinRequest.objects.select_related("space", "applicant")
        .filter(pk=pk, space__slug=slug)
        .first()
    )


# --- invitations -------------------------------------------------------------------------


def invitations_seen_by(viewer: Viewer, access: SpaceAccess) -> QuerySet[Invitation]:
    """A space's invitations, newest first: all to those who manage it, their own to inviters."""
    invitations = (
        Invitation.objects.filter(space=access.space)
        .select_related("space", "invited_by", "accepted_by")
        .order_by("-created_at", "-pk")
    )
    if not access.can_manage:
        invitations = invitations.filter(invited_by_id=viewer.pk)
    return invitations


def invitation_in(space: Space, pk: int) -> Invitation | None:
    return (
        Invitation.objects.select_related("space", "invited_by").filter(space=space, pk=pk).first()
    )


def invitation_at(slug: str, pk: int) -> Invitation | None:
    """An invitation by its id, when it is to the space at this address."""
    return Invitation.objects.select_related("space").filter(pk=pk, space__slug=slug).first()


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("space", "invited_by").filter(token=token).first()
