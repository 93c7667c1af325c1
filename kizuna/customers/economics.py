"""The one write path for an account's fields: the edit form, the CSV import and the API.

`clean_account_values` turns what a person or a CRM export wrote (「1,200万」, 「2026/04/01」,
「オンボーディング」, 「はい」) into typed values with an error per field in words;
`apply_account_values` writes the values that differ, keeps a history row per changed field,
and brings the account's touch tier in line; `apply_account_values_batch` does the same for
many accounts in a few queries (the CSV import), and the one-account version is that batch of
one. Both run inside the caller's transaction, so an import of a file is all or nothing.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.customers.models import (
    AccountChange,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    EmployeeBand,
    LifecycleStage,
    Plan,
    TierSettings,
)
from kizuna.customers.money import parse_amount
from kizuna.customers.tiers import current_tier_settings, tier_for
from kizuna.identity.models import Member

# Built-in fields a form, an import column or an API field may set, with the kind of value.
ACCOUNT_FIELD_KINDS: dict[str, str] = {
    "name": "text",
    "plan": "plan",
    "currency": "currency",
    "arr_minor": "amount",
    "mrr_minor": "amount",
    "ltv_minor": "amount",
    "expected_lifetime_months": "months",
    "contract_start": "date",
    "renewal_date": "date",
    "lifecycle_stage": "lifecycle",
    "csm_owner": "staff_email",
    "industry": "text",
    "region": "text",
    "employee_band": "employee_band",
    "external_id": "text",
    "salesforce_id": "text",
    "hubspot_id": "text",
    "is_strategic": "boolean",
}
# Fields whose values are customer economics: staff without VIEW_ACCOUNT_ECONOMICS never see them.
ECONOMIC_FIELDS = frozenset(
    {"arr_minor", "mrr_minor", "ltv_minor", "expected_lifetime_months", "touch_tier"}
)
CUSTOM_FIELD_PREFIX = "custom:"
# Rows per INSERT or UPDATE statement when many accounts are written at once.
WRITE_BATCH = 1000

_TRUE = {"1", "true", "yes", "y", "on", "はい", "○", "◯", "有", "あり", "strategic", "戦略"}
_FALSE = {"0", "false", "no", "n", "off", "いいえ", "×", "無", "なし", ""}
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ERA_OFFSET = {"令和": 2018, "R": 2018}
# Words CRM exports use for a stage, beside our own labels in either language.
LIFECYCLE_ALIASES = {
    "オンボーディング": LifecycleStage.ONBOARDING,
    "導入": LifecycleStage.ONBOARDING,
    "導入中": LifecycleStage.ONBOARDING,
    "活用": LifecycleStage.ADOPTION,
    "定着": LifecycleStage.ADOPTION,
    "活用促進": LifecycleStage.ADOPTION,
    "拡大": LifecycleStage.EXPANSION,
    "アップセル": LifecycleStage.EXPANSION,
    "更新": LifecycleStage.RENEWAL,
    "更新前": LifecycleStage.RENEWAL,
    "リスク": LifecycleStage.AT_RISK,
    "要注意": LifecycleStage.AT_RISK,
    "解約": LifecycleStage.CHURNED,
    "解約済み": LifecycleStage.CHURNED,
    "closed lost": LifecycleStage.CHURNED,
    "customer": LifecycleStage.ADOPTION,
    "risk": LifecycleStage.AT_RISK,
}
_ERA_DATE = re.compile(r"^(令和|R)(\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?$")


@dataclass(frozen=True)
class CleanedValues:
    values: dict[str, Any]
    errors: dict[str, str]


def parse_date(text: str) -> dt.date | None:
    """ISO, 2026/04/01, 2026年4月1日, 令和8年4月1日, and the US 4/1/2026 Salesforce writes."""
    raw = text.strip().split(" ")[0].split("T")[0]
    if not raw:
        return None
    for pattern in _DATE_PATTERNS:
        if match := pattern.match(raw):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    if match := _ERA_DATE.match(raw):
        era, era_year, era_month, era_day = match.groups()
        return dt.date(_ERA_OFFSET[era] + int(era_year), int(era_month), int(era_day))
    if match := _US_DATE.match(raw):
        month, day, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    raise ValueError(raw)


def _label_lookup(choices: Any) -> dict[str, str]:
    """Values and their labels in both languages, folded, mapped to the stored value."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[str(value).casefold()] = value
        for language in ("en", "ja"):
            with translation.override(language):
                lookup[str(label).casefold()] = value
    return lookup


