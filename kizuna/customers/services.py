"""Writes to customer accounts, their contacts, plans and custom fields; each checks the actor.

Every write here runs in one transaction, refuses an actor without the capability, and turns a
clash with a unique value into a field error in words.
"""

import re
from decimal import Decimal
from typing import Any

import tablib  # type: ignore[import-untyped]
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.core.audit import record_audit
from kizuna.customers.economics import apply_account_values
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    Contact,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    LifecycleStage,
    MemberAccountLink,
    Plan,
)
from kizuna.customers.money import computed_ltv, to_major
from kizuna.customers.permissions import ECONOMICS_DENIED, can_view_economics, is_economic_field
from kizuna.customers.selectors import (
    custom_fields_by_key,
    custom_value,
    find_account_by_domain,
    verified_member_with_email,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Addresses at these providers say nothing about the member's employer.
PUBLIC_MAIL_DOMAINS = frozenset(
    {"gmail.com", "yahoo.co.jp", "outlook.com", "hotmail.com", "icloud.com", "outlook.jp"}
)
CRM_ID_FIELDS = ("external_id", "salesforce_id", "hubspot_id")


def clean_domains(raw: str | list[str]) -> list[str]:
    items = raw.replace("、", ",").replace("\n", ",").split(",") if isinstance(raw, str) else raw
    domains = []
    for item in items:
        domain = item.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            raise ValidationError(
                {
                    "domains": _("“%(domain)s” is not an email domain such as example.co.jp.")
                    % {"domain": domain}
                }
            )
        if domain in PUBLIC_MAIL_DOMAINS:
            raise ValidationError(
                {
                    "domains": _(
                        "“%(domain)s” is a public mail service and cannot identify a company."
                    )
                    % {"domain": domain}
                }
            )
        if domain not in domains:
            domains.append(domain)
    return domains


def _verified_members_at(domains: list[str]) -> list[Member]:

    member_ids = set()
    for domain in domains:
        member_ids |= set(
            EmailAddress.objects.filter(verified=True, email__iendswith="@" + domain).values_list(
                "user_id", flat=True
            )
        )
    return list(Member.objects.filter(pk__in=member_ids, account_link__isnull=True))


def _check_crm_ids(values: dict[str, Any], account: CustomerAccount | None) -> None:
    """A CRM id another account already has is a field error, not an IntegrityError."""
    errors = {}
    for field in CRM_ID_FIELDS:
        wanted = values.get(field)
        if not wanted:
            continue
        others = CustomerAccount.objects.filter(**{field: wanted})
        if account is not None and account.pk is not None:
            others = others.exclude(pk=account.pk)
        if clash := others.first():
            errors[field] = _("%(account)s already has this ID.") % {"account": clash.name}
    if errors:
        raise ValidationError(errors)


def _stage_for_status(status: str, account: CustomerAccount | None) -> str | None:
    """The lifecycle stage an old-style status asks for (churned ⇔ the churned stage)."""
    current = account.lifecycle_stage if account is not None else LifecycleStage.ONBOARDING
    if status == CustomerAccount.Status.CHURNED and current != LifecycleStage.CHURNED:
        return LifecycleStage.CHURNED.value
    if status == CustomerAccount.Status.ACTIVE and current == LifecycleStage.CHURNED:
        return LifecycleStage.ADOPTION.value
    return None


@transaction.atomic
def save_account(
    *,
    actor: Member,
    name: str,
    domains: str | list[str] | None = None,
    status: str = "",
    account: CustomerAccount | None = None,
    values: dict[str, Any] | None = None,
    source: str = AccountChange.Source.FORM,
) -> CustomerAccount:
    """Create or update an account with its fields, domains and custom fields.

    `values` are typed (as `economics.clean_account_values` or the form gives them), keyed by
    field name and ``custom:<key>``; only the fields named change. Each changed field gets a
    history row (`source`), the touch tier follows, members already verified at a new domain
    are linked. Economic fields from an actor who may not see them are refused. A repeat of
    the same save changes nothing and writes nothing, not even an audit entry.
    """
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    values = dict(values or {})
    if any(is_economic_field(field) for field in values) and not can_view_economics(actor):
        raise PermissionDenied(ECONOMICS_DENIED)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the company name.")})
    if status and status not in CustomerAccount.Status.values:
        raise ValidationError({"status": _("Choose active or churned.")})
    if account is not None:
        account = CustomerAccount.objects.select_for_update().get(pk=account.pk)
    if status and "lifecycle_stage" not in values:
        stage = _stage_for_status(status, account)
        if stage is not None:
            values["lifecycle_stage"] = stage
    current_domains = (
        sorted(account.domains.values_list("domain", flat=True)) if account is not None else []
    )
    wanted = current_domains if domains is None else clean_domains(domains)
    taken = AccountDomain.objects.filter(domain__in=wanted)
    if account is not None:
        taken = taken.exclude(account=account)
    if clash := taken.select_related("account").first():
        raise ValidationError(
            {
                "domains": _("%(domain)s already belongs to %(account)s.")
                % {"domain": clash.domain, "account": clash.account.name}
            }
        )
    same_name = CustomerAccount.objects.filter(name__iexact=name)
    if account is not None:
        same_name = same_name.exclude(pk=account.pk)
    if same_name.exists():
        raise ValidationError({"name": _("An account with this name already exists.")})
    _check_crm_ids(values, account)
    is_new = account is None
    previous_status = None if account is None else account.status
    if account is None:
        account = CustomerAccount()
    try:
        with transaction.atomic():
            changed = apply_account_values(
                account, {"name": name, **values}, actor=actor, source=source
            )
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("An account with this name or one of these IDs already exists.")}
        ) from error
    domains_changed = sorted(wanted) != current_domains
    if domains_changed:
        account.domains.exclude(domain__in=wanted).delete()
        for domain in wanted:
            AccountDomain.objects.get_or_create(account=account, domain=domain)
        for member in _verified_members_at(wanted):
            MemberAccountLink.objects.create(
                member=member, account=account, source=MemberAccountLink.Source.EMAIL_DOMAIN
            )
    if is_new or changed or domains_changed:
        record_audit(
            actor=actor,
            action="account.created" if is_new else "account.updated",
            target=account,
            details={
                "domains": wanted,
                "status": account.status,
                "previous_status": previous_status,
            },
        )
    return account


