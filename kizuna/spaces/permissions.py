"""The one place that answers "may this person see / do this?" for spaces and memberships.

Pages, the API, search, feeds and emails all ask here. `get_space_access` answers for
one space; `spaces_with_visible_content` is the same rule as a query, for lists and
search, and the authorization matrix tests hold the two to the same answers.

The rules (S1):
- open: anyone reads; a signed-in person joins.
- application: anyone reads the name, purpose, rules and questions and may apply;
  members read the rest.
- private: customers in good standing (linked to an active account) read and may join;
  anyone else only if staff invited or added them; everyone else sees the name and purpose.
- a sub-group's content needs the parent's content too.
- every staff role reads every space; managing needs a capability (kizuna.identity.roles).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kizuna.customers.selectors import is_customer
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in, profiles_listed_to
from kizuna.identity.roles import Capability
from kizuna.spaces.models import AccessType, JoinRequest, Membership, Space, SpaceRole

STAFF_GRANTED_VIAS = (Membership.Via.STAFF, Membership.Via.STAFF_INVITATION)
MODERATING_ROLES = (SpaceRole.HOST, SpaceRole.MODERATOR)


class Denial(StrEnum):
    SIGN_IN = "sign_in"
    CUSTOMERS_ONLY = "customers_only"
    APPLICATION_REQUIRED = "application_required"
    APPLICATION_PENDING = "application_pending"
    PARENT_REQUIRED = "parent_required"
    ARCHIVED = "archived"


class SpaceAccessDeniedError(PermissionDenied):
    def __init__(self, access: "SpaceAccess") -> None:
        super().__init__(access.denial.value if access.denial else "denied")
        self.access = access


@dataclass(frozen=True)
class SpaceAccess:
    viewer: Viewer
    space: Space
    membership: Membership | None
    can_view_content: bool
    can_join: bool
    can_apply: bool
    can_leave: bool
    can_invite: bool
    can_moderate: bool
    can_manage: bool
    has_pending_request: bool
    denial: Denial | None

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    def is_for(self, viewer: Viewer, space: Space) -> bool:
        return self.space.pk == space.pk and self.viewer.pk == viewer.pk


def _membership(viewer: Viewer, space: Space) -> Membership | None:
    if not is_signed_in(viewer):
        return None
    return Membership.objects.filter(space=space, member_id=viewer.pk).first()


def _own_content_denial(
    viewer: Viewer, space: Space, membership: Membership | None
) -> Denial | None:
    """Why the space's own rule hides its content from this viewer, or None if it does not."""
    if has_capability(viewer, Capability.VIEW_ALL_SPACES):
        return None
    if space.access_type == AccessType.OPEN:
        return None
    if not is_signed_in(viewer):
        return Denial.SIGN_IN
    if space.access_type == AccessType.APPLICATION:
        return None if membership else Denial.APPLICATION_REQUIRED
    if is_customer(viewer) or (membership is not None and membership.was_granted_by_staff):
        return None
    return Denial.CUSTOMERS_ONLY


