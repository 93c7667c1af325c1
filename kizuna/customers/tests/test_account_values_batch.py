"""The batch write path leaves exactly what writing the accounts one at a time leaves.

`reference_apply` below is `apply_account_values` as it was before the batch existed (one
account, a save and a few queries each): for varied fixtures drawn from a seeded random
generator (new accounts, changed and unchanged fields, custom fields of each kind set, changed,
cleared, strategic flags, churned stages, stale stored tiers, tiers set by hand) the batch, the
one-account function and the batch in small pieces must leave the same rows as it does:
accounts, history (field, old, new, who, source, in order), custom values, and which accounts
were saved. Timestamps and ids are left out of the comparison.
"""

import datetime as dt
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kizuna.customers.economics import (
    ACCOUNT_FIELD_KINDS,
    CUSTOM_FIELD_PREFIX,
    _custom_column,
    _shown,
    apply_account_values,
    apply_account_values_batch,
)
from kizuna.customers.models import (
    AccountChange,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    LifecycleStage,
    Plan,
    TierSettings,
    TouchTier,
)
from kizuna.customers.tests.factories import CustomFieldFactory
from kizuna.customers.tiers import current_tier_settings, tier_for
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

Items = list[tuple[CustomerAccount, dict[str, Any]]]


def reference_apply(
    account: CustomerAccount,
    values: dict[str, Any],
    *,
    actor: Member | None,
    source: str,
    custom_fields: dict[str, CustomField] | None = None,
) -> list[str]:
    """apply_account_values before the batch path, word for word: the oracle."""
    changes: list[AccountChange] = []
    is_new = account.pk is None
    for name, value in values.items():
        if name.startswith(CUSTOM_FIELD_PREFIX) or name not in ACCOUNT_FIELD_KINDS:
            continue
        current = getattr(account, name)
        if current == value or (current in (None, "") and value in (None, "")):
            continue
        changes.append(
            AccountChange(field=name, old_value=_shown(current), new_value=_shown(value))
        )
        setattr(account, name, value)
    if values.get("lifecycle_stage") is not None:
        churned = account.lifecycle_stage == LifecycleStage.CHURNED
        account.status = (
            CustomerAccount.Status.CHURNED if churned else CustomerAccount.Status.ACTIVE
        )
    new_tier = tier_for(account)
    if account.touch_tier != new_tier:
        if not is_new:
            changes.append(
                AccountChange(
                    field="touch_tier", old_value=account.touch_tier, new_value=new_tier.value
                )
            )
        account.touch_tier = new_tier
    if changes or is_new:
        account.save()
    custom_fields = (
        custom_fields
        if custom_fields is not None
        else {field.key: field for field in CustomField.objects.all()}
    )
    existing = {value.field_id: value for value in CustomFieldValue.objects.filter(account=account)}
    for name, value in values.items():
        if not name.startswith(CUSTOM_FIELD_PREFIX):
            continue
        field = custom_fields[name.removeprefix(CUSTOM_FIELD_PREFIX)]
        column = _custom_column(field)
        stored = existing.get(field.pk)
        current = getattr(stored, column) if stored else None
        if current in ("", None) and value is None:
            continue
        if current == value:
            continue
        if value is None and stored is not None:
            stored.delete()
        elif stored is None:
            CustomFieldValue.objects.create(account=account, field=field, **{column: value})
        else:
            setattr(stored, column, value)
            stored.save(update_fields=[column])
        changes.append(
            AccountChange(field=name, old_value=_shown(current), new_value=_shown(value))
        )
    for change in changes:
        change.account = account
        change.changed_by = actor
        change.source = source
    AccountChange.objects.bulk_create(changes)
    return [change.field for change in changes]


