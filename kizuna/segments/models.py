"""Segments: saved filters over members or over customer accounts.

A segment is a list of conditions (kizuna.segments.definitions) matched all or any; the same
definition always evaluates to one SQL query (kizuna.segments.selectors). A segment with a
condition on customer economics (touch tier, ARR, custom fields) is flagged, so only staff
who may see economics see it, count it or use it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Target(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("segment target", "Members")
    ACCOUNTS = "accounts", pgettext_lazy("segment target", "Customer accounts")


class Match(models.TextChoices):
    ALL = "all", _("Every condition holds")
    ANY = "any", _("At least one condition holds")


class Segment(models.Model):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    target = models.CharField(
        _("segment of"), max_length=8, choices=Target.choices, default=Target.MEMBERS
    )
    match = models.CharField(_("match"), max_length=3, choices=Match.choices, default=Match.ALL)
    # [{"field": "account.touch_tier", "op": "in", "value": ["high"]}, …], as
    # kizuna.segments.definitions.clean_conditions leaves them.
    conditions = models.JSONField(default=list)
    # Set from the conditions on every save: touch tier, ARR or a custom field.
    uses_economics = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__in=["members", "accounts"]), name="segment_target_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(match__in=["all", "any"]), name="segment_match_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