def get_space_access(viewer: Viewer, space: Space) -> SpaceAccess:
    """Everything this viewer may do with this space, and why content is hidden if it is."""
    membership = _membership(viewer, space)
    signed_in = is_signed_in(viewer)
    manages = has_capability(viewer, Capability.MANAGE_SPACES)
    # Asked once: a sub-group needs the parent's content both to be read and to be joined.
    parent_readable = (
        space.parent is None or get_space_access(viewer, space.parent).can_view_content
    )
    denial: Denial | None
    if space.archived_at is not None and not manages:
        denial = Denial.ARCHIVED
    else:
        denial = _own_content_denial(viewer, space, membership)
        if denial is None and not parent_readable:
            denial = Denial.PARENT_REQUIRED
    has_pending = bool(
        signed_in
        and membership is None
        and space.access_type == AccessType.APPLICATION
        and JoinRequest.objects.filter(
            space=space, applicant_id=viewer.pk, status=JoinRequest.Status.PENDING
        ).exists()
    )
    if denial == Denial.APPLICATION_REQUIRED and has_pending:
        denial = Denial.APPLICATION_PENDING
    space_role = membership.role if membership else None
    is_open_for_joining = space.archived_at is None and signed_in and membership is None
    can_join = bool(
        is_open_for_joining
        and parent_readable
        and (
            space.access_type == AccessType.OPEN
            or (space.access_type == AccessType.PRIVATE and (is_customer(viewer) or manages))
        )
    )
    can_apply = bool(
        is_open_for_joining
        and parent_readable
        and space.access_type == AccessType.APPLICATION
        and not has_pending
    )
    can_moderate = bool(
        space_role in MODERATING_ROLES or has_capability(viewer, Capability.MODERATE)
    )
    can_manage = bool(
        space_role == SpaceRole.HOST
        or manages
        or has_capability(viewer, Capability.MANAGE_MEMBERSHIPS)
    )
    return SpaceAccess(
        viewer=viewer,
        space=space,
        membership=membership,
        can_view_content=denial is None,
        can_join=can_join,
        can_apply=can_apply,
        can_leave=membership is not None,
        can_invite=denial is None
        and space.archived_at is None
        and (membership is not None or can_manage),
        can_moderate=denial is None and can_moderate,
        can_manage=denial is None and can_manage,
        has_pending_request=has_pending,
        denial=denial,
    )


def access_space(viewer: Viewer, slug: str) -> SpaceAccess:
    """The space at this address with what the viewer may do there, in one call per request.

    Http404 when the space is not listed to the viewer (missing, or archived for those who do
    not manage spaces); the access may still deny its content, which the caller answers with
    the space's denied page (kizuna.spaces.denied_page) or with SpaceAccessDeniedError.
    """
    space = listed_spaces(viewer).select_related("parent").filter(slug=slug).first()
    if space is None:
        raise Http404
    return get_space_access(viewer, space)


def decided_space_access(
    viewer: Viewer, space: Space, access: SpaceAccess | None = None
) -> SpaceAccess:
    """The decision a caller hands over when it is about this viewer and space, else a new one."""
    if access is not None and access.is_for(viewer, space):
        return access
    return get_space_access(viewer, space)


def check_view_space(
    viewer: Viewer, space: Space, access: SpaceAccess | None = None
) -> SpaceAccess:
    access = decided_space_access(viewer, space, access)
    if not access.can_view_content:
        raise SpaceAccessDeniedError(access)
    return access


def _require(access: SpaceAccess, allowed: bool) -> SpaceAccess:
    if not allowed:
        raise SpaceAccessDeniedError(access)
    return access


def check_moderate_space(
    viewer: Viewer, space: Space, access: SpaceAccess | None = None
) -> SpaceAccess:
    access = decided_space_access(viewer, space, access)
    return _require(access, access.can_moderate)


def check_manage_space(
    viewer: Viewer, space: Space, access: SpaceAccess | None = None
) -> SpaceAccess:
    access = decided_space_access(viewer, space, access)
    return _require(access, access.can_manage)


def check_invite_to_space(
    viewer: Viewer, space: Space, access: SpaceAccess | None = None
) -> SpaceAccess:
    access = decided_space_access(viewer, space, access)
    return _require(access, access.can_invite)


def is_open_space(space: Space) -> bool:
    """An open space: anyone reads it, signed in or not."""
    return space.access_type == AccessType.OPEN


def admits_invitee(member: Viewer, space: Space, *, invited_by_staff: bool) -> bool:
    """A private space admits a customer, or anyone staff invited; other spaces any invitee."""
    return space.access_type != AccessType.PRIVATE or invited_by_staff or is_customer(member)


def takes_applications(space: Space) -> bool:
    """An application space: anyone reads its name, purpose, rules and questions and may apply."""
    return space.access_type == AccessType.APPLICATION