@transaction.atomic
def link_member_to_account(
    *, actor: Member, member: Member, account: CustomerAccount, reason: str = ""
) -> MemberAccountLink:
    """Staff link a member to an account by hand (e.g. a personal address, a partner)."""
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link, _created = MemberAccountLink.objects.update_or_create(
        member=member,
        defaults={"account": account, "source": MemberAccountLink.Source.STAFF, "linked_by": actor},
    )
    record_audit(
        actor=actor,
        action="account.member_linked",
        target=account,
        reason=reason,
        details={"member_id": member.pk, "member": str(member)},
    )
    return link


@transaction.atomic
def unlink_member_from_account(*, actor: Member, member: Member, reason: str = "") -> None:
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link = MemberAccountLink.objects.select_related("account").filter(member=member).first()
    if link is None:
        return
    account = link.account
    link.delete()
    record_audit(
        actor=actor,
        action="account.member_unlinked",
        target=account,
        reason=reason,
        details={"member_id": member.pk, "member": str(member)},
    )


def link_member_by_verified_email(*, member: Member, email: str) -> MemberAccountLink | None:
    """Called when a member verifies an address: a match with an account's domain links them."""
    if MemberAccountLink.objects.filter(member=member).exists():
        return None
    account = find_account_by_domain(email.rsplit("@", 1)[-1])
    if account is None:
        return None
    link, _created = MemberAccountLink.objects.get_or_create(
        member=member,
        defaults={"account": account, "source": MemberAccountLink.Source.EMAIL_DOMAIN},
    )
    return link


