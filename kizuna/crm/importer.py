"""Checking every row of a CRM export and writing it: accounts and contacts.

`plan_*` reads the whole file against the database without writing: it matches each row to
the account or contact it is about (by the CRM's ids, else the email domain, else the exact
name or email), cleans its values with the rules the account form uses
(`kizuna.customers.economics`), and says per row what it would create or change, or why it
cannot. The database is read in a few queries for the whole file, never per row; cell values
repeat (plans, owners, stages), so each distinct one is cleaned once.

`write_*` then writes a plan inside the caller's transaction: accounts in batches through
`apply_account_values_batch` (history rows, re-tiering, the same result as one at a time),
their new domains and the members already verified at them; contacts in bulk. Rows that
change nothing are not written at all, so a re-import of the same file leaves no history.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Lower, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.crm import mapping as columns
from kizuna.crm.reading import Row, Table
from kizuna.customers.economics import (
    CUSTOM_FIELD_PREFIX,
    apply_account_values_batch,
    clean_account_values,
)
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    Contact,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    MemberAccountLink,
)
from kizuna.customers.services import (
    _clean_contact_values,
    _verified_members_at,
    clean_domains,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member

# (phase, rows done, rows in all): called every PROGRESS_STEPS-th of the file and at its end.
ProgressFn = Callable[[str, int, int], None]
CHECKING, WRITING = "checking", "writing"
PROGRESS_STEPS = 100
CHUNK = 5000
WRITE_BATCH = 1000
# Accounts written together through apply_account_values_batch (fewer when a file is small).
ACCOUNT_WRITE_BATCH = 1000
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
ID_FIELDS = ("salesforce_id", "hubspot_id", "external_id")
CONTACT_LIMITS = {"full_name": 200, "title": 200, "phone": 50, "external_id": 100}
ACCOUNT_LIMITS = {
    "name": 200,
    "industry": 100,
    "region": 100,
    "external_id": 100,
    "salesforce_id": 32,
    "hubspot_id": 32,
}
_SPLIT_DOMAINS = re.compile(r"[,、;；\s]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

T = TypeVar("T")


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class RowPlan:
    line: int
    outcome: str
    label: str
    values: dict[str, Any]
    changed: list[str]
    account: CustomerAccount | None = None
    contact: Contact | None = None
    new_domains: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: int = 0
    total: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


@dataclass
class WriteResult:
    rows: list[RowPlan]
    created: int
    updated: int
    unchanged: int


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _differs(current: Any, value: Any) -> bool:
    """Whether writing `value` changes `current`, as apply_account_values decides it."""
    return not (current == value or (current in (None, "") and value in (None, "")))


class _Progress:
    def __init__(self, report: ProgressFn, phase: str, total: int) -> None:
        self.report, self.phase, self.total = report, phase, total
        self.step = max(1, total // PROGRESS_STEPS)
        self.done = 0
        report(phase, 0, total)

    def advance(self, rows: int = 1) -> None:
        before, self.done = self.done, self.done + rows
        if before // self.step != self.done // self.step or self.done == self.total:
            self.report(self.phase, self.done, self.total)


class _Columns:
    """The mapped columns of a file: a row's text for a target, and a target's header."""

    def __init__(self, table: Table, mapping: list[str]) -> None:
        self.index = {target: i for i, target in enumerate(mapping) if target}
        self.headers = table.headers

    def __contains__(self, target: str) -> bool:
        return target in self.index

    def text(self, row: Row, target: str) -> str:
        index = self.index.get(target)
        return row.cells[index].strip() if index is not None else ""

    def header(self, target: str) -> str:
        index = self.index.get(target)
        return self.headers[index] if index is not None else ""


class _Cleaner:
    """clean_account_values for one cell at a time, once per distinct (field, text, currency)."""

    def __init__(self, custom_fields: dict[str, CustomField]) -> None:
        self.custom_fields = custom_fields
        self.memo: dict[tuple[str, str, str], tuple[Any, str | None]] = {}
        self.staff_by_name: dict[str, str | None] | None = None

    def _owner_email(self, text: str) -> str:
        """CRMs export the owner's name; a staff member's unique display name stands for them."""
        if "@" in text:
            return text
        if self.staff_by_name is None:
            self.staff_by_name = {}
            staff = Member.objects.filter(is_active=True).exclude(staff_role="")
            for email, name in staff.values_list("email", "display_name"):
                key = re.sub(r"\s+", "", name).casefold()
                if key:
                    # A name two staff members share names nobody.
                    self.staff_by_name[key] = None if key in self.staff_by_name else email
        return self.staff_by_name.get(re.sub(r"\s+", "", text).casefold()) or text

    def clean(self, name: str, text: str, currency: str) -> tuple[Any, str | None]:
        key = (name, text, currency)
        if key not in self.memo:
            given = self._owner_email(text) if name == "csm_owner" else text
            raw = {name: given} if name == "currency" else {name: given, "currency": currency}
            cleaned = clean_account_values(raw, custom_fields=self.custom_fields)
            self.memo[key] = (cleaned.values.get(name), cleaned.errors.get(name))
        return self.memo[key]


def _too_long(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Use at most %(limit)s characters.") % {"limit": limit}
    return None


def _website_domains(text: str) -> list[str]:
    """Email domains from a cell: acme.co.jp, @acme.co.jp, https://www.acme.co.jp/jp/ …"""
    found = []
    for part in _SPLIT_DOMAINS.split(text.strip()):
        item = part.strip().lower()
        if not item:
            continue
        host = urlsplit(item).hostname or "" if "://" in item else item.split("/")[0]
        host = host.rsplit("@", 1)[-1].split(":")[0].rstrip(".")
        found.append(host.removeprefix("www."))
    return clean_domains(found)


