import hashlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.identity.roles import (
    GRANTABLE_CAPABILITIES,
    Capability,
    StaffRole,
    role_has_capability,
)

TIME_ZONE_CHOICES = [
    ("Asia/Tokyo", "Asia/Tokyo"),
    ("UTC", "UTC"),
    ("Asia/Seoul", "Asia/Seoul"),
    ("Asia/Shanghai", "Asia/Shanghai"),
    ("Asia/Singapore", "Asia/Singapore"),
    ("America/Los_Angeles", "America/Los_Angeles"),
    ("America/New_York", "America/New_York"),
    ("Europe/London", "Europe/London"),
    ("Europe/Berlin", "Europe/Berlin"),
]


class Language(models.TextChoices):
    JAPANESE = "ja", "日本語"
    ENGLISH = "en", "English"


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "Member":
        if not email:
            raise ValueError("An email address is required")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "Member":
        fields.setdefault("is_superuser", True)
        fields.setdefault("staff_role", StaffRole.ADMINISTRATOR)
        return self.create_user(email, password, **fields)


class Interest(models.Model):
    """A challenge or interest (課題・関心) members tag themselves with."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    # In hiragana (kizuna.core.japanese.to_hiragana): lists sort and search by it.
    name_reading = models.CharField(_("reading of the name"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    company_name = models.CharField(_("company"), max_length=120, blank=True)
    job_role = models.CharField(_("job role"), max_length=120, blank=True)
    interests = models.ManyToManyField(
        Interest, blank=True, related_name="members", verbose_name=_("challenges and interests")
    )
    listed_in_directory = models.BooleanField(_("list me in the member directory"), default=True)
    shows_company = models.BooleanField(_("show my company to other members"), default=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.JAPANESE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Tokyo"
    )
    staff_role = models.CharField(
        _("staff role"), max_length=32, choices=StaffRole.choices, blank=True, db_index=True
    )
    # Capabilities granted beyond the role (GRANTABLE_CAPABILITIES), e.g. a marketer shown ARR.
    granted_capabilities = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[MemberManager] = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def name(self) -> str:
        return str(self)

    @property
    def public_company_name(self) -> str:
        """The company other members may see: empty when the member keeps it to themselves."""
        return self.company_name if self.shows_company else ""

    @property
    def is_staff(self) -> bool:
        """Only administrators may open the Django admin, the operators' back door."""
        return self.is_superuser or self.staff_role == StaffRole.ADMINISTRATOR

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_role)

    def has_capability(self, capability: Capability) -> bool:
        return (
            bool(self.staff_role)
            and self.is_active
            and (
                role_has_capability(self.staff_role, capability)
                or (
                    capability in GRANTABLE_CAPABILITIES
                    and capability.value in (self.granted_capabilities or [])
                )
            )
        )

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()


class ApiKey(models.Model):
    """A scoped key an integration uses; it acts as the staff member who created it."""

    class Scope(models.TextChoices):
        SPACES_READ = "spaces:read", _("Read spaces and memberships")
        SPACES_WRITE = "spaces:write", _("Manage spaces, memberships and invitations")
        MEMBERS_READ = "members:read", _("Read members")
        ACCOUNTS_READ = "accounts:read", _("Read customer accounts")
        ACCOUNTS_WRITE = "accounts:write", _("Manage customer accounts and links")
        CONTENT_READ = "content:read", _("Read posts, answers, comments and search")
        CONTENT_WRITE = (
            "content:write",
            _("Write posts, answers and comments; react, bookmark, follow"),
        )
        MODERATION_READ = "moderation:read", _("Read the review queue")
        MODERATION_WRITE = "moderation:write", _("Act on the review queue and flag content")
        NOTIFICATIONS_READ = "notifications:read", _("Read notifications")
        NOTIFICATIONS_WRITE = "notifications:write", _("Mark notifications read")
        RECOGNITION_READ = (
            "recognition:read",
            _("Read points, ledgers, levels, badges, leaderboards and redemptions"),
        )
        RECOGNITION_WRITE = "recognition:write", _("Redeem rewards with the acting member's points")
        SUCCESS_READ = "success:read", _("Read touch tiers, plays, segments and custom fields")
        SUCCESS_WRITE = (
            "success:write",
            _("Work plays; manage segments, touch tiers and custom fields"),
        )

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="api_keys")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_secret(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()
