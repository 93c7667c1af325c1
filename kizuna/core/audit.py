from typing import Any

from django.db import models

from kizuna.core.models import AuditEntry


def record_audit(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the audit log; callers run it inside their own transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        reason=reason,
        details=details or {},
    )