def _duplicate(line: int) -> str:
    return _("This is also on line %(line)s; each one may appear only once in a file.") % {
        "line": line
    }


def _misshapen_errors(table: Table) -> list[RowError]:
    return [
        RowError(
            line,
            "",
            _(
                "This line has %(cells)s cells but the header has %(columns)s columns: a cell "
                "with a comma may be missing its quotes."
            )
            % {"cells": cells, "columns": len(table.headers)},
        )
        for line, cells in sorted(table.misshapen.items())
    ]


# Accounts ---------------------------------------------------------------------------------


class _AccountIndex:
    """The existing accounts a file can be about, found in a few queries for the whole file."""

    def __init__(self, table: Table, cols: _Columns, domains: dict[int, list[str]]) -> None:
        self.by_id: dict[str, dict[str, CustomerAccount]] = {name: {} for name in ID_FIELDS}
        self.by_name: dict[str, CustomerAccount] = {}
        self.by_domain: dict[str, CustomerAccount] = {}
        self.domains_of: dict[int, set[str]] = {}
        accounts: dict[int, CustomerAccount] = {}
        base = CustomerAccount.objects.select_related("plan", "csm_owner")

        def keep(found: Iterable[CustomerAccount]) -> None:
            for account in found:
                accounts.setdefault(account.pk, account)

        for name in ID_FIELDS:
            wanted = {cols.text(row, name) for row in table.rows} - {""}
            for batch in chunks(wanted):
                keep(base.filter(**{f"{name}__in": batch}))
        # By name and by domain only the ids first: most of those accounts came by their ids.
        names = {cols.text(row, "name").casefold() for row in table.rows} - {""}
        named: set[int] = set()
        for batch in chunks(names):
            named.update(
                CustomerAccount.objects.annotate(lower_name=Lower("name"))
                .filter(lower_name__in=batch)
                .values_list("pk", flat=True)
            )
        wanted_domains = {domain for found in domains.values() for domain in found}
        domain_rows: list[tuple[int, str]] = []
        for batch in chunks(wanted_domains):
            domain_rows.extend(
                (int(account_id), str(domain))
                for account_id, domain in AccountDomain.objects.annotate(
                    lower_domain=Lower("domain")
                )
                .filter(lower_domain__in=batch)
                .values_list("account_id", "lower_domain")
            )
        missing = (named | {account_id for account_id, _domain in domain_rows}) - set(accounts)
        for pks in chunks(sorted(missing)):
            keep(base.filter(pk__in=pks))
        for account_id, domain in domain_rows:
            self.by_domain[domain] = accounts[account_id]
        for pks in chunks(list(accounts)):
            for account_id, domain in AccountDomain.objects.filter(account_id__in=pks).values_list(
                "account_id", "domain"
            ):
                self.domains_of.setdefault(account_id, set()).add(domain.lower())
        for account in accounts.values():
            for name in ID_FIELDS:
                if value := getattr(account, name):
                    self.by_id[name][value] = account
            self.by_name[account.name.casefold()] = account
        self.accounts = accounts

    def custom_values(self, custom_fields: dict[str, CustomField]) -> dict[tuple[int, str], Any]:
        values: dict[tuple[int, str], Any] = {}
        keys = {field.pk: key for key, field in custom_fields.items()}
        for batch in chunks(list(self.accounts)):
            for stored in CustomFieldValue.objects.filter(
                account_id__in=batch, field_id__in=list(keys)
            ):
                field = custom_fields[keys[stored.field_id]]
                column = {
                    CustomField.Kind.NUMBER: "number_value",
                    CustomField.Kind.DATE: "date_value",
                }.get(CustomField.Kind(field.kind), "text_value")
                values[(stored.account_id, field.key)] = getattr(stored, column)
        return values


