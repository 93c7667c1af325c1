from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One staff action, kept forever: who did what to which object, and why.

    It lives in the shared kernel because every domain app records its staff
    actions here (docs/adr/0002-audit-log-in-core.md).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"


class IdempotencyKey(models.Model):
    """A repeatable write's key (a form's token, an API retry's key), claimed in the write's own
    transaction, so a repeat gets the first result back; see kizuna/core/idempotency.py.

    In the database rather than the cache: a cache entry expires or vanishes with a flush, and a
    repeat after that would write twice.
    """

    scope = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    # The row the first request created; its model is the scope's.
    result_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "actor", "key"], name="core_idempotency_key_once_per_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
