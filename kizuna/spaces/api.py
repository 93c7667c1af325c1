"""The spaces API: spaces, memberships, join requests and invitations.

Thin: parse, find the space the viewer may know of, call the policy or the service,
shape the answer. Every rule lives in `kizuna.spaces.permissions` and `services`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX, SLUG_PATTERN
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.schemas import MemberRefOut
from kizuna.spaces import selectors, services
from kizuna.spaces.models import Invitation, JoinRequest, Membership, Space
from kizuna.spaces.permissions import (
    Denial,
    SpaceAccess,
    SpaceAccessDeniedError,
    can_view_member_list,
    check_manage_space,
    check_moderate_space,
    get_space_access,
    takes_applications,
)
from kizuna.spaces.schemas import (
    AcceptInvitationIn,
    AccessTypeValue,
    ApplyIn,
    ArchiveIn,
    DecisionIn,
    InvitationIn,
    InvitationOut,
    InvitationPageOut,
    JoinRequestOut,
    JoinRequestPageOut,
    MembershipOut,
    MembershipPageOut,
    RemoveMemberIn,
    RoleChangeIn,
    SpaceAccessOut,
    SpaceDetailOut,
    SpaceIn,
    SpaceOut,
    SpacePageOut,
    SpacePatchIn,
)

router = Router()

READ = api_auth(ApiKey.Scope.SPACES_READ)
WRITE = api_auth(ApiKey.Scope.SPACES_WRITE)


def _slug_param() -> Any:
    return PathParam(..., max_length=80, pattern=SLUG_PATTERN, description="The space's slug.")


def _denial_messages() -> dict[str, str]:
    # Each says why, never what is inside the space.
    return {
        Denial.SIGN_IN: _("Sign in to see this space."),
        Denial.CUSTOMERS_ONLY: _("This space is for customers only."),
        Denial.APPLICATION_REQUIRED: _("This space is for its members. Apply to join it."),
        Denial.APPLICATION_PENDING: _("Your application to this space is waiting for a moderator."),
        Denial.PARENT_REQUIRED: _("Join the parent space first."),
        Denial.ARCHIVED: _("This space has been closed."),
    }


def describe_denial(exc: PermissionDenied) -> tuple[str, str]:
    """The envelope's code and message for a refusal: the policy's reason when there is one."""
    if isinstance(exc, SpaceAccessDeniedError) and exc.access.denial is not None:
        reason = exc.access.denial.value
    else:
        reason = str(exc)
    messages = _denial_messages()
    if reason in messages:
        return reason, messages[reason]
    return "permission_denied", _("You do not have permission to do this.")


# --- shaping -----------------------------------------------------------------------------


def _space_out(space: Space, *, can_view_content: bool) -> SpaceOut:
    public_rules = can_view_content or takes_applications(space)
    shown = can_view_content
    return SpaceOut(
        slug=space.slug,
        name=space.name,
        purpose=space.purpose,
        access_type=space.access_type,  # type: ignore[arg-type]
        can_view_content=can_view_content,
        rules=space.rules if public_rules else None,
        join_questions=list(space.join_questions) if public_rules else None,
        description=space.description if shown else None,
        color=space.color if shown else None,
        icon=space.icon if shown else None,
        parent=space.parent.slug if shown and space.parent else None,
        created_at=space.created_at if shown else None,
        archived_at=space.archived_at if shown else None,
    )


def _space_detail_out(access: SpaceAccess) -> SpaceDetailOut:
    base = _space_out(access.space, can_view_content=access.can_view_content)
    return SpaceDetailOut(
        **base.model_dump(),
        access=SpaceAccessOut(
            is_member=access.is_member,
            role=access.role,  # type: ignore[arg-type]
            can_view_content=access.can_view_content,
            can_join=access.can_join,
            can_apply=access.can_apply,
            can_leave=access.can_leave,
            can_invite=access.can_invite,
            can_moderate=access.can_moderate,
            can_manage=access.can_manage,
            has_pending_request=access.has_pending_request,
            denial=access.denial.value if access.denial else None,
        ),
    )


def _membership_out(membership: Membership) -> MembershipOut:
    return MembershipOut(
        space=membership.space.slug,
        member=MemberRefOut.of(membership.member),
        role=membership.role,  # type: ignore[arg-type]
        joined_at=membership.joined_at,
    )


def _join_request_out(join_request: JoinRequest) -> JoinRequestOut:
    return JoinRequestOut(
        id=join_request.pk,
        space=join_request.space.slug,
        applicant=MemberRefOut.of(join_request.applicant),
        answers=list(join_request.answers),
        status=join_request.status,  # type: ignore[arg-type]
        created_at=join_request.created_at,
        decided_at=join_request.decided_at,
        decision_reason=join_request.decision_reason,
    )


def _invitation_out(invitation: Invitation) -> InvitationOut:
    return InvitationOut(
        id=invitation.pk,
        space=invitation.space.slug,
        email=invitation.email,
        status=invitation.status,  # type: ignore[arg-type]
        invited_by=MemberRefOut.of(invitation.invited_by),
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
    )


# --- lookups -----------------------------------------------------------------------------


def _find_space(viewer: Member, slug: str) -> Space:
    """A space this viewer may know of (every live one; archived ones for managers), or 404."""
    space = selectors.listed_space(viewer, slug)
    if space is None:
        raise Http404
    return space


def _find_parent(viewer: Member, slug: str | None) -> Space | None:
    if not slug:
        return None
    parent = selectors.listed_space(viewer, slug)
    if parent is None:
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"parent": [_("There is no space with this address.")]},
        )
    return parent


def _find_membership(space: Space, member_id: int) -> Membership:
    membership = selectors.membership_in(space, member_id)
    if membership is None:
        raise Http404
    return membership


# --- spaces ------------------------------------------------------------------------------


@router.get(
    "/spaces",
    response={200: SpacePageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["spaces"],
    summary="List spaces",
)
@paginate(LimitOffsetPage)
def list_spaces(request: HttpRequest, access_type: AccessTypeValue | None = None) -> Rows[Space]:
    """Every live space; content fields only where the viewer may read the space's content."""
    viewer = get_actor(request)
    return Rows(
        selectors.spaces_with_content_flag(viewer, space_type=access_type or ""),
        _flagged_spaces_out,
    )