def _parse_employee_band(raw: str) -> str:
    folded = raw.casefold().replace(",", "").replace("名", "").replace("人", "").strip()
    lookup = _label_lookup(EmployeeBand.choices)
    if folded in lookup:
        return lookup[folded]
    if folded.isdigit():
        count = int(folded)
        for value, upper in (("1-49", 49), ("50-299", 299), ("300-999", 999), ("1000-4999", 4999)):
            if count <= upper:
                return value
        return EmployeeBand.LARGE.value
    for value in EmployeeBand.values:
        if folded == value.replace("+", "").casefold() or folded == value:
            return value
    raise ValueError(raw)


def _clean_one(kind: str, raw: str, currency: str) -> Any:
    text = raw.strip()
    if kind == "text":
        return text
    if kind == "currency":
        code = (text or "JPY").upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValidationError(_("Write the currency as a three-letter code such as JPY."))
        return code
    if kind == "amount":
        try:
            return parse_amount(text, currency)
        except ValueError as error:
            raise ValidationError(
                _("“%(value)s” is not an amount; write digits such as 12000000 or 1200万.")
                % {"value": text}
            ) from error
    if kind == "months":
        if not text:
            return None
        if not text.isdigit() or not 1 <= int(text) <= 600:
            raise ValidationError(_("Write the lifetime as a number of months, 1 to 600."))
        return int(text)
    if kind == "date":
        try:
            return parse_date(text)
        except ValueError as error:
            raise ValidationError(
                _("“%(value)s” is not a date; write it as 2026-04-01 or 2026/04/01.")
                % {"value": text}
            ) from error
    if kind == "lifecycle":
        if not text:
            return LifecycleStage.ONBOARDING.value
        lookup = _label_lookup(LifecycleStage.choices) | {
            alias.casefold(): stage.value for alias, stage in LIFECYCLE_ALIASES.items()
        }
        if text.casefold() not in lookup:
            raise ValidationError(
                _("“%(value)s” is not a lifecycle stage; use one of %(stages)s.")
                % {
                    "value": text,
                    "stages": "、".join(str(label) for _v, label in LifecycleStage.choices),
                }
            )
        return lookup[text.casefold()]
    if kind == "employee_band":
        if not text:
            return ""
        try:
            return _parse_employee_band(text)
        except ValueError as error:
            raise ValidationError(
                _("“%(value)s” is not a number of employees.") % {"value": text}
            ) from error
    if kind == "boolean":
        if text.casefold() in _TRUE:
            return True
        if text.casefold() in _FALSE:
            return False
        raise ValidationError(_("Write yes or no."))
    if kind == "plan":
        if not text:
            return None
        plan = Plan.objects.filter(name__iexact=text).first()
        if plan is None:
            raise ValidationError(
                _("There is no plan called “%(value)s”; add it under Plans first.")
                % {"value": text}
            )
        return plan
    if kind == "staff_email":
        if not text:
            return None
        owner = (
            Member.objects.filter(email__iexact=text, is_active=True).exclude(staff_role="").first()
        )
        if owner is None:
            raise ValidationError(_("No staff member signs in with “%(value)s”.") % {"value": text})
        return owner
    raise AssertionError(kind)


def clean_custom_value(field: CustomField, raw: str) -> str | Decimal | dt.date | None:
    text = raw.strip()
    if not text:
        return None
    if field.kind == CustomField.Kind.NUMBER:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation as error:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from error
        if not number.is_finite():
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
        return number
    if field.kind == CustomField.Kind.DATE:
        try:
            return parse_date(text)
        except ValueError as error:
            raise ValidationError(
                _("“%(value)s” is not a date; write it as 2026-04-01 or 2026/04/01.")
                % {"value": text}
            ) from error
    if field.kind == CustomField.Kind.CHOICE:
        for choice in field.choices:
            if str(choice).casefold() == text.casefold():
                return str(choice)
        raise ValidationError(
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": text, "choices": "、".join(str(choice) for choice in field.choices)}
        )
    return text[:500]


def clean_account_values(
    raw: dict[str, str], *, custom_fields: dict[str, CustomField] | None = None
) -> CleanedValues:
    """Typed values and errors keyed by field name (custom fields as ``custom:<key>``)."""
    currency = (raw.get("currency") or "").strip().upper() or current_tier_settings().currency
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    custom_fields = (
        custom_fields
        if custom_fields is not None
        else {field.key: field for field in CustomField.objects.all()}
    )
    for name, text in raw.items():
        text = "" if text is None else str(text)
        try:
            if name.startswith(CUSTOM_FIELD_PREFIX):
                field = custom_fields.get(name.removeprefix(CUSTOM_FIELD_PREFIX))
                if field is None:
                    raise ValidationError(
                        _("There is no custom field called “%(value)s”.") % {"value": name}
                    )
                values[name] = clean_custom_value(field, text)
            elif name in ACCOUNT_FIELD_KINDS:
                values[name] = _clean_one(ACCOUNT_FIELD_KINDS[name], text, currency)
        except ValidationError as error:
            errors[name] = " ".join(error.messages)
    if "name" in values and not values["name"]:
        errors["name"] = _("Enter the company name.")
    return CleanedValues(values=values, errors=errors)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Member):
        return value.email
    if isinstance(value, Plan):
        return value.name
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)[:500]