class World:
    """Plans, staff, custom fields of each kind and bands, made once per test."""

    def __init__(self, rng: random.Random) -> None:
        csm: Member = StaffFactory(staff_role="csm", email="csm@vendor.example.jp")
        admin: Member = StaffFactory(staff_role="admin", email="admin@vendor.example.jp")
        self.staff: list[Member | None] = [None, csm, admin]
        self.plans: list[Plan | None] = [
            None,
            Plan.objects.create(name="Standard", rank=1),
            Plan.objects.create(name="Pro", rank=2),
        ]
        self.fields = {
            "memo": CustomFieldFactory(key="memo", kind=CustomField.Kind.TEXT),
            "licences": CustomFieldFactory(key="licences", kind=CustomField.Kind.NUMBER),
            "next_qbr": CustomFieldFactory(key="next_qbr", kind=CustomField.Kind.DATE),
            "contract": CustomFieldFactory(
                key="contract", kind=CustomField.Kind.CHOICE, choices=["年間", "月額", "複数年"]
            ),
        }
        settings = current_tier_settings()
        settings.basis = rng.choice([TierSettings.Basis.ARR, TierSettings.Basis.LTV])
        settings.default_lifetime_months = rng.choice([24, 36])
        settings.save()

    def built_in(self, rng: random.Random, name: str, n: int) -> Any:
        date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        choices: dict[str, Sequence[Any]] = {
            "plan": self.plans,
            "currency": ["JPY", "JPY", "JPY", "USD"],
            "arr_minor": [None, 0, 1_199_999, 1_200_000, 9_999_999, 10_000_000, 48_000_000],
            "mrr_minor": [None, 100_000, 1_000_000],
            "ltv_minor": [None, None, 3_000_000, 40_000_000],
            "expected_lifetime_months": [None, 12, 36, 60],
            "contract_start": [None, date],
            "renewal_date": [None, date, dt.date(2027, 4, 1)],
            "lifecycle_stage": LifecycleStage.values + [LifecycleStage.CHURNED] * 2,
            "csm_owner": self.staff,
            # Quotes, commas, braces, backslashes and tabs survive the arrays and COPY.
            "industry": ["", "製造", "IT", 'A,B "C" {D} \\E\tF\nG', "NULL"],
            "region": ["", "関東", "関西"],
            "employee_band": ["", "1-49", "300-999", "5000+"],
            "external_id": ["", f"EXT-{n}"],
            "salesforce_id": ["", f"001{n:09d}"],
            "hubspot_id": ["", f"HS{n}"],
            "is_strategic": [False, False, True],
        }
        return rng.choice(choices[name])

    def custom(self, rng: random.Random, key: str) -> Any:
        choices: dict[str, Sequence[Any]] = {
            "memo": [None, "", "要フォロー", "更新交渉中", "'x', {y}, \\N"],
            "licences": [None, Decimal("5"), Decimal("5.5000"), Decimal("120"), Decimal("0.25")],
            "next_qbr": [None, dt.date(2026, 6, 1), dt.date(2026, 9, 15)],
            "contract": [None, "年間", "月額", "複数年"],
        }
        return rng.choice(choices[key])


