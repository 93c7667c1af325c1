"""Customer accounts with their economics, custom fields, contacts and the history of changes.

Money is stored as integers in the currency's minor unit (yen for JPY, cents for USD) so sums
are exact; `kizuna.customers.money` formats it. The effective touch tier is stored on the
account (recomputed by `kizuna.customers.tiers` when figures, bands or overrides change) so
segments and plays filter on it in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LifecycleStage(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ADOPTION = "adoption", _("Adoption")
    EXPANSION = "expansion", pgettext_lazy("lifecycle stage", "Expansion")
    RENEWAL = "renewal", pgettext_lazy("lifecycle stage", "Renewal")
    AT_RISK = "at_risk", pgettext_lazy("lifecycle stage", "At risk")
    CHURNED = "churned", pgettext_lazy("lifecycle stage", "Churned")


class TouchTier(models.TextChoices):
    HIGH = "high", _("High touch")
    LOW = "low", _("Low touch")
    TECH = "tech", _("Tech touch")


class EmployeeBand(models.TextChoices):
    UNDER_50 = "1-49", _("1–49 employees")
    UNDER_300 = "50-299", _("50–299 employees")
    UNDER_1000 = "300-999", _("300–999 employees")
    UNDER_5000 = "1000-4999", _("1,000–4,999 employees")
    LARGE = "5000+", _("5,000 or more employees")


class Plan(models.Model):
    """A plan the vendor sells; `rank` orders them from the smallest up."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class CustomerAccount(models.Model):
    """A customer company: who it is, what it pays, when it renews, who looks after it."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("account status", "Active")
        CHURNED = "churned", pgettext_lazy("account status", "Churned")

    name = models.CharField(_("name"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("plan"),
    )
    currency = models.CharField(_("currency"), max_length=3, default="JPY")
    arr_minor = models.BigIntegerField(_("ARR"), null=True, blank=True)
    mrr_minor = models.BigIntegerField(_("MRR"), null=True, blank=True)
    # LTV as the CRM exported it; when empty, LTV is ARR × expected lifetime (kizuna.customers.money).
    ltv_minor = models.BigIntegerField(_("LTV"), null=True, blank=True)
    expected_lifetime_months = models.PositiveSmallIntegerField(
        _("expected lifetime in months"), null=True, blank=True
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    renewal_date = models.DateField(_("renewal date"), null=True, blank=True, db_index=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=16,
        choices=LifecycleStage.choices,
        default=LifecycleStage.ONBOARDING,
        db_index=True,
    )
    csm_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
        verbose_name=_("CSM owner"),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    employee_band = models.CharField(
        _("employees"), max_length=16, choices=EmployeeBand.choices, blank=True
    )
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    salesforce_id = models.CharField(_("Salesforce account ID"), max_length=32, blank=True)
    hubspot_id = models.CharField(_("HubSpot company ID"), max_length=32, blank=True)
    is_strategic = models.BooleanField(_("strategic account"), default=False)
    tier_override = models.CharField(
        _("tier set by hand"), max_length=8, choices=TouchTier.choices, blank=True
    )
    tier_override_reason = models.CharField(_("reason for the tier"), max_length=300, blank=True)
    touch_tier = models.CharField(
        _("touch tier"),
        max_length=8,
        choices=TouchTier.choices,
        default=TouchTier.TECH,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="account_external_id"
            ),
            models.UniqueConstraint(
                fields=["salesforce_id"], condition=~Q(salesforce_id=""), name="account_sfdc_id"
            ),
            models.UniqueConstraint(
                fields=["hubspot_id"], condition=~Q(hubspot_id=""), name="account_hubspot_id"
            ),
            models.CheckConstraint(
                condition=Q(arr_minor__isnull=True) | Q(arr_minor__gte=0), name="account_arr_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(mrr_minor__isnull=True) | Q(mrr_minor__gte=0), name="account_mrr_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(ltv_minor__isnull=True) | Q(ltv_minor__gte=0), name="account_ltv_gte_0"
            ),
        ]
        indexes = [models.Index(fields=["csm_owner", "touch_tier"], name="account_owner_tier")]

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


class Contact(models.Model):
    """A person at a customer company as the CRM knows them; `member` once they have joined."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_contacts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="contact_email_unique_ci"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="contact_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email


class CustomField(models.Model):
    """A field staff add to accounts: filterable in lists and segments like the built-in ones."""

    class Kind(models.TextChoices):
        TEXT = "text", pgettext_lazy("custom field kind", "Text")
        NUMBER = "number", pgettext_lazy("custom field kind", "Number")
        DATE = "date", pgettext_lazy("custom field kind", "Date")
        CHOICE = "choice", pgettext_lazy("custom field kind", "Choice")

    key = models.SlugField(_("key"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class CustomFieldValue(models.Model):
    """One account's value for one custom field, in the column its kind uses (so SQL compares it)."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, related_name="custom_values"
    )
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    text_value = models.CharField(max_length=500, blank=True)
    number_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    date_value = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "field"], name="custom_value_once")
        ]
        indexes = [models.Index(fields=["field", "number_value"], name="custom_value_number")]

    def __str__(self) -> str:
        return f"{self.field_id}={self.text_value or self.number_value or self.date_value}"


class AccountChange(models.Model):
    """The history of an account's fields: who changed what, when, from what, and how."""

    class Source(models.TextChoices):
        FORM = "form", _("Edited on the account page")
        IMPORT = "import", _("CSV import")
        API = "api", pgettext_lazy("change source", "API")
        SYSTEM = "system", _("Recalculated by Kizuna")

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=60)
    old_value = models.CharField(max_length=500, blank=True)
    new_value = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["account", "-changed_at"], name="account_change_recent")]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class TierSettings(models.Model):
    """The vendor's touch-tier bands (seed 004): one row, edited by staff.

    An account at or above `high_from_minor` is high touch, at or above `low_from_minor` low
    touch, else tech touch, measured by ARR or LTV in `currency`; strategic accounts go one up.
    Capacities are how many accounts of each tier one CSM is meant to carry.
    """

    class Basis(models.TextChoices):
        ARR = "arr", _("ARR")
        LTV = "ltv", _("LTV")

    basis = models.CharField(
        _("measured by"), max_length=4, choices=Basis.choices, default=Basis.ARR
    )
    currency = models.CharField(_("currency"), max_length=3, default="JPY")
    high_from_minor = models.BigIntegerField(_("high touch from"), default=10_000_000)
    low_from_minor = models.BigIntegerField(_("low touch from"), default=1_200_000)
    default_lifetime_months = models.PositiveSmallIntegerField(
        _("expected lifetime in months when an account has none"), default=36
    )
    high_capacity = models.PositiveIntegerField(_("high-touch accounts per CSM"), default=15)
    low_capacity = models.PositiveIntegerField(_("low-touch accounts per CSM"), default=80)
    tech_capacity = models.PositiveIntegerField(_("tech-touch accounts per CSM"), default=1000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(high_from_minor__gt=models.F("low_from_minor")),
                name="tier_high_above_low",
            ),
            models.CheckConstraint(condition=Q(low_from_minor__gte=0), name="tier_low_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.basis} ≥ {self.high_from_minor} / {self.low_from_minor}"
