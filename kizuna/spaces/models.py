from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessType(models.TextChoices):
    PRIVATE = "private", _("Private (customers only)")
    OPEN = "open", pgettext_lazy("space access type", "Open")
    APPLICATION = "application", _("By application")


class Space(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    purpose = models.TextField(_("purpose"), max_length=2000)
    rules = models.TextField(_("rules"), max_length=5000)
    access_type = models.CharField(
        _("access type"), max_length=16, choices=AccessType.choices, default=AccessType.OPEN
    )
    color = models.CharField(_("colour"), max_length=7, default="#2f5d8a")
    icon = models.CharField(
        _("icon"), max_length=4, blank=True, help_text=_("One emoji or character")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        verbose_name=_("parent space"),
    )
    join_questions = models.JSONField(_("questions for applicants"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="space_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(access_type__in=["private", "open", "application"]),
                name="space_access_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_subgroup(self) -> bool:
        return self.parent_id is not None


class SpaceRole(models.TextChoices):
    HOST = "host", _("Host / leader")
    MODERATOR = "moderator", pgettext_lazy("space role", "Moderator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    class Via(models.TextChoices):
        JOINED = "joined", pgettext_lazy("how they joined", "Joined")
        INVITATION = "invitation", _("Invitation")
        STAFF_INVITATION = "staff_invitation", _("Invitation from staff")
        APPROVAL = "approval", _("Approved application")
        STAFF = "staff", _("Added by staff")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=SpaceRole.choices, default=SpaceRole.MEMBER
    )
    via = models.CharField(max_length=20, choices=Via.choices, default=Via.JOINED)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["space", "member"], name="membership_unique")
        ]
        indexes = [models.Index(fields=["member", "space"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.space}"

    @property
    def was_granted_by_staff(self) -> bool:
        """Staff-granted memberships let non-customers into private spaces."""
        return self.via in {self.Via.STAFF, self.Via.STAFF_INVITATION}


class Invitation(models.Model):
    """An emailed invitation; it is also the referral record of who brought whom."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.space}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", pgettext_lazy("join request status", "Approved")
        REJECTED = "rejected", pgettext_lazy("join request status", "Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    answers = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "applicant"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.space} ({self.status})"
