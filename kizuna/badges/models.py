"""Badges (S4 item 4): what a member can earn, and who earned it.

A badge is either automatic (a criterion in `criteria.py` decides, a background task
awards it) or staff-awarded (a community manager awards it with a reason). An award
names a member, never the space or content it came from, so badge pages reveal
nothing about private spaces.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BadgeKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    STAFF_AWARDED = "staff_awarded", _("Awarded by staff")


class BadgeIcon(models.TextChoices):
    STAR = "star", _("Star")
    MEDAL = "medal", _("Medal")
    CHECK = "check", _("Check mark")
    CHAT = "chat", _("Speech bubble")
    BOOK = "book", _("Book")
    PERSON = "person", _("Person")
    CALENDAR = "calendar", _("Calendar")
    MICROPHONE = "microphone", _("Microphone")


class Badge(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_ja = models.TextField(_("description (Japanese)"), max_length=1000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=1000, blank=True)
    icon = models.CharField(_("icon"), max_length=16, choices=BadgeIcon.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=BadgeKind.choices)
    # The key of a function in kizuna.badges.criteria; automatic badges only.
    criterion = models.CharField(_("criterion"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="staff_awarded", criterion="")
                | (Q(kind="automatic") & ~Q(criterion="")),
                name="badge_criterion_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        """The name in the active language; Japanese unless the page is in English."""
        if (get_language() or "ja").startswith("en"):
            return self.name_en or self.name_ja
        return self.name_ja or self.name_en

    @property
    def description(self) -> str:
        if (get_language() or "ja").startswith("en"):
            return self.description_en or self.description_ja
        return self.description_ja or self.description_en

    @property
    def is_automatic(self) -> bool:
        return self.kind == BadgeKind.AUTOMATIC


class BadgeAward(models.Model):
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    # None for automatic awards.
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["badge", "member"], name="badge_award_once")]
        indexes = [
            models.Index(fields=["badge", "-created_at"], name="badge_award_holders"),
            models.Index(fields=["member", "-created_at"], name="badge_award_member"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} → {self.member_id}"