def build_fixture(
    world: World, seed: int, size: int = 40
) -> list[tuple[str | None, dict[str, Any]]]:
    """Existing accounts in the database and, per row, the account it is about (None: a new
    one) with the values to write; the same for every path."""
    rng = random.Random(seed)
    names = [name for name in ACCOUNT_FIELD_KINDS if name != "name"]
    existing: list[CustomerAccount] = []
    for n in range(size):
        account = CustomerAccount(name=f"既存{seed}-{n}")
        for name in names:
            if rng.random() < 0.6:
                setattr(account, name, world.built_in(rng, name, n))
        # Stored tiers and statuses need not agree with the figures yet.
        account.touch_tier = (
            rng.choice(TouchTier.values) if rng.random() < 0.4 else tier_for(account).value
        )
        account.status = rng.choice(CustomerAccount.Status.values)
        if rng.random() < 0.15:
            account.tier_override = rng.choice(TouchTier.values)
        existing.append(account)
    CustomerAccount.objects.bulk_create(existing)
    stored: list[CustomFieldValue] = []
    for account in existing:
        for key, field in world.fields.items():
            value = world.custom(rng, key)
            if rng.random() < 0.5 and value is not None:
                stored.append(
                    CustomFieldValue(account=account, field=field, **{_custom_column(field): value})
                )
    CustomFieldValue.objects.bulk_create(stored)

    rows: list[tuple[str | None, dict[str, Any]]] = []
    for n, account in enumerate(existing):
        if rng.random() < 0.2:
            # A row of the CRM's export that says what the account already has.
            values = {name: getattr(account, name) for name in rng.sample(names, 6)}
            rows.append((account.name, values))
            continue
        values = {}
        if rng.random() < 0.1:
            values["name"] = f"改名{seed}-{n}"
        for name in names:
            if rng.random() < 0.35:
                values[name] = world.built_in(rng, name, n)
        for key in world.fields:
            if rng.random() < 0.5:
                values[CUSTOM_FIELD_PREFIX + key] = world.custom(rng, key)
        if rng.random() < 0.1:
            values["not_a_field"] = "ignored"
        rows.append((account.name, values))
    for n in range(size, size + size // 2):
        values = {"name": f"新規{seed}-{n}"}
        for name in names:
            if rng.random() < 0.5:
                values[name] = world.built_in(rng, name, n)
        for key in world.fields:
            if rng.random() < 0.5:
                values[CUSTOM_FIELD_PREFIX + key] = world.custom(rng, key)
        rows.append((None, values))
    rng.shuffle(rows)
    return rows


Path = Callable[[Items, Member | None], list[list[str]]]


def state_after(
    path: Path, rows: list[tuple[str | None, dict[str, Any]]], actor: Member | None
) -> Any:
    """Run a path on fresh copies of the accounts, read what it left, and roll it back."""
    with transaction.atomic():
        before = timezone.now()
        loaded = CustomerAccount.objects.select_related("plan", "csm_owner").in_bulk(
            [name for name, _values in rows if name], field_name="name"
        )
        items = [
            (loaded[name] if name else CustomerAccount(), dict(values)) for name, values in rows
        ]
        returned = path(items, actor)
        accounts = [
            (
                *row[:-1],
                row[-1] > before,  # saved by this path
            )
            for row in CustomerAccount.objects.order_by("name").values_list(
                *[
                    field.attname
                    for field in CustomerAccount._meta.concrete_fields
                    if field.attname
                    not in ("id", "plan_id", "csm_owner_id", "created_at", "updated_at")
                ],
                "plan__name",
                "csm_owner__email",
                "updated_at",
            )
        ]
        history = list(
            AccountChange.objects.order_by("account__name", "pk").values_list(
                "account__name", "field", "old_value", "new_value", "changed_by__email", "source"
            )
        )
        custom = list(
            CustomFieldValue.objects.order_by("account__name", "field__key").values_list(
                "account__name", "field__key", "text_value", "number_value", "date_value"
            )
        )
        in_memory = [
            (account.name, account.pk is not None, account.status, account.touch_tier)
            for account, _values in items
        ]
        transaction.set_rollback(True)
    return {
        "returned": returned,
        "accounts": accounts,
        "history": history,
        "custom": custom,
        "in_memory": in_memory,
    }


def one_by_one_reference(items: Items, actor: Member | None) -> list[list[str]]:
    return [
        reference_apply(account, values, actor=actor, source=AccountChange.Source.IMPORT)
        for account, values in items
    ]


def one_batch(items: Items, actor: Member | None) -> list[list[str]]:
    return apply_account_values_batch(
        items,
        actor=actor,
        source=AccountChange.Source.IMPORT,
        custom_fields={field.key: field for field in CustomField.objects.all()},
        tier_settings=current_tier_settings(),
    )


def one_at_a_time(items: Items, actor: Member | None) -> list[list[str]]:
    return [
        apply_account_values(account, values, actor=actor, source=AccountChange.Source.IMPORT)
        for account, values in items
    ]


def batches_of_seven(items: Items, actor: Member | None) -> list[list[str]]:
    returned: list[list[str]] = []
    for start in range(0, len(items), 7):
        returned += apply_account_values_batch(
            items[start : start + 7], actor=actor, source=AccountChange.Source.IMPORT
        )
    return returned


@pytest.mark.parametrize("seed", range(6))
def test_the_batch_leaves_what_writing_one_account_at_a_time_leaves(seed: int) -> None:
    world = World(random.Random(seed))
    rows = build_fixture(world, seed)
    actor = world.staff[1] if seed % 3 else None
    expected = state_after(one_by_one_reference, rows, actor)

    # The fixture is varied enough to mean something.
    changed_fields = {field for _name, field, *_rest in expected["history"]}
    assert {"touch_tier", "lifecycle_stage", "is_strategic", "arr_minor"} <= changed_fields
    assert {f"custom:{key}" for key in world.fields} <= changed_fields
    assert any(not changed for changed in expected["returned"]), "no unchanged row"
    assert any(status == "churned" for _n, _new, status, _tier in expected["in_memory"])
    cleared = [row for row in expected["history"] if row[1].startswith("custom:") and not row[3]]
    assert cleared, "no custom value was cleared"
    written = {row[3] for row in expected["history"]}
    assert {'A,B "C" {D} \\E\tF\nG', "'x', {y}, \\N"} <= written

    for path in (one_batch, one_at_a_time, batches_of_seven):
        assert state_after(path, rows, actor) == expected, path.__name__


def test_the_number_of_queries_does_not_grow_with_the_number_of_accounts(
    django_assert_num_queries: Any,
) -> None:
    world = World(random.Random(0))
    licences = world.fields["licences"]
    settings = current_tier_settings()

    def batch_of(count: int, start: int) -> Items:
        existing = CustomerAccount.objects.bulk_create(
            CustomerAccount(name=f"既存{start + n}", arr_minor=1_000_000) for n in range(count)
        )
        CustomFieldValue.objects.bulk_create(
            CustomFieldValue(account=account, field=licences, number_value=Decimal(10))
            for account in existing
        )
        changed: Items = [
            (account, {"arr_minor": 20_000_000, "region": "関東", "custom:licences": Decimal(12)})
            for account in existing
        ]
        new: Items = [
            (CustomerAccount(), {"name": f"新規{start + n}", "custom:memo": "新規"})
            for n in range(count)
        ]
        return changed + new

    for count, start in ((5, 0), (200, 1000)):
        items = batch_of(count, start)
        with django_assert_num_queries(5):
            # The custom values read, the accounts inserted, the accounts updated, the custom
            # values inserted and updated (and the history by COPY, not counted here).
            apply_account_values_batch(
                items,
                actor=None,
                source="import",
                custom_fields=world.fields,
                tier_settings=settings,
            )
    assert AccountChange.objects.filter(field="arr_minor").count() == 205
    assert AccountChange.objects.filter(field="touch_tier", new_value="high").count() == 205
    assert CustomFieldValue.objects.filter(number_value=12).count() == 205


def test_an_account_may_appear_only_once_in_a_batch() -> None:
    account = CustomerAccount.objects.create(name="株式会社テスト")
    again = CustomerAccount.objects.get(pk=account.pk)
    with pytest.raises(ValueError):
        apply_account_values_batch(
            [(account, {"region": "関東"}), (again, {"region": "関西"})],
            actor=None,
            source="import",
        )


def test_a_name_or_id_taken_meanwhile_is_the_integrity_error_the_form_reports() -> None:
    """The account form checks names and ids first and reports a clash that slipped past it
    (two people saving at once) from the IntegrityError the write raises."""
    CustomerAccount.objects.create(name="株式会社いち", salesforce_id="001A")
    other = CustomerAccount.objects.create(name="株式会社に")
    for account, values in (
        (other, {"name": "株式会社いち"}),
        (other, {"salesforce_id": "001A"}),
        (CustomerAccount(), {"name": "株式会社いち"}),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            apply_account_values(account, values, actor=None, source="form")
        if account.pk:
            account.refresh_from_db()
    assert CustomerAccount.objects.count() == 2
    assert not AccountChange.objects.exists()
