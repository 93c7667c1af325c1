import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.core.japanese import is_reading, to_hiragana
from kizuna.identity.models import ApiKey, Interest, Language, Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.photos import PhotoRejectedError, reencode_photo
from kizuna.identity.roles import (
    GRANTABLE_CAPABILITIES,
    Capability,
    StaffRole,
    role_has_capability,
)

MAX_INTERESTS = 10


def normalise_interest_names(raw: str | Iterable[str]) -> list[str]:
    """Split 「請求, 経費精算、API」 style input into distinct names, keeping the member's order."""
    if isinstance(raw, str):
        raw = raw.replace("、", ",").replace("，", ",").split(",")
    names: list[str] = []
    for name in raw:
        cleaned = " ".join(name.split())[:50]
        if cleaned and cleaned.casefold() not in {n.casefold() for n in names}:
            names.append(cleaned)
    if len(names) > MAX_INTERESTS:
        raise ValidationError(
            _("Choose at most %(count)d challenges or interests.") % {"count": MAX_INTERESTS}
        )
    return names


@transaction.atomic
def update_profile(
    *,
    member: Member,
    display_name: str,
    bio: str,
    company_name: str,
    job_role: str,
    language: str,
    time_zone: str,
    interests: list[str],
    listed_in_directory: bool,
    shows_company: bool,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
    name_reading: str = "",
) -> Member:
    """Save a member's own profile; the photo is re-encoded before anything is written."""
    new_photo = None
    if photo is not None:
        try:
            new_photo = reencode_photo(photo)
        except PhotoRejectedError as error:
            raise ValidationError({"photo": str(error)}) from error
    if name_reading and not is_reading(name_reading):
        raise ValidationError(
            {"name_reading": _("Write the reading in hiragana or katakana only.")}
        )
    member.display_name = display_name.strip()
    member.name_reading = to_hiragana(name_reading)
    member.bio = bio.strip()
    member.company_name = company_name.strip()
    member.job_role = job_role.strip()
    member.language = language
    member.time_zone = time_zone
    member.listed_in_directory = listed_in_directory
    member.shows_company = shows_company
    member.full_clean(exclude=["password", "photo"])
    if remove_photo and member.photo:
        member.photo.delete(save=False)
    if new_photo is not None:
        member.photo.save(f"member-{member.pk}-{secrets.token_hex(4)}.jpg", new_photo, save=False)
    member.save()
    member.interests.set([Interest.objects.get_or_create(name=name)[0] for name in interests])
    return member


@transaction.atomic
def set_staff_role(*, actor: Member, member: Member, role: str, reason: str = "") -> Member:
    """Give, change or remove (role="") a member's staff role, recorded in the audit log."""
    check_capability(actor, Capability.MANAGE_STAFF_ROLES)
    if role and role not in StaffRole.values:
        raise ValidationError({"role": _("Unknown staff role.")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.pk == actor.pk and role != StaffRole.ADMINISTRATOR:
        raise PermissionDenied(_("You cannot remove your own administrator role."))
    previous = member.staff_role
    if previous == role:
        return member
    member.staff_role = role
    member.save(update_fields=["staff_role"])
    record_audit(
        actor=actor,
        action="staff_role.changed",
        target=member,
        reason=reason,
        details={"from": previous, "to": role},
    )
    return member


@transaction.atomic
def set_granted_capability(
    *, actor: Member, member: Member, capability: Capability, granted: bool, reason: str
) -> Member:
    """Grant one staff member a capability their role lacks (GRANTABLE_CAPABILITIES), or
    withdraw it; audited with the reason. Granting what is already held changes nothing."""
    check_capability(actor, Capability.MANAGE_STAFF_ROLES)
    if capability not in GRANTABLE_CAPABILITIES:
        raise ValidationError(_("This permission cannot be granted one by one."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why; it is kept in the audit log.")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    if granted and not member.staff_role:
        raise ValidationError(
            _("Only staff members can be granted this; give them a staff role first.")
        )
    if granted and role_has_capability(member.staff_role, capability):
        raise ValidationError(_("Their staff role already includes this."))
    held = [value for value in (member.granted_capabilities or []) if value != capability.value]
    if granted:
        held.append(capability.value)
    if sorted(held) == sorted(member.granted_capabilities or []):
        return member
    member.granted_capabilities = sorted(held)
    member.save(update_fields=["granted_capabilities"])
    record_audit(
        actor=actor,
        action="staff_capability.granted" if granted else "staff_capability.withdrawn",
        target=member,
        reason=reason,
    )
    return member


def generate_api_key_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"kz_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create_api_key(*, actor: Member, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is shown once and stored only as a hash."""
    check_capability(actor, Capability.MANAGE_API_KEYS)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name so you can recognise it later.")})
    unknown = set(scopes) - set(ApiKey.Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose at least one scope from the list.")})
    prefix, secret = generate_api_key_secret()
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=ApiKey.hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=actor,
    )
    record_audit(
        actor=actor, action="api_key.created", target=api_key, details={"scopes": api_key.scopes}
    )
    return api_key, secret


@transaction.atomic
def revoke_api_key(*, actor: Member, api_key: ApiKey, reason: str = "") -> ApiKey:
    check_capability(actor, Capability.MANAGE_API_KEYS)
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = actor
        api_key.save(update_fields=["revoked_at", "revoked_by"])
        record_audit(actor=actor, action="api_key.revoked", target=api_key, reason=reason)
    return api_key


def authenticate_api_key(raw_key: str) -> ApiKey | None:
    """Return the active key for a presented secret; the creator must still be active staff."""
    if not raw_key.startswith("kz_"):
        return None
    api_key = (
        ApiKey.objects.select_related("created_by")
        .filter(key_hash=ApiKey.hash_secret(raw_key), revoked_at__isnull=True)
        .first()
    )
    if (
        api_key is None
        or not api_key.created_by.is_active
        or not api_key.created_by.is_staff_member
    ):
        return None
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return api_key


def profile_completion(member: Member) -> dict[str, Any]:
    """Which profile parts are filled in, so the member can be prompted to finish it."""
    parts = {
        "photo": bool(member.photo),
        "bio": bool(member.bio),
        "company_name": bool(member.company_name),
        "job_role": bool(member.job_role),
        "interests": member.interests.exists(),
    }
    return {"parts": parts, "percent": round(100 * sum(parts.values()) / len(parts))}


def set_member_language(*, member: Member, language: str) -> Member:
    """Save the language a member chose in the header switcher; it follows them to every device."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")})
    if member.language != language:
        member.language = language
        member.save(update_fields=["language"])
    return member