# Upserts by the CRM's id (the API's PUT) ---------------------------------------------------


@transaction.atomic
def upsert_account_by_external_id(
    *,
    actor: Member,
    external_id: str,
    name: str | None = None,
    domains: list[str] | None = None,
    values: dict[str, Any] | None = None,
    source: str = AccountChange.Source.API,
) -> tuple[CustomerAccount, bool]:
    """Create the account the CRM knows by `external_id`, or update it; True when created.

    Only the fields given change, so sending the same record twice changes nothing the
    second time (no history row, no audit entry).
    """
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    external_id = external_id.strip()
    if not external_id:
        raise ValidationError({"external_id": _("Give the CRM's ID of the account.")})
    account = CustomerAccount.objects.select_for_update().filter(external_id=external_id).first()
    if account is None and not (name or "").strip():
        raise ValidationError({"name": _("Enter the company name to create the account.")})
    saved = save_account(
        actor=actor,
        account=account,
        name=name if name is not None else account.name,  # type: ignore[union-attr]
        domains=domains,
        values={**(values or {}), "external_id": external_id},
        source=source,
    )
    return saved, account is None


# Contacts ----------------------------------------------------------------------------------

CONTACT_FIELDS = ("email", "full_name", "title", "phone", "external_id", "is_primary")


def _clean_contact_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        if field not in CONTACT_FIELDS:
            continue
        if field == "is_primary":
            cleaned[field] = bool(value)
        else:
            cleaned[field] = ("" if value is None else str(value)).strip()
    if "email" in cleaned:
        email = cleaned["email"]
        if not email:
            raise ValidationError({"email": _("Enter the contact's email address.")})
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError(
                {"email": _("Enter an email address such as name@example.co.jp.")}
            ) from error
        local, _at, domain = email.rpartition("@")
        cleaned["email"] = f"{local}@{domain.lower()}"
    return cleaned


def _check_contact_clashes(values: dict[str, Any], contact: Contact | None) -> None:
    others = Contact.objects.select_related("account")
    if contact is not None and contact.pk is not None:
        others = others.exclude(pk=contact.pk)
    if values.get("email") and (clash := others.filter(email__iexact=values["email"]).first()):
        raise ValidationError(
            {
                "email": _("%(email)s is already a contact of %(account)s.")
                % {"email": clash.email, "account": clash.account.name}
            }
        )
    if values.get("external_id") and (
        clash := others.filter(external_id=values["external_id"]).first()
    ):
        raise ValidationError(
            {
                "external_id": _("A contact of %(account)s already has this ID.")
                % {"account": clash.account.name}
            }
        )


@transaction.atomic
def save_contact(
    *,
    actor: Member,
    account: CustomerAccount,
    values: dict[str, Any],
    contact: Contact | None = None,
) -> Contact:
    """Add a contact to an account or change one; only the fields named change.

    A contact whose address a member has verified is linked to that member (and when a member
    verifies it later, `link_contacts_by_verified_email` links them then). One main contact
    per account: making one main makes the others not. A save that changes nothing writes
    nothing.
    """
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    cleaned = _clean_contact_values(values)
    is_new = contact is None
    if contact is None:
        if "email" not in cleaned:
            raise ValidationError({"email": _("Enter the contact's email address.")})
        contact = Contact(account=account)
    else:
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _check_contact_clashes(cleaned, contact)
    changed = [field for field, value in cleaned.items() if getattr(contact, field) != value]
    if contact.account_id != account.pk:
        contact.account = account
        changed.append("account")
    if not changed and not is_new:
        return contact
    for field in changed:
        if field != "account":
            setattr(contact, field, cleaned[field])
    if is_new or "email" in changed:
        contact.member = verified_member_with_email(contact.email)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("A contact with this email address or ID already exists.")}
        ) from error
    if contact.is_primary and (is_new or "is_primary" in changed):
        Contact.objects.filter(account=contact.account, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)
    record_audit(
        actor=actor,
        action="account.contact_added" if is_new else "account.contact_changed",
        target=contact.account,
        details={"email": contact.email, "changed": sorted(changed)},
    )
    return contact


