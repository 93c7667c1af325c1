"""Every write to spaces and memberships. Each use case: authorize, validate, lock, write, audit, after-commit.

A caller that already decided the space's access for this person (a page or endpoint that
called `access_space` or a `check_*_space`) hands it over as `access=`, so a request
decides once; without it the service decides itself.
"""

import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces import tasks
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.permissions import (
    SpaceAccess,
    admits_invitee,
    check_invite_to_space,
    check_manage_space,
    check_moderate_space,
    decided_space_access,
)

COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_JOIN_QUESTIONS = 5
MAX_ANSWER_LENGTH = 1000
# Space addresses that the spaces pages use for themselves (/spaces/new/, /spaces/invitations/…).
RESERVED_SLUGS = frozenset({"new", "invitations"})


class MembershipError(ValidationError):
    """A membership change that cannot happen, with a reason a member understands."""


def _clean_space_fields(fields: dict[str, Any], *, space: Space | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    for name in ("name", "purpose", "rules"):
        cleaned[name] = str(cleaned.get(name) or "").strip()
    if not cleaned["name"]:
        errors["name"] = _("Enter a name for the space.")
    if not cleaned["purpose"]:
        errors["purpose"] = _("Write the space's purpose: members decide whether to join from it.")
    if not cleaned["rules"]:
        errors["rules"] = _("Write the space's rules: they keep it on purpose.")
    slug = (
        slugify(str(cleaned.get("slug") or ""))
        # A long name must not give an address longer than the slug column (80).
        or slugify(cleaned["name"])[:80].strip("-")
        or f"space-{secrets.token_hex(3)}"
    )
    cleaned["slug"] = slug
    if slug in RESERVED_SLUGS:
        errors["slug"] = _("This address is used by the site itself. Choose another one.")
    same_slug = Space.objects.filter(slug=slug)
    if space is not None:
        same_slug = same_slug.exclude(pk=space.pk)
    if same_slug.exists():
        errors["slug"] = _("Another space already uses this address.")
    if cleaned.get("access_type") not in AccessType.values:
        errors["access_type"] = _("Choose private, open or by application.")
    color = str(cleaned.get("color") or "#2f5d8a")
    if not COLOR_PATTERN.match(color):
        errors["color"] = _("Enter a colour such as #2f5d8a.")
    cleaned["color"] = color
    questions = [q.strip() for q in cleaned.get("join_questions") or [] if q and q.strip()]
    if len(questions) > MAX_JOIN_QUESTIONS:
        errors["join_questions"] = _("Ask at most %(count)d questions.") % {
            "count": MAX_JOIN_QUESTIONS
        }
    cleaned["join_questions"] = questions
    parent = cleaned.get("parent")
    if parent is not None:
        if parent.parent_id is not None:
            errors["parent"] = _("Sub-groups cannot have sub-groups of their own.")
        if space is not None and (parent.pk == space.pk or space.subgroups.exists()):
            errors["parent"] = _("A space with sub-groups cannot become a sub-group.")
    cleaned["description"] = str(cleaned.get("description") or "").strip()
    cleaned["icon"] = str(cleaned.get("icon") or "").strip()[:4]
    if errors:
        raise ValidationError(errors)
    return cleaned


SPACE_FIELDS = (
    "name",
    "slug",
    "description",
    "purpose",
    "rules",
    "access_type",
    "color",
    "icon",
    "parent",
    "join_questions",
)


@transaction.atomic
def create_space(*, actor: Member, **fields: Any) -> Space:
    """Create a space (or a sub-group, with parent=…); the creator becomes its host."""
    check_capability(actor, Capability.MANAGE_SPACES)
    cleaned = _clean_space_fields({k: fields.get(k) for k in SPACE_FIELDS}, space=None)
    try:
        with transaction.atomic():
            space = Space.objects.create(**cleaned)
    except IntegrityError as error:
        raise ValidationError({"slug": _("Another space already uses this address.")}) from error
    Membership.objects.create(
        space=space, member=actor, role=SpaceRole.HOST, via=Membership.Via.STAFF
    )
    record_audit(
        actor=actor,
        action="space.created",
        target=space,
        details={"access_type": space.access_type},
    )
    return space


@transaction.atomic
def update_space(
    *, actor: Member, space: Space, access: SpaceAccess | None = None, **fields: Any
) -> Space:
    check_manage_space(actor, space, access)
    space = Space.objects.select_for_update().get(pk=space.pk)
    current = {name: getattr(space, name) for name in SPACE_FIELDS}
    current.update({k: v for k, v in fields.items() if k in SPACE_FIELDS})
    cleaned = _clean_space_fields(current, space=space)
    changed = [name for name in SPACE_FIELDS if getattr(space, name) != cleaned[name]]
    for name, value in cleaned.items():
        setattr(space, name, value)
    space.save()
    if changed:
        record_audit(
            actor=actor, action="space.updated", target=space, details={"changed": changed}
        )
    return space


@transaction.atomic
def archive_space(*, actor: Member, space: Space, reason: str = "") -> Space:
    check_capability(actor, Capability.MANAGE_SPACES)
    if space.archived_at is None:
        space.archived_at = timezone.now()
        space.save(update_fields=["archived_at"])
        record_audit(actor=actor, action="space.archived", target=space, reason=reason)
    return space


def _add_member(
    *, space: Space, member: Member, via: str, role: str = SpaceRole.MEMBER
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        space=space, member=member, defaults={"via": via, "role": role}
    )
    if created:
        record_activity(
            actor=member, verb=Verb.JOINED, target=space, space_id=space.pk, details={"via": via}
        )
    return membership


@transaction.atomic
def join_space(*, member: Member, space: Space, access: SpaceAccess | None = None) -> Membership:
    """Join an open space, or a private one as a customer; idempotent for existing members."""
    access = decided_space_access(member, space, access)
    if access.membership is not None:
        return access.membership
    if not access.can_join:
        raise PermissionDenied(access.denial.value if access.denial else "join")
    return _add_member(space=space, member=member, via=Membership.Via.JOINED)


@transaction.atomic
def leave_space(*, member: Member, space: Space) -> None:
    membership = Membership.objects.select_for_update().filter(space=space, member=member).first()
    if membership is None:
        return
    if (
        membership.role == SpaceRole.HOST
        and not space.memberships.filter(role=SpaceRole.HOST).exclude(pk=membership.pk).exists()
    ):
        raise MembershipError(
            _("You are this space's only host. Make another member host before you leave.")
        )
    membership.delete()
    # Leaving a space means leaving its sub-groups too.
    Membership.objects.filter(space__parent=space, member=member).delete()


def _clean_answers(space: Space, answers: list[str]) -> list[dict[str, str]]:
    questions = list(space.join_questions)
    answers = [str(a or "").strip() for a in answers]
    answers += [""] * (len(questions) - len(answers))
    errors = {}
    for index, (question, answer) in enumerate(zip(questions, answers, strict=False)):
        if not answer:
            errors[f"answer_{index}"] = _("Answer this question: %(question)s") % {
                "question": question
            }
        elif len(answer) > MAX_ANSWER_LENGTH:
            errors[f"answer_{index}"] = _("Keep each answer under %(count)d characters.") % {
                "count": MAX_ANSWER_LENGTH
            }
    if errors:
        raise ValidationError(errors)
    return [{"question": q, "answer": a} for q, a in zip(questions, answers, strict=False)]


@transaction.atomic
def apply_to_space(
    *, member: Member, space: Space, answers: list[str], access: SpaceAccess | None = None
) -> JoinRequest:
    """Ask to join an application space, answering its questions; one pending request at a time."""
    access = decided_space_access(member, space, access)
    existing = JoinRequest.objects.filter(
        space=space, applicant=member, status=JoinRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    if access.membership is not None:
        raise MembershipError(_("You are already a member of this space."))
    if not access.can_apply:
        raise PermissionDenied(access.denial.value if access.denial else "apply")
    cleaned = _clean_answers(space, answers)
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(space=space, applicant=member, answers=cleaned)
    except IntegrityError:
        return JoinRequest.objects.get(
            space=space, applicant=member, status=JoinRequest.Status.PENDING
        )
    moderator_ids = list(
        space.memberships.filter(role__in=[SpaceRole.HOST, SpaceRole.MODERATOR]).values_list(
            "member_id", flat=True
        )
    )
    transaction.on_commit(
        lambda: tasks.notify_moderators_of_join_request.delay(request.pk, moderator_ids)
    )
    return request


@transaction.atomic
def withdraw_join_request(*, member: Member, join_request: JoinRequest) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.applicant_id != member.pk:
        raise PermissionDenied("withdraw")
    if join_request.status == JoinRequest.Status.PENDING:
        join_request.status = JoinRequest.Status.WITHDRAWN
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_at"])
    return join_request


@transaction.atomic
def decide_join_request(
    *,
    actor: Member,
    join_request: JoinRequest,
    approve: bool,
    reason: str = "",
    access: SpaceAccess | None = None,
) -> JoinRequest:
    """Approve or reject an application; a rejection needs a reason, which the applicant is told."""
    check_moderate_space(actor, join_request.space, access)
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("space", "applicant")
        .get(pk=join_request.pk)
    )
    reason = reason.strip()
    if join_request.status != JoinRequest.Status.PENDING:
        raise MembershipError(_("This request was already decided."))
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the applicant a reason for the rejection.")})
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.decision_reason = reason
    join_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if approve:
        _add_member(
            space=join_request.space, member=join_request.applicant, via=Membership.Via.APPROVAL
        )
    record_audit(
        actor=actor,
        action="join_request.approved" if approve else "join_request.rejected",
        target=join_request.space,
        reason=reason,
        details={
            "join_request_id": join_request.pk,
            "applicant_id": join_request.applicant_id,
            "applicant": str(join_request.applicant),
        },
    )
    transaction.on_commit(lambda: tasks.send_join_request_decision.delay(join_request.pk))
    return join_request


@transaction.atomic
def invite_to_space(
    *,
    actor: Member,
    space: Space,
    email: str,
    message: str = "",
    access: SpaceAccess | None = None,
) -> Invitation:
    """Invite someone by email; the invitation records who brought whom. Re-inviting refreshes it."""
    check_invite_to_space(actor, space, access)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    if Membership.objects.filter(space=space, member__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the space.")})
    expires_at = timezone.now() + timedelta(days=settings.KIZUNA_INVITATION_TTL_DAYS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(space=space, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            space=space,
            email=email,
            invited_by=actor,
            message=message.strip()[:1000],
            token=secrets.token_urlsafe(32),
            expires_at=expires_at,
        )
    else:
        invitation.expires_at = expires_at
        invitation.message = message.strip()[:1000] or invitation.message
        invitation.save(update_fields=["expires_at", "message"])
    if actor.is_staff_member:
        record_audit(
            actor=actor,
            action="invitation.sent",
            target=space,
            details={"email": email, "invitation_id": invitation.pk},
        )
    transaction.on_commit(lambda: tasks.send_invitation_email.delay(invitation.pk))
    return invitation


class InvitationError(ValidationError):
    pass


def membership_from_used_invitation(*, member: Member, invitation: Invitation) -> Membership:
    """The membership an accepted invitation gave this member, while they still hold it.

    The link admits once: someone else's used link, a closed space, or a membership the
    member has since left or been removed from is refused, and only a new invitation (or
    joining an open space) brings them back, so a removal cannot be undone with an old link.
    """
    if invitation.accepted_by_id is None or invitation.accepted_by_id != member.pk:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.space.archived_at is not None:
        raise InvitationError(_("This space has been closed."))
    membership = Membership.objects.filter(space=invitation.space, member=member).first()
    if membership is None:
        raise InvitationError(
            _(
                "You have already used this invitation and are no longer a member of this "
                "space. Ask the person who invited you for a new invitation."
            )
        )
    return membership


@transaction.atomic
def accept_invitation(*, member: Member, token: str) -> Membership:
    """Accept an invitation link: it must be open, unexpired, for this member's address, and usable once."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("space", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Ask the person who invited you for a new one.")
        )
    if invitation.accepted_at is not None:
        return membership_from_used_invitation(member=member, invitation=invitation)
    if invitation.revoked_at is not None:
        raise InvitationError(_("This invitation was withdrawn."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask the person who invited you to send it again.")
        )
    if invitation.email.lower() != member.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    space = invitation.space
    if space.archived_at is not None:
        raise InvitationError(_("This space has been closed."))
    from_staff = invitation.invited_by.is_staff_member
    if not admits_invitee(member, space, invited_by_staff=from_staff):
        raise InvitationError(
            _("This space is for customers only. Ask the community team for an invitation.")
        )
    via = Membership.Via.STAFF_INVITATION if from_staff else Membership.Via.INVITATION
    membership = Membership.objects.filter(space=space, member=member).first()
    if membership is None:
        membership = _add_member(space=space, member=member, via=via)
    invitation.accepted_by = member
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    # An application space's invitee does not need to apply any more.
    JoinRequest.objects.filter(
        space=space, applicant=member, status=JoinRequest.Status.PENDING
    ).update(
        status=JoinRequest.Status.APPROVED,
        decided_at=timezone.now(),
        decided_by=invitation.invited_by,
    )
    return membership


@transaction.atomic
def revoke_invitation(
    *, actor: Member, invitation: Invitation, access: SpaceAccess | None = None
) -> Invitation:
    if invitation.invited_by_id != actor.pk:
        check_manage_space(actor, invitation.space, access)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def change_member_role(
    *,
    actor: Member,
    membership: Membership,
    role: str,
    reason: str = "",
    access: SpaceAccess | None = None,
) -> Membership:
    """Make a member host, moderator or plain member of a space; audited."""
    check_manage_space(actor, membership.space, access)
    if role not in SpaceRole.values:
        raise ValidationError({"role": _("Choose host, moderator or member.")})
    membership = (
        Membership.objects.select_for_update()
        .select_related("space", "member")
        .get(pk=membership.pk)
    )
    previous = membership.role
    if previous == role:
        return membership
    if (
        previous == SpaceRole.HOST
        and not membership.space.memberships.filter(role=SpaceRole.HOST)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise MembershipError(_("A space needs at least one host. Make someone else host first."))
    membership.role = role
    membership.save(update_fields=["role"])
    record_audit(
        actor=actor,
        action="membership.role_changed",
        target=membership.space,
        reason=reason,
        details={
            "member_id": membership.member_id,
            "member": str(membership.member),
            "from": previous,
            "to": role,
        },
    )
    return membership


@transaction.atomic
def remove_member(
    *, actor: Member, membership: Membership, reason: str = "", access: SpaceAccess | None = None
) -> None:
    check_manage_space(actor, membership.space, access)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for removing the member.")})
    if (
        membership.role == SpaceRole.HOST
        and not membership.space.memberships.filter(role=SpaceRole.HOST)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise MembershipError(_("A space needs at least one host. Make someone else host first."))
    # As with leaving: a member removed from a space is removed from its sub-groups too.
    subgroup_memberships = Membership.objects.filter(
        space__parent=membership.space, member_id=membership.member_id
    )
    record_audit(
        actor=actor,
        action="membership.removed",
        target=membership.space,
        reason=reason,
        details={
            "member_id": membership.member_id,
            "member": str(membership.member),
            "subgroup_ids": sorted(subgroup_memberships.values_list("space_id", flat=True)),
        },
    )
    subgroup_memberships.delete()
    membership.delete()


@transaction.atomic
def add_member_as_staff(
    *, actor: Member, space: Space, member: Member, role: str = SpaceRole.MEMBER
) -> Membership:
    """Staff place a member in a space directly; in a private space this admits a non-customer."""
    check_capability(actor, Capability.MANAGE_MEMBERSHIPS)
    if not is_signed_in(member):
        raise ValidationError({"member": _("Choose an active member.")})
    membership = _add_member(space=space, member=member, via=Membership.Via.STAFF, role=role)
    record_audit(
        actor=actor,
        action="membership.added",
        target=space,
        details={"member_id": member.pk, "member": str(member), "role": role},
    )
    return membership