def _flagged_spaces_out(spaces: list[Any]) -> list[SpaceOut]:
    # Rows annotated with `content_visible`, which the model's type does not declare.
    return [_space_out(space, can_view_content=space.content_visible) for space in spaces]


@router.get(
    "/spaces/{slug}",
    response={200: SpaceDetailOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["spaces"],
    summary="Get a space",
)
def get_space(request: HttpRequest, slug: str = _slug_param()) -> SpaceDetailOut:
    viewer = get_actor(request)
    return _space_detail_out(get_space_access(viewer, _find_space(viewer, slug)))


@router.post(
    "/spaces",
    response={201: SpaceDetailOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["spaces"],
    summary="Create a space (staff)",
)
def create_space(request: HttpRequest, payload: SpaceIn) -> Status[SpaceDetailOut]:
    viewer = get_actor(request)
    fields = payload.model_dump()
    fields["parent"] = _find_parent(viewer, payload.parent)
    space = services.create_space(actor=viewer, **fields)
    return Status(201, _space_detail_out(get_space_access(viewer, space)))


@router.patch(
    "/spaces/{slug}",
    response={200: SpaceDetailOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["spaces"],
    summary="Update a space (staff and hosts)",
)
def update_space(
    request: HttpRequest, payload: SpacePatchIn, slug: str = _slug_param()
) -> SpaceDetailOut:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    fields = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    space = services.update_space(actor=viewer, space=space, **fields)
    return _space_detail_out(get_space_access(viewer, space))


@router.post(
    "/spaces/{slug}/archive",
    response={200: SpaceDetailOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["spaces"],
    summary="Archive a space (staff)",
)
def archive_space(
    request: HttpRequest, payload: ArchiveIn, slug: str = _slug_param()
) -> SpaceDetailOut:
    viewer = get_actor(request)
    space = services.archive_space(
        actor=viewer, space=_find_space(viewer, slug), reason=payload.reason
    )
    return _space_detail_out(get_space_access(viewer, space))


# --- memberships -------------------------------------------------------------------------


@router.get(
    "/spaces/{slug}/members",
    response={200: MembershipPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["memberships"],
    summary="List a space's members",
)
@paginate(LimitOffsetPage)
def list_space_members(request: HttpRequest, slug: str = _slug_param()) -> Rows[Membership]:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    access = get_space_access(viewer, space)
    if not can_view_member_list(viewer, access):
        raise SpaceAccessDeniedError(access)
    return Rows(
        selectors.members_by_joining(viewer, access),
        lambda page: [_membership_out(membership) for membership in page],
    )


@router.post(
    "/spaces/{slug}/join",
    response={200: MembershipOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["memberships"],
    summary="Join a space as the acting member",
)
def join_space(request: HttpRequest, slug: str = _slug_param()) -> MembershipOut:
    viewer = get_actor(request)
    membership = services.join_space(member=viewer, space=_find_space(viewer, slug))
    return _membership_out(membership)


@router.post(
    "/spaces/{slug}/leave",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["memberships"],
    summary="Leave a space as the acting member",
)
def leave_space(request: HttpRequest, slug: str = _slug_param()) -> Status[None]:
    viewer = get_actor(request)
    services.leave_space(member=viewer, space=_find_space(viewer, slug))
    return Status(204, None)


@router.patch(
    "/spaces/{slug}/members/{member_id}",
    response={200: MembershipOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["memberships"],
    summary="Change a member's role in a space",
)
def change_member_role(
    request: HttpRequest,
    payload: RoleChangeIn,
    slug: str = _slug_param(),
    member_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> MembershipOut:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    check_manage_space(viewer, space)
    membership = services.change_member_role(
        actor=viewer,
        membership=_find_membership(space, member_id),
        role=payload.role,
        reason=payload.reason,
    )
    return _membership_out(membership)


@router.post(
    "/spaces/{slug}/members/{member_id}/remove",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["memberships"],
    summary="Remove a member from a space",
)
def remove_member(
    request: HttpRequest,
    payload: RemoveMemberIn,
    slug: str = _slug_param(),
    member_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> Status[None]:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    check_manage_space(viewer, space)
    services.remove_member(
        actor=viewer, membership=_find_membership(space, member_id), reason=payload.reason
    )
    return Status(204, None)


# --- join requests -----------------------------------------------------------------------


@router.post(
    "/spaces/{slug}/join-requests",
    response={201: JoinRequestOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["join requests"],
    summary="Apply to an application space",
)
def apply_to_space(
    request: HttpRequest, payload: ApplyIn, slug: str = _slug_param()
) -> Status[JoinRequestOut]:
    viewer = get_actor(request)
    join_request = services.apply_to_space(
        member=viewer, space=_find_space(viewer, slug), answers=payload.answers
    )
    return Status(201, _join_request_out(join_request))


@router.get(
    "/spaces/{slug}/join-requests",
    response={200: JoinRequestPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["join requests"],
    summary="List a space's pending join requests (moderators)",
)
@paginate(LimitOffsetPage)
def list_join_requests(request: HttpRequest, slug: str = _slug_param()) -> Rows[JoinRequest]:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    check_moderate_space(viewer, space)
    return Rows(
        selectors.pending_join_requests(space),
        lambda page: [_join_request_out(join_request) for join_request in page],
    )


def _decide(
    request: HttpRequest, slug: str, join_request_id: int, *, approve: bool, reason: str
) -> JoinRequestOut:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    check_moderate_space(viewer, space)
    join_request = selectors.join_request_in(space, join_request_id)
    if join_request is None:
        raise Http404
    decided = services.decide_join_request(
        actor=viewer, join_request=join_request, approve=approve, reason=reason
    )
    return _join_request_out(decided)


@router.post(
    "/spaces/{slug}/join-requests/{join_request_id}/approve",
    response={200: JoinRequestOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["join requests"],
    summary="Approve a join request",
)
def approve_join_request(
    request: HttpRequest,
    payload: DecisionIn,
    slug: str = _slug_param(),
    join_request_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> JoinRequestOut:
    return _decide(request, slug, join_request_id, approve=True, reason=payload.reason)


@router.post(
    "/spaces/{slug}/join-requests/{join_request_id}/reject",
    response={200: JoinRequestOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["join requests"],
    summary="Reject a join request, with a reason the applicant is told",
)
def reject_join_request(
    request: HttpRequest,
    payload: DecisionIn,
    slug: str = _slug_param(),
    join_request_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> JoinRequestOut:
    return _decide(request, slug, join_request_id, approve=False, reason=payload.reason)


# --- invitations -------------------------------------------------------------------------


@router.post(
    "/spaces/{slug}/invitations",
    response={201: InvitationOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["invitations"],
    summary="Invite someone to a space by email",
)
def create_invitation(
    request: HttpRequest, payload: InvitationIn, slug: str = _slug_param()
) -> Status[InvitationOut]:
    viewer = get_actor(request)
    invitation = services.invite_to_space(
        actor=viewer,
        space=_find_space(viewer, slug),
        email=payload.email,
        message=payload.message,
    )
    return Status(201, _invitation_out(invitation))


@router.get(
    "/spaces/{slug}/invitations",
    response={200: InvitationPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["invitations"],
    summary="List a space's invitations (all for managers, one's own for other inviters)",
)
@paginate(LimitOffsetPage)
def list_invitations(request: HttpRequest, slug: str = _slug_param()) -> Rows[Invitation]:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    access = get_space_access(viewer, space)
    if not (access.can_manage or access.can_invite):
        raise SpaceAccessDeniedError(access)
    return Rows(
        selectors.invitations_seen_by(viewer, access),
        lambda page: [_invitation_out(invitation) for invitation in page],
    )


@router.post(
    "/spaces/{slug}/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["invitations"],
    summary="Withdraw an invitation",
)
def revoke_invitation(
    request: HttpRequest,
    slug: str = _slug_param(),
    invitation_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> InvitationOut:
    viewer = get_actor(request)
    space = _find_space(viewer, slug)
    invitation = selectors.invitation_in(space, invitation_id)
    if invitation is None or (
        invitation.invited_by_id != viewer.pk and not get_space_access(viewer, space).can_manage
    ):
        # Someone else's invitation is not there for those who may not manage the space.
        raise Http404
    invitation = services.revoke_invitation(actor=viewer, invitation=invitation)
    return _invitation_out(invitation)


@router.post(
    "/invitations/accept",
    response={200: MembershipOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["invitations"],
    summary="Accept an invitation with the token from its link",
)
def accept_invitation(request: HttpRequest, payload: AcceptInvitationIn) -> MembershipOut:
    viewer = get_actor(request)
    membership = services.accept_invitation(member=viewer, token=payload.token)
    return _membership_out(membership)