def plan_accounts(
    table: Table, mapping: list[str], *, progress: ProgressFn = _no_progress
) -> ImportPlan:
    """What importing these account rows would do, row by row, without writing anything."""
    custom_fields = {field.key: field for field in CustomField.objects.all()}
    default_currency = current_tier_settings().currency
    cols = _Columns(table, mapping)
    cleaner = _Cleaner(custom_fields)
    plan = ImportPlan(total=len(table.rows), errors=_misshapen_errors(table))
    rejected = set(table.misshapen)

    domains: dict[int, list[str]] = {}
    domain_errors: dict[int, str] = {}
    if columns.DOMAINS in cols:
        for row in table.rows:
            try:
                domains[row.line] = _website_domains(cols.text(row, columns.DOMAINS))
            except ValidationError as error:
                domain_errors[row.line] = " ".join(error.messages)
    index = _AccountIndex(table, cols, domains)
    stored_custom = (
        index.custom_values(custom_fields)
        if any(target.startswith(CUSTOM_FIELD_PREFIX) for target in mapping)
        else {}
    )
    seen: dict[tuple[str, str], int] = {}
    seen_accounts: dict[int, int] = {}
    meter = _Progress(progress, CHECKING, len(table.rows))

    for row in table.rows:
        errors: list[RowError] = []

        def fail(
            target: str, message: str, row: Row = row, errors: list[RowError] = errors
        ) -> None:
            errors.append(RowError(row.line, cols.header(target), message))

        name = cols.text(row, "name")
        ids = {field: cols.text(row, field) for field in ID_FIELDS if cols.text(row, field)}
        row_domains = domains.get(row.line, [])
        if row.line in domain_errors:
            fail(columns.DOMAINS, domain_errors[row.line])
        for target, limit in ACCOUNT_LIMITS.items():
            if message := _too_long(cols.text(row, target), limit):
                fail(target, message)
        keys = list(ids.items())
        keys += [("name", name.casefold())] if name else []
        keys += [(columns.DOMAINS, domain) for domain in row_domains]
        for key in keys:
            if key in seen:
                fail(key[0], _duplicate(seen[key]))
            else:
                seen[key] = row.line

        matched = {
            found
            for target, value in ids.items()
            if (found := index.by_id[target].get(value)) is not None
        }
        by_id = bool(matched)
        if not matched:
            matched = {index.by_domain[d] for d in row_domains if d in index.by_domain}
        if not matched and name and name.casefold() in index.by_name:
            matched = {index.by_name[name.casefold()]}
        account: CustomerAccount | None = None
        if len(matched) > 1:
            fail(
                "",
                _("This row matches several accounts: %(accounts)s.")
                % {"accounts": "、".join(sorted(found.name for found in matched))},
            )
        elif matched:
            account = matched.pop()
            if not by_id:
                for target, value in ids.items():
                    current = getattr(account, target)
                    if current and current != value:
                        fail(
                            target,
                            _(
                                "This row matches %(account)s by its name or email domain, "
                                "but that account has the ID %(value)s."
                            )
                            % {"account": account.name, "value": current},
                        )
            if account.pk in seen_accounts:
                fail(
                    "",
                    _("This row and line %(line)s are both about %(account)s.")
                    % {"line": seen_accounts[account.pk], "account": account.name},
                )
            else:
                seen_accounts[account.pk] = row.line
        if name and (other := index.by_name.get(name.casefold())) and other is not account:
            fail("name", _("An account with this name already exists."))
        for domain in row_domains:
            owner = index.by_domain.get(domain)
            if owner is not None and owner is not account:
                fail(
                    columns.DOMAINS,
                    _("%(domain)s already belongs to %(account)s.")
                    % {"domain": domain, "account": owner.name},
                )
        if account is None and not name and ids:
            target, value = next(iter(ids.items()))
            fail(
                target,
                _("No account has the ID %(value)s; add the company name to create one.")
                % {"value": value},
            )
        elif account is None and not name:
            fail("name", _("Enter the company name."))

        currency_text = cols.text(row, "currency")
        currency = account.currency if account else default_currency
        values: dict[str, Any] = {}
        if currency_text:
            value, message = cleaner.clean("currency", currency_text, "")
            if message:
                fail("currency", message)
            else:
                currency = values["currency"] = value
        for target in cols.index:
            text = cols.text(row, target)
            if target in ("currency", columns.DOMAINS) or not text:
                continue
            value, message = cleaner.clean(target, text, currency)
            if message:
                fail(target, message)
            else:
                values[target] = value

        if errors:
            plan.errors += errors
            rejected.add(row.line)
        else:
            new_domains = [
                d
                for d in row_domains
                if account is None or d not in index.domains_of.get(account.pk, set())
            ]
            if account is None:
                changed = [target for target in values]
                outcome = CREATED
            else:
                changed = [
                    target
                    for target, value in values.items()
                    if _differs(
                        stored_custom.get((account.pk, target.removeprefix(CUSTOM_FIELD_PREFIX)))
                        if target.startswith(CUSTOM_FIELD_PREFIX)
                        else getattr(account, target),
                        value,
                    )
                ]
                outcome = UPDATED if changed or new_domains else UNCHANGED
            if new_domains:
                changed.append(columns.DOMAINS)
            plan.rows.append(
                RowPlan(
                    line=row.line,
                    outcome=outcome,
                    label=account.name if account else name,
                    values=values,
                    changed=changed,
                    account=account,
                    new_domains=new_domains,
                )
            )
        meter.advance()
    plan.rejected = len(rejected)
    plan.errors.sort(key=lambda error: error.line)
    return plan