def _custom_column(field: CustomField) -> str:
    return {
        CustomField.Kind.NUMBER: "number_value",
        CustomField.Kind.DATE: "date_value",
    }.get(CustomField.Kind(field.kind), "text_value")


def apply_account_values(
    account: CustomerAccount,
    values: dict[str, Any],
    *,
    actor: Member | None,
    source: str,
    custom_fields: dict[str, CustomField] | None = None,
) -> list[str]:
    """Write the values that differ from the account's, with a history row each; returns their names.

    The caller checks permission and holds the transaction. A new account (no pk) is saved
    first; its history starts with the fields it was created with. One account through
    `apply_account_values_batch`, so there is one implementation of the rule.
    """
    return apply_account_values_batch(
        [(account, values)], actor=actor, source=source, custom_fields=custom_fields
    )[0]


# A history row before it is written: (field, old value, new value).
Change = tuple[str, str, str]


def _built_in_changes(
    account: CustomerAccount, values: dict[str, Any], settings: TierSettings
) -> tuple[list[Change], set[str]]:
    """Set the built-in values that differ, sync the status and the tier on the account in
    memory; the history rows (without account, actor, source) and the fields that moved."""
    changes: list[Change] = []
    moved: set[str] = set()
    is_new = account.pk is None
    for name, value in values.items():
        if name.startswith(CUSTOM_FIELD_PREFIX) or name not in ACCOUNT_FIELD_KINDS:
            continue
        current = getattr(account, name)
        if current == value or (current in (None, "") and value in (None, "")):
            continue
        changes.append((name, _shown(current), _shown(value)))
        setattr(account, name, value)
        moved.add(name)
    if values.get("lifecycle_stage") is not None:
        churned = account.lifecycle_stage == LifecycleStage.CHURNED
        status = CustomerAccount.Status.CHURNED if churned else CustomerAccount.Status.ACTIVE
        if account.status != status:
            account.status = status
            moved.add("status")
    new_tier = tier_for(account, settings)
    if account.touch_tier != new_tier:
        if not is_new:
            changes.append(("touch_tier", account.touch_tier, new_tier.value))
        account.touch_tier = new_tier
        moved.add("touch_tier")
    return changes, moved


def apply_account_values_batch(
    accounts_and_values: Sequence[tuple[CustomerAccount, dict[str, Any]]],
    *,
    actor: Member | None,
    source: str,
    custom_fields: dict[str, CustomField] | None = None,
    tier_settings: TierSettings | None = None,
) -> list[list[str]]:
    """`apply_account_values` for many accounts in a few queries, with the same result as one
    at a time: per account, the names of what changed (built-in fields, then ``touch_tier``,
    then custom fields), in the order given.

    The tier bands are read once, the custom values of all the accounts in one query; new
    accounts are inserted together (PostgreSQL returns their ids), changed ones updated in
    the fields they changed (with ``status``, ``touch_tier`` and ``updated_at`` when those
    move), the custom values written in bulk and the history by one COPY. An account that
    changes nothing is not written. Each account may appear once; the caller holds the
    transaction.
    """
    pks = [account.pk for account, _values in accounts_and_values if account.pk is not None]
    objects = {id(account) for account, _values in accounts_and_values}
    if len(set(pks)) != len(pks) or len(objects) != len(accounts_and_values):
        raise ValueError("an account may appear only once in a batch")
    settings = tier_settings or current_tier_settings()
    now = timezone.now()
    changes_of: list[list[Change]] = []
    new_accounts: list[CustomerAccount] = []
    # Changed accounts grouped by the columns they change, so each writes only its own.
    updates: dict[tuple[str, ...], list[CustomerAccount]] = {}
    for account, values in accounts_and_values:
        is_new = account.pk is None
        changes, moved = _built_in_changes(account, values, settings)
        changes_of.append(changes)
        if is_new:
            new_accounts.append(account)
        elif changes:
            account.updated_at = now
            updates.setdefault(tuple(sorted(moved | {"updated_at"})), []).append(account)
    CustomerAccount.objects.bulk_create(new_accounts, batch_size=WRITE_BATCH)
    for fields, group in updates.items():
        _update_in_bulk(group, fields)
    _apply_custom_values(accounts_and_values, changes_of, custom_fields)
    actor_id = actor.pk if actor is not None else None
    _copy_history(
        (account.pk, field, old, new, actor_id, source, now)
        for (account, _values), changes in zip(accounts_and_values, changes_of, strict=True)
        for field, old, new in changes
    )
    return [[field for field, _old, _new in changes] for changes in changes_of]