def spaces_of_type(spaces: QuerySet[Space], access_type: str) -> QuerySet[Space]:
    """The spaces of one access type ("" for all of them), for the directory's type filter."""
    return spaces.filter(access_type=access_type) if access_type else spaces


def can_create_spaces(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.MANAGE_SPACES)


def _own_content_q(viewer: Viewer, prefix: str = "") -> Q | None:
    """The rule of `_own_content_denial` as a filter, or None when it hides nothing from this
    viewer; prefix is "" or "parent__".

    Never an empty Q() for "everything": Django drops an empty Q from an OR, so
    `Q(parent__isnull=True) | Q()` would silently mean "top-level spaces only".
    """
    if has_capability(viewer, Capability.VIEW_ALL_SPACES):
        return None
    open_q = Q(**{f"{prefix}access_type": AccessType.OPEN})
    if not is_signed_in(viewer):
        return open_q
    memberships = Membership.objects.filter(
        space=OuterRef(f"{prefix}pk" if prefix else "pk"), member_id=viewer.pk
    )
    application_q = Q(**{f"{prefix}access_type": AccessType.APPLICATION}) & Q(Exists(memberships))
    if is_customer(viewer):
        private_q = Q(**{f"{prefix}access_type": AccessType.PRIVATE})
    else:
        private_q = Q(**{f"{prefix}access_type": AccessType.PRIVATE}) & Q(
            Exists(memberships.filter(via__in=STAFF_GRANTED_VIAS))
        )
    return open_q | application_q | private_q


def moderated_spaces_q(viewer: Viewer, prefix: str = "space") -> Q:
    """Rows whose space the viewer moderates: every space with MODERATE, else hosted or
    moderated ones; prefix names the row's space field ("" for spaces themselves)."""
    if has_capability(viewer, Capability.MODERATE):
        # Not Q(): an empty Q vanishes when OR-ed, which would hide everything from staff.
        return Q(pk__isnull=False)
    if not is_signed_in(viewer):
        return Q(pk__in=[])
    moderates = Membership.objects.filter(
        space=OuterRef(f"{prefix}_id" if prefix else "pk"),
        member_id=viewer.pk,
        role__in=MODERATING_ROLES,
    )
    return Q(Exists(moderates))


def spaces_with_visible_content(viewer: Viewer) -> QuerySet[Space]:
    """Spaces whose content this viewer may read: the filter every list, search and feed applies."""
    spaces = Space.objects.all()
    if not has_capability(viewer, Capability.MANAGE_SPACES):
        spaces = spaces.filter(archived_at__isnull=True).filter(
            Q(parent__isnull=True) | Q(parent__archived_at__isnull=True)
        )
    own_rule = _own_content_q(viewer)
    if own_rule is not None:
        spaces = spaces.filter(own_rule)
    parent_rule = _own_content_q(viewer, "parent__")
    if parent_rule is not None:
        spaces = spaces.filter(Q(parent__isnull=True) | parent_rule)
    return spaces


def listed_spaces(viewer: Viewer) -> QuerySet[Space]:
    """Spaces shown in the directory: everyone sees every live space's name and purpose."""
    spaces = Space.objects.all()
    if not has_capability(viewer, Capability.MANAGE_SPACES):
        spaces = spaces.filter(archived_at__isnull=True)
    return spaces


def can_view_member_list(viewer: Viewer, access: SpaceAccess) -> bool:
    return access.can_view_content and is_signed_in(viewer)


def memberships_listed_to(viewer: Viewer, access: SpaceAccess) -> QuerySet[Membership]:
    """The space's members this viewer sees in its member list.

    Those who manage the space see everyone in it; others see members who list themselves
    in the directory, and themselves.
    """
    memberships = access.space.memberships.all()
    if access.can_manage:
        return memberships
    return memberships.filter(
        Q(member__in=profiles_listed_to(viewer)) | Q(member_id=getattr(viewer, "pk", None))
    )