def _domains_with_verified_addresses(domains: set[str]) -> set[str]:
    found: set[str] = set()
    domain_of_email = Lower(Substr("email", StrIndex("email", Value("@")) + 1))
    for batch in chunks(domains):
        found.update(
            EmailAddress.objects.filter(verified=True)
            .annotate(email_domain=domain_of_email)
            .filter(email_domain__in=batch)
            .values_list("email_domain", flat=True)
        )
    return found


def write_accounts(
    plan: ImportPlan, *, actor: Member, progress: ProgressFn = _no_progress
) -> WriteResult:
    """Write a plan without errors through the accounts' write path, a batch at a time; the
    caller holds the transaction. Returns the rows that created or changed an account, with
    what they changed."""
    custom_fields = {field.key: field for field in CustomField.objects.all()}
    tier_settings = current_tier_settings()
    to_write = [row for row in plan.rows if row.outcome != UNCHANGED]
    meter = _Progress(progress, WRITING, len(to_write))
    written: list[RowPlan] = []
    new_domains: list[AccountDomain] = []
    gained: list[tuple[CustomerAccount, list[str]]] = []
    unchanged = plan.count(UNCHANGED)
    # A batch is at most a step of the progress bar, so the page sees it move batch by batch.
    for batch in chunks(to_write, min(ACCOUNT_WRITE_BATCH, meter.step)):
        accounts = [row.account or CustomerAccount() for row in batch]
        changed_per_row = apply_account_values_batch(
            [(account, row.values) for account, row in zip(accounts, batch, strict=True)],
            actor=actor,
            source=AccountChange.Source.IMPORT,
            custom_fields=custom_fields,
            tier_settings=tier_settings,
        )
        for row, account, changed in zip(batch, accounts, changed_per_row, strict=True):
            if row.new_domains:
                new_domains += [AccountDomain(account=account, domain=d) for d in row.new_domains]
                gained.append((account, row.new_domains))
                changed.append(columns.DOMAINS)
            if changed or row.account is None:
                row.account, row.changed = account, changed
                row.outcome = CREATED if row.outcome == CREATED else UPDATED
                row.label = account.name
                written.append(row)
            else:
                unchanged += 1
        meter.advance(len(batch))
    AccountDomain.objects.bulk_create(new_domains, batch_size=1000)
    links: list[MemberAccountLink] = []
    linked: set[int] = set()
    # Only the domains someone has verified an address at can link anybody: found in one query,
    # then linked by the accounts' own rule (customers.services) for those accounts alone.
    with_addresses = _domains_with_verified_addresses(
        {domain for _account, domains in gained for domain in domains}
    )
    for account, domains in gained:
        if not with_addresses.intersection(domains):
            continue
        for member in _verified_members_at(domains):
            if member.pk not in linked:
                linked.add(member.pk)
                links.append(
                    MemberAccountLink(
                        member=member,
                        account=account,
                        source=MemberAccountLink.Source.EMAIL_DOMAIN,
                    )
                )
    MemberAccountLink.objects.bulk_create(links, batch_size=1000)
    return WriteResult(
        rows=written,
        created=sum(1 for row in written if row.outcome == CREATED),
        updated=sum(1 for row in written if row.outcome == UPDATED),
        unchanged=unchanged,
    )


