from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class CustomerAccount(models.Model):
    """A customer company. S6 adds plan, ARR, renewal and health later."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CHURNED = "churned", _("Churned")

    name = models.CharField(_("name"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_in_good_standing(self) -> bool:
        return self.status == self.Status.ACTIVE


class AccountDomain(models.Model):
    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("email domain"), max_length=253)

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(Lower("domain"), name="account_domain_unique_ci")]

    def __str__(self) -> str:
        return self.domain


class MemberAccountLink(models.Model):
    """Which customer account a member belongs to, and how we know."""

    class Source(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", _("Verified email domain")
        STAFF = "staff", _("Linked by staff")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_link"
    )
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, related_name="member_links"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.member} → {self.account}"
