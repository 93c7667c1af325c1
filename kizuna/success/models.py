"""The Customer 360's own data: which content tags mean a capability of which plan (S6).

A member of an account who asks about, reacts to or comments on content tagged with a
capability of a plan ranked above the account's own shows an expansion signal
(kizuna.success.selectors). A tag mapped to several plans belongs to the lowest of them:
a higher plan includes what the plans below it offer.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanCapabilityTag(models.Model):
    plan = models.ForeignKey(
        "customers.Plan",
        on_delete=models.CASCADE,
        related_name="capability_tags",
        verbose_name=_("plan"),
    )
    tag = models.ForeignKey(
        "content.Tag", on_delete=models.CASCADE, related_name="+", verbose_name=_("tag")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan__rank", "tag__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "tag"], name="plan_capability_tag_once")
        ]
        indexes = [models.Index(fields=["tag", "plan"], name="capability_tag_plan")]

    def __str__(self) -> str:
        return f"{self.plan} → {self.tag}"