# Contacts ---------------------------------------------------------------------------------


class _ContactIndex:
    """The existing contacts, accounts and members a contacts file can be about."""

    def __init__(self, table: Table, cols: _Columns) -> None:
        emails = {cols.text(row, "email").lower() for row in table.rows} - {""}
        external_ids = {cols.text(row, "external_id") for row in table.rows} - {""}
        self.by_email: dict[str, Contact] = {}
        self.by_external_id: dict[str, Contact] = {}
        contacts: dict[int, Contact] = {}
        base = Contact.objects.select_related("account")
        for batch in chunks(emails):
            contacts.update(
                (found.pk, found)
                for found in base.annotate(lower_email=Lower("email")).filter(lower_email__in=batch)
            )
        for batch in chunks(external_ids):
            contacts.update((found.pk, found) for found in base.filter(external_id__in=batch))
        for contact in contacts.values():
            self.by_email[contact.email.lower()] = contact
            if contact.external_id:
                self.by_external_id[contact.external_id] = contact

        refs = {cols.text(row, columns.ACCOUNT_REF) for row in table.rows} - {""}
        names = {cols.text(row, columns.ACCOUNT_NAME).casefold() for row in table.rows} - {""}
        domains = {email.rsplit("@", 1)[-1] for email in emails if "@" in email}
        self.account_by_ref: dict[str, set[CustomerAccount]] = {}
        self.account_by_name: dict[str, CustomerAccount] = {}
        self.account_by_domain: dict[str, CustomerAccount] = {}
        for batch in chunks(refs):
            query = Q(salesforce_id__in=batch) | Q(hubspot_id__in=batch) | Q(external_id__in=batch)
            for account in CustomerAccount.objects.filter(query):
                for name in ID_FIELDS:
                    if value := getattr(account, name):
                        self.account_by_ref.setdefault(value, set()).add(account)
        for batch in chunks(names):
            for account in CustomerAccount.objects.annotate(lower_name=Lower("name")).filter(
                lower_name__in=batch
            ):
                self.account_by_name[account.name.casefold()] = account
        for batch in chunks(domains):
            for found in (
                AccountDomain.objects.annotate(lower_domain=Lower("domain"))
                .filter(lower_domain__in=batch)
                .select_related("account")
            ):
                self.account_by_domain[found.domain.lower()] = found.account
        self.member_by_email: dict[str, int] = {}
        for batch in chunks(emails):
            # As customers.selectors.verified_member_with_email: the first member by id.
            for email, user_id in (
                EmailAddress.objects.filter(verified=True, user__is_active=True)
                .annotate(lower_email=Lower("email"))
                .filter(lower_email__in=batch)
                .order_by("-user_id")
                .values_list("lower_email", "user_id")
            ):
                self.member_by_email[email] = user_id


