"""Materials and recordings of an event: slides, recordings and other files or links that those
who run the event add after it (or before), shown on the event page to whoever sees the event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.events.access import EventAccess
from kizuna.events.models import EventMaterial, MaterialKind
from kizuna.identity.models import Member

MAX_MATERIAL_BYTES = 50 * 1024 * 1024


def add_material(
    *,
    actor: Member,
    access: EventAccess,
    title: str,
    kind: str,
    url: str = "",
    file: UploadedFile | None = None,
) -> EventMaterial:
    """Add one material: a link or an uploaded file (exactly one of them)."""
    if not access.can_manage:
        raise PermissionDenied("manage_event")
    errors: dict[str, str] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = _("Give the material a title.")
    if kind not in MaterialKind.values:
        errors["kind"] = _("Choose slides, recording or other.")
    if bool(url) == (file is not None):
        errors["url"] = _("Give either a link or a file, not both.")
    if file is not None and file.size is not None and file.size > MAX_MATERIAL_BYTES:
        errors["file"] = _("The file is larger than 50 MB. Share a link to it instead.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        material = EventMaterial(
            event=access.event, title=title[:200], kind=kind, url=url, added_by=actor
        )
        if file is not None:
            material.file.save(file.name or "material", file, save=False)
        material.save()
        record_audit(
            actor=actor,
            action="events.material_added",
            target=access.event,
            details={"title": title},
        )
    return material


def remove_material(*, actor: Member, access: EventAccess, material_id: int) -> None:
    """Take a material off the event; removing one already gone changes nothing."""
    if not access.can_manage:
        raise PermissionDenied("manage_event")
    with transaction.atomic():
        material = EventMaterial.objects.filter(pk=material_id, event=access.event).first()
        if material is None:
            return
        record_audit(
            actor=actor,
            action="events.material_removed",
            target=access.event,
            details={"title": material.title},
        )
        material.delete()
