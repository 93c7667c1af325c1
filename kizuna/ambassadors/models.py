"""The ambassador programme's roster (seed 004: high touch × community).

One row per member who has ever been an ambassador; a retired ambassador keeps their row (with
when and why), and adding them again makes the same row active. Issue 13 adds the steps before
"active" (nominated, invited, accepted) and the perks as new statuses and tables beside this one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Ambassador(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("ambassador status", "Active")
        RETIRED = "retired", pgettext_lazy("ambassador status", "Retired")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ambassador",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    since = models.DateField(_("ambassador since"), default=timezone.localdate)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    retired_at = models.DateTimeField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retiring"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-since", "pk"]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