@transaction.atomic
def delete_contact(*, actor: Member, contact: Contact) -> None:
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    account = contact.account
    email = contact.email
    deleted, _rows = Contact.objects.filter(pk=contact.pk).delete()
    if deleted:
        record_audit(
            actor=actor,
            action="account.contact_removed",
            target=account,
            details={"email": email},
        )


@transaction.atomic
def upsert_contact_by_external_id(
    *,
    actor: Member,
    external_id: str,
    account: CustomerAccount | None,
    values: dict[str, Any],
) -> tuple[Contact, bool]:
    """Create the contact the CRM knows by `external_id`, or update it; True when created."""
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    external_id = external_id.strip()
    if not external_id:
        raise ValidationError({"external_id": _("Give the CRM's ID of the contact.")})
    contact = (
        Contact.objects.select_for_update()
        .select_related("account")
        .filter(external_id=external_id)
        .first()
    )
    target = account or (contact.account if contact is not None else None)
    if target is None:
        raise ValidationError(
            {"account_id": _("Say which account the contact belongs to to create it.")}
        )
    saved = save_contact(
        actor=actor,
        account=target,
        contact=contact,
        values={**values, "external_id": external_id},
    )
    return saved, contact is None


def link_contacts_by_verified_email(*, member: Member, email: str) -> int:
    """A member verified `email`: the contacts with that address (not yet anyone's) are theirs."""
    return Contact.objects.filter(email__iexact=email.strip(), member__isnull=True).update(
        member=member
    )


# Plans -------------------------------------------------------------------------------------