HISTORY_COLUMNS = (
    "account",
    "field",
    "old_value",
    "new_value",
    "changed_by",
    "source",
    "changed_at",
)


def _column(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field


def _update_in_bulk(objs: Sequence[Model], names: Sequence[str]) -> None:
    """Write these fields of these saved rows: `bulk_update`, as one UPDATE … FROM unnest(…)
    per WRITE_BATCH rows, where Django's CASE with a branch per row and column grows with the
    batch both to build and for PostgreSQL to run. No pre_save: the caller sets updated_at."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        # The embedded SQLite default has neither unnest nor arrays; its imports are small.
        model._default_manager.bulk_update(objs, list(names), batch_size=WRITE_BATCH)
        return
    pk = model._meta.pk
    assert pk is not None
    fields = [_column(model, name) for name in names]
    quote = connection.ops.quote_name
    key = quote(pk.column)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [pk, *fields])
    aliases = ", ".join(quote(f.column) for f in [pk, *fields])
    sql = (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
        f"FROM unnest({arrays}) AS v({aliases}) WHERE t.{key} = v.{key}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), WRITE_BATCH):
            batch = objs[start : start + WRITE_BATCH]
            cursor.execute(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in batch]
                    for f in [pk, *fields]
                ],
            )


def _copy_history(rows: Iterable[tuple[Any, ...]]) -> None:
    """AccountChange rows (in HISTORY_COLUMNS order) by one COPY: an import writes several per
    account, and a model instance each through bulk_create costs more than the database does."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    if connection.vendor != "postgresql":
        # No COPY on the embedded SQLite default.
        AccountChange.objects.bulk_create(
            [
                AccountChange(
                    **{
                        _column(AccountChange, name).attname: value
                        for name, value in zip(HISTORY_COLUMNS, row, strict=True)
                    }
                )
                for row in (first, *rows)
            ],
            batch_size=WRITE_BATCH,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(AccountChange, name).column) for name in HISTORY_COLUMNS)
    table = quote(AccountChange._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        copy.write_row(first)
        for row in rows:
            copy.write_row(row)


def _apply_custom_values(
    accounts_and_values: Sequence[tuple[CustomerAccount, dict[str, Any]]],
    changes_of: list[list[Change]],
    custom_fields: dict[str, CustomField] | None,
) -> None:
    """Write the custom values that differ, adding a history row each to `changes_of`."""
    wanted = [
        index
        for index, (_account, values) in enumerate(accounts_and_values)
        if any(name.startswith(CUSTOM_FIELD_PREFIX) for name in values)
    ]
    if not wanted:
        return
    if custom_fields is None:
        custom_fields = {field.key: field for field in CustomField.objects.all()}
    existing: dict[tuple[int, int], CustomFieldValue] = {}
    account_ids = [accounts_and_values[index][0].pk for index in wanted]
    for start in range(0, len(account_ids), WRITE_BATCH * 5):
        for found in CustomFieldValue.objects.filter(
            account_id__in=account_ids[start : start + WRITE_BATCH * 5]
        ):
            existing[(found.account_id, found.field_id)] = found
    to_delete: list[int] = []
    to_create: list[CustomFieldValue] = []
    to_update: dict[str, list[CustomFieldValue]] = {}
    for index in wanted:
        account, values = accounts_and_values[index]
        for name, value in values.items():
            if not name.startswith(CUSTOM_FIELD_PREFIX):
                continue
            field = custom_fields[name.removeprefix(CUSTOM_FIELD_PREFIX)]
            column = _custom_column(field)
            stored = existing.get((account.pk, field.pk))
            current = getattr(stored, column) if stored else None
            if current in ("", None) and value is None:
                continue
            if current == value:
                continue
            if value is None and stored is not None:
                to_delete.append(stored.pk)
            elif stored is None:
                to_create.append(CustomFieldValue(account=account, field=field, **{column: value}))
            else:
                setattr(stored, column, value)
                to_update.setdefault(column, []).append(stored)
            changes_of[index].append((name, _shown(current), _shown(value)))
    if to_delete:
        CustomFieldValue.objects.filter(pk__in=to_delete).delete()
    CustomFieldValue.objects.bulk_create(to_create, batch_size=WRITE_BATCH)
    for column, stored_values in to_update.items():
        _update_in_bulk(stored_values, [column])


LTV_FORMULA = gettext_lazy("LTV = ARR × expected lifetime in months ÷ 12")