def _full_name(first: str, last: str) -> str:
    """Japanese names family name first (山田 太郎), others given name first (Ann Lee)."""
    if not first or not last:
        return first or last
    return f"{last} {first}" if _CJK.search(last + first) else f"{first} {last}"


def plan_contacts(
    table: Table, mapping: list[str], *, progress: ProgressFn = _no_progress
) -> ImportPlan:
    """What importing these contact rows would do, row by row, without writing anything."""
    cols = _Columns(table, mapping)
    cleaner = _Cleaner({})
    index = _ContactIndex(table, cols)
    plan = ImportPlan(total=len(table.rows), errors=_misshapen_errors(table))
    rejected = set(table.misshapen)
    seen: dict[tuple[str, str], int] = {}
    seen_contacts: dict[int, int] = {}
    meter = _Progress(progress, CHECKING, len(table.rows))

    for row in table.rows:
        errors: list[RowError] = []

        def fail(
            target: str, message: str, row: Row = row, errors: list[RowError] = errors
        ) -> None:
            errors.append(RowError(row.line, cols.header(target), message))

        email = cols.text(row, "email")
        external_id = cols.text(row, "external_id")
        if email:
            try:
                email = _clean_contact_values({"email": email})["email"]
            except ValidationError as error:
                fail("email", " ".join(error.messages))
        for key in (("email", email.lower()), ("external_id", external_id)):
            if not key[1]:
                continue
            if key in seen:
                fail(key[0], _duplicate(seen[key]))
            else:
                seen[key] = row.line
        by_id = index.by_external_id.get(external_id) if external_id else None
        by_email = index.by_email.get(email.lower()) if email else None
        if by_id and by_email and by_id.pk != by_email.pk:
            fail(
                "email",
                _("%(email)s is already a contact of %(account)s.")
                % {"email": by_email.email, "account": by_email.account.name},
            )
        contact = by_id or by_email
        if contact is not None:
            if contact.pk in seen_contacts:
                fail(
                    "",
                    _("This row and line %(line)s are both about %(contact)s.")
                    % {"line": seen_contacts[contact.pk], "contact": contact},
                )
            else:
                seen_contacts[contact.pk] = row.line
        elif not email:
            fail("email", _("Enter the contact's email address."))

        account: CustomerAccount | None = None
        reference = cols.text(row, columns.ACCOUNT_REF)
        account_name = cols.text(row, columns.ACCOUNT_NAME)
        if reference:
            found = index.account_by_ref.get(reference, set())
            if len(found) == 1:
                account = next(iter(found))
            elif found:
                fail(
                    columns.ACCOUNT_REF,
                    _("Several accounts have the ID %(value)s.") % {"value": reference},
                )
            else:
                fail(
                    columns.ACCOUNT_REF,
                    _("No account has the ID %(value)s; import the accounts first.")
                    % {"value": reference},
                )
        elif account_name:
            account = index.account_by_name.get(account_name.casefold())
            if account is None:
                fail(
                    columns.ACCOUNT_NAME,
                    _("No account is called %(value)s; import the accounts first.")
                    % {"value": account_name},
                )
        elif contact is not None:
            account = contact.account
        elif email:
            account = index.account_by_domain.get(email.rsplit("@", 1)[-1].lower())
            if account is None:
                fail(
                    "",
                    _(
                        "No account can be found for this contact: add a column with the "
                        "account's ID or name, or add the email domain to an account."
                    ),
                )

        values: dict[str, Any] = {}
        if account is not None:
            values["account_id"] = account.pk
        if email:
            values["email"] = email
        full_name = cols.text(row, "full_name") or _full_name(
            cols.text(row, columns.FIRST_NAME), cols.text(row, columns.LAST_NAME)
        )
        for target, text in (
            ("full_name", full_name),
            ("title", cols.text(row, "title")),
            ("phone", cols.text(row, "phone")),
            ("external_id", external_id),
        ):
            if not text:
                continue
            if message := _too_long(text, CONTACT_LIMITS[target]):
                fail(
                    "full_name" if target == "full_name" and "full_name" in cols else target,
                    message,
                )
            else:
                values[target] = text
        if primary := cols.text(row, "is_primary"):
            value, message = cleaner.clean("is_strategic", primary, "")
            if message:
                fail("is_primary", message)
            else:
                values["is_primary"] = value
            if value and account is not None:
                key = ("is_primary", str(account.pk))
                if key in seen:
                    fail(
                        "is_primary",
                        _("Line %(line)s already makes the main contact of %(account)s.")
                        % {"line": seen[key], "account": account.name},
                    )
                else:
                    seen[key] = row.line
        if email and (member_id := index.member_by_email.get(email.lower())):
            values["member_id"] = member_id

        if errors:
            plan.errors += errors
            rejected.add(row.line)
        else:
            if contact is None:
                outcome, changed = CREATED, [name for name in values if name != "account_id"]
            else:
                changed = [
                    name
                    for name, value in values.items()
                    if _differs(getattr(contact, name), value)
                ]
                outcome = UPDATED if changed else UNCHANGED
            plan.rows.append(
                RowPlan(
                    line=row.line,
                    outcome=outcome,
                    label=email or (contact.email if contact else ""),
                    values=values,
                    changed=[
                        name.removesuffix("_id") if name in ("account_id", "member_id") else name
                        for name in changed
                    ],
                    account=account,
                    contact=contact,
                )
            )
        meter.advance()
    plan.rejected = len(rejected)
    plan.errors.sort(key=lambda error: error.line)
    return plan