def _check_plan_name(name: str, plan: Plan | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the plan a name.")})
    same = Plan.objects.filter(name__iexact=name)
    if plan is not None:
        same = same.exclude(pk=plan.pk)
    if same.exists():
        raise ValidationError({"name": _("There is already a plan with this name.")})
    return name


@transaction.atomic
def create_plan(*, actor: Member, name: str, description: str = "") -> Plan:
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    name = _check_plan_name(name, None)
    last = Plan.objects.select_for_update().order_by("-rank").values_list("rank", flat=True)
    plan = Plan.objects.create(
        name=name, description=description.strip(), rank=(last.first() or 0) + 1
    )
    record_audit(actor=actor, action="plan.created", target=plan)
    return plan


@transaction.atomic
def update_plan(*, actor: Member, plan: Plan, name: str, description: str = "") -> Plan:
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    name = _check_plan_name(name, plan)
    description = description.strip()
    if (plan.name, plan.description) == (name, description):
        return plan
    previous = plan.name
    plan.name, plan.description = name, description
    plan.save(update_fields=["name", "description"])
    record_audit(
        actor=actor,
        action="plan.updated",
        target=plan,
        details={"from": previous, "to": plan.name},
    )
    return plan


@transaction.atomic
def move_plan(*, actor: Member, plan: Plan, direction: str) -> Plan:
    """Move a plan one place up (towards the smallest) or down; ranks become 1, 2, 3 …"""
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a plan up or down."))
    plans = list(Plan.objects.select_for_update().order_by("rank", "name", "pk"))
    index = next((i for i, each in enumerate(plans) if each.pk == plan.pk), None)
    if index is None:
        raise ValidationError(_("This plan no longer exists."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(plans):
        plans[index], plans[other] = plans[other], plans[index]
    for rank, each in enumerate(plans, start=1):
        if each.rank != rank:
            each.rank = rank
            each.save(update_fields=["rank"])
    moved = plans[other] if 0 <= other < len(plans) else plans[index]
    if 0 <= other < len(plans):
        record_audit(actor=actor, action="plan.reordered", target=moved, details={"to": moved.rank})
    return moved


@transaction.atomic
def delete_plan(*, actor: Member, plan: Plan) -> None:
    """Delete a plan no account is on; otherwise say how many are and change nothing."""
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    in_use = CustomerAccount.objects.filter(plan=plan).count()
    if in_use:
        raise ValidationError(
            ngettext(
                "%(count)d account is on %(plan)s; move it to another plan before you "
                "delete this one.",
                "%(count)d accounts are on %(plan)s; move them to another plan before you "
                "delete this one.",
                in_use,
            )
            % {"count": in_use, "plan": plan.name}
        )
    record_audit(actor=actor, action="plan.deleted", target=plan)
    plan.delete()


# Custom fields -----------------------------------------------------------------------------

CUSTOM_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_CHOICES = 100


def key_from_label(label: str) -> str:
    """A key for a Latin label (“Contract type” → contract_type); "" when there is none."""
    key = slugify(label).replace("-", "_").strip("_")
    if key and not key[0].isalpha():
        key = f"f_{key}"
    return key[:50]


def clean_choices(raw: str | list[str]) -> list[str]:
    items = raw.splitlines() if isinstance(raw, str) else raw
    choices: list[str] = []
    for item in items:
        choice = str(item).strip()
        if choice and choice.casefold() not in {c.casefold() for c in choices}:
            if len(choice) > 100:
                raise ValidationError({"choices": _("Keep each choice under 100 characters.")})
            choices.append(choice)
    if len(choices) > MAX_CHOICES:
        raise ValidationError({"choices": _("Offer at most 100 choices.")})
    return choices


@transaction.atomic
def save_custom_field(
    *,
    actor: Member,
    label: str,
    kind: str,
    key: str = "",
    choices: str | list[str] = "",
    help_text: str = "",
    field: CustomField | None = None,
) -> CustomField:
    """Define a custom field, or change one. The key is made from a Latin label when left
    blank and never changes afterwards (history rows and API clients use it); the kind cannot
    change once an account has a value; a choice in use cannot be removed."""
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    label = label.strip()
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Give the field a label.")
    if kind not in CustomField.Kind.values:
        errors["kind"] = _("Choose text, number, date or choice.")
    cleaned_choices = clean_choices(choices) if kind == CustomField.Kind.CHOICE else []
    if kind == CustomField.Kind.CHOICE and not cleaned_choices:
        errors["choices"] = _("Write the choices, one per line.")
    if field is None:
        key = key.strip().lower() or key_from_label(label)
        if not key:
            errors["key"] = _(
                "The label has no Latin letters to make a key from; write a key such as "
                "contract_type."
            )
        elif not CUSTOM_KEY_PATTERN.match(key):
            errors["key"] = _(
                "Write the key in lower-case Latin letters, digits and underscores, starting "
                "with a letter, e.g. contract_type."
            )
        elif CustomField.objects.filter(key=key).exists():
            errors["key"] = _("Another field already has this key.")
    else:
        field = CustomField.objects.select_for_update().get(pk=field.pk)
        values = CustomFieldValue.objects.filter(field=field)
        if kind != field.kind and values.exists():
            errors["kind"] = _(
                "Accounts already have values for this field, so its kind cannot change."
            )
        elif kind == CustomField.Kind.CHOICE and field.kind == CustomField.Kind.CHOICE:
            kept = {choice.casefold() for choice in cleaned_choices}
            used = sorted(
                {
                    value
                    for value in values.values_list("text_value", flat=True)
                    if value.casefold() not in kept
                }
            )
            if used:
                errors["choices"] = _(
                    "Accounts have these values, so keep them among the choices: %(choices)s."
                ) % {"choices": "、".join(used)}
    if errors:
        raise ValidationError(errors)
    is_new = field is None
    if field is None:
        last = CustomField.objects.order_by("-position").values_list("position", flat=True)
        field = CustomField(key=key, position=(last.first() or 0) + 1)
    before = (field.label, field.kind, list(field.choices or []), field.help_text)
    field.label, field.kind, field.choices = label, kind, cleaned_choices
    field.help_text = help_text.strip()
    if not is_new and before == (field.label, field.kind, field.choices, field.help_text):
        return field
    try:
        with transaction.atomic():
            field.save()
    except IntegrityError as error:
        raise ValidationError({"key": _("Another field already has this key.")}) from error
    record_audit(
        actor=actor,
        action="custom_field.created" if is_new else "custom_field.updated",
        target=field,
        details={"key": field.key, "kind": field.kind},
    )
    return field


@transaction.atomic
def delete_custom_field(*, actor: Member, field: CustomField) -> int:
    """Delete a field and every account's value of it; returns how many values went."""
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    values = CustomFieldValue.objects.filter(field=field).count()
    record_audit(
        actor=actor,
        action="custom_field.deleted",
        target=field,
        details={"key": field.key, "accounts_with_value": values},
    )
    field.delete()
    return values


# The account list as a CSV file ------------------------------------------------------------


def _amount_cell(minor: int | None, currency: str) -> str:
    return "" if minor is None else format(to_major(minor, currency), "f")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def export_accounts_csv(*, actor: Member, accounts: QuerySet[CustomerAccount]) -> bytes:
    """The accounts as CSV in UTF-8 with a BOM (Excel in Japan opens it with its Japanese
    intact); economic columns only for those who may see them. The export is audited."""
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    economics = can_view_economics(actor)
    fields = list(custom_fields_by_key().values()) if economics else []
    settings = current_tier_settings()
    headers = [
        _("Company"),
        _("Email domains"),
        _("Status"),
        _("Plan"),
        _("Lifecycle stage"),
        _("CSM owner"),
        _("Contract start"),
        _("Renewal date"),
        _("Industry"),
        _("Region"),
        _("Employees"),
        _("External ID"),
        _("Salesforce account ID"),
        _("HubSpot company ID"),
        _("Members"),
    ]
    if economics:
        headers += [
            _("Currency"),
            _("ARR"),
            _("MRR"),
            _("LTV"),
            _("Expected lifetime in months"),
            _("Touch tier"),
            _("Strategic account"),
            *(field.label for field in fields),
        ]
    dataset = tablib.Dataset(headers=[str(header) for header in headers])
    rows = accounts.prefetch_related("custom_values") if economics else accounts
    for account in rows:
        row = [
            account.name,
            " ".join(domain.domain for domain in account.domains.all()),
            account.get_status_display(),
            account.plan.name if account.plan else "",
            account.get_lifecycle_stage_display(),
            account.csm_owner.email if account.csm_owner else "",
            _cell(account.contract_start),
            _cell(account.renewal_date),
            account.industry,
            account.region,
            account.get_employee_band_display() if account.employee_band else "",
            account.external_id,
            account.salesforce_id,
            account.hubspot_id,
            str(getattr(account, "member_count", "")),
        ]
        if economics:
            ltv = account.ltv_minor
            if ltv is None:
                ltv = computed_ltv(
                    account.arr_minor,
                    account.expected_lifetime_months or settings.default_lifetime_months,
                )
            stored = {value.field_id: value for value in account.custom_values.all()}
            row += [
                account.currency,
                _amount_cell(account.arr_minor, account.currency),
                _amount_cell(account.mrr_minor, account.currency),
                _amount_cell(ltv, account.currency),
                _cell(account.expected_lifetime_months),
                account.get_touch_tier_display(),
                _cell(account.is_strategic),
                *(_cell(custom_value(field, stored.get(field.pk))) for field in fields),
            ]
        dataset.append(row)
    record_audit(
        actor=actor,
        action="account.list_exported",
        target=actor,
        details={"rows": dataset.height, "with_economics": economics},
    )
    text: str = dataset.export("csv")
    return ("\ufeff" + text).encode("utf-8")