CONTACT_FIELDS = [
    "account_id",
    "email",
    "full_name",
    "title",
    "phone",
    "external_id",
    "is_primary",
    "member_id",
]


def write_contacts(plan: ImportPlan, *, progress: ProgressFn = _no_progress) -> WriteResult:
    """Write a plan without errors: new contacts and changed ones, in bulk."""
    to_write = [row for row in plan.rows if row.outcome != UNCHANGED]
    meter = _Progress(progress, WRITING, len(to_write))
    now = timezone.now()
    new: list[Contact] = []
    changed: list[Contact] = []
    for row in to_write:
        contact = row.contact or Contact()
        for name, value in row.values.items():
            setattr(contact, name, value)
        if row.contact is None:
            new.append(contact)
        else:
            contact.updated_at = now
            changed.append(contact)
        row.contact = contact
    for batch in chunks(new, WRITE_BATCH):
        Contact.objects.bulk_create(batch)
        meter.advance(len(batch))
    for batch in chunks(changed, WRITE_BATCH):
        Contact.objects.bulk_update(batch, [*CONTACT_FIELDS, "updated_at"])
        meter.advance(len(batch))
    # One main contact per account, as on the account page: a new main one makes the others not.
    main = [row.contact for row in to_write if row.values.get("is_primary") and row.contact]
    for batch in chunks(main, WRITE_BATCH):
        Contact.objects.filter(
            account_id__in={contact.account_id for contact in batch}, is_primary=True
        ).exclude(pk__in=[contact.pk for contact in batch]).update(is_primary=False)
    return WriteResult(
        rows=to_write,
        created=len(new),
        updated=len(changed),
        unchanged=plan.count(UNCHANGED),
    )
