"""An accounts import written in batches leaves what it leaves written one account at a time.

A varied file is imported, then a second version of it (rows left as they were, rows with
changed cells, new rows, new domains, churned stages, strategic flags, custom fields of each
kind), once with the whole file in one batch and once a row at a time, each rolled back after
its rows are read: accounts, history, custom values, domains, member links and the jobs' row
results must be the same. (kizuna/customers/tests/test_account_values_batch.py holds the
account write itself to the old one-at-a-time code.)
"""

import random
from typing import Any

import pytest
from django.db import transaction

from kizuna.crm import importer
from kizuna.crm.models import ImportJob, ImportRowResult
from kizuna.crm.tests.factories import csv_bytes, import_file
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    MemberAccountLink,
    Plan,
)
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADERS = ["Account ID", "Account Name", "Website", "ARR", "プラン", "ステージ", "戦略"]
HEADERS += ["CSM", "更新日", "Region", "memo", "licences", "next_qbr", "contract"]
MAPPING = ["salesforce_id", "name", "domains", "arr_minor", "plan", "lifecycle_stage"]
MAPPING += ["is_strategic", "csm_owner", "renewal_date", "region"]
MAPPING += ["custom:memo", "custom:licences", "custom:next_qbr", "custom:contract"]
CELLS = [
    ["", "120万", "1,200,000", "9999999", "1000万", "4800万"],
    ["", "Standard", "Pro"],
    ["", "オンボーディング", "活用", "解約", "リスク", "解約"],
    ["", "はい", "いいえ"],
    ["", "csm@vendor.example.jp", "owner@vendor.example.jp"],
    ["", "2027/04/01", "2026-10-01"],
    ["", "関東", "関西"],
    ["", "要フォロー", "更新交渉中"],
    ["", "5", "5.5", "120"],
    ["", "2026/06/01", "2026年9月15日"],
    ["", "年間", "月額"],
]


def row(rng: random.Random, n: int) -> list[str]:
    website = f"company{n}.example.jp" if n % 4 else ""
    return [f"001{n:012d}", f"株式会社テスト{n}", website] + [rng.choice(c) for c in CELLS]


def files(seed: int) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    first = [row(rng, n) for n in range(30)]
    second = []
    for cells in first:
        cells = list(cells)
        if rng.random() < 0.6:
            for index in rng.sample(range(3, len(cells)), 3):
                cells[index] = rng.choice(CELLS[index - 3])
        if rng.random() < 0.2 and cells[2]:
            cells[2] += ", " + cells[2].replace(".jp", ".com")
        second.append(cells)
    second += [row(rng, n) for n in range(30, 45)]
    rng.shuffle(second)
    return csv_bytes(HEADERS, first), csv_bytes(HEADERS, second)


def snapshot() -> dict[str, Any]:
    fields = [
        field.attname
        for field in CustomerAccount._meta.concrete_fields
        if field.attname not in ("id", "plan_id", "csm_owner_id", "created_at", "updated_at")
    ]
    return {
        "accounts": list(
            CustomerAccount.objects.order_by("name").values_list(
                *fields, "plan__name", "csm_owner__email"
            )
        ),
        "history": list(
            AccountChange.objects.order_by("account__name", "pk").values_list(
                "account__name", "field", "old_value", "new_value", "changed_by__email", "source"
            )
        ),
        "custom": list(
            CustomFieldValue.objects.order_by("account__name", "field__key").values_list(
                "account__name", "field__key", "text_value", "number_value", "date_value"
            )
        ),
        "domains": list(
            AccountDomain.objects.order_by("domain").values_list("account__name", "domain")
        ),
        "links": list(
            MemberAccountLink.objects.order_by("member__email").values_list(
                "member__email", "account__name", "source"
            )
        ),
        "jobs": list(
            ImportJob.objects.order_by("pk").values_list(
                "status", "created_count", "updated_count", "unchanged_count", "rejected_count"
            )
        ),
        "rows": list(
            ImportRowResult.objects.order_by("job__pk", "line").values_list(
                "line", "outcome", "label", "changed", "account__name"
            )
        ),
    }


@pytest.mark.parametrize("seed", range(3))
def test_a_file_written_in_one_batch_leaves_what_one_row_at_a_time_leaves(
    seed: int, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    csm: Member = StaffFactory(staff_role="csm", email="csm@vendor.example.jp")
    StaffFactory(staff_role="csm", email="owner@vendor.example.jp")
    Plan.objects.bulk_create([Plan(name="Standard", rank=1), Plan(name="Pro", rank=2)])
    CustomField.objects.create(key="memo", label="メモ", kind="text")
    CustomField.objects.create(key="licences", label="ライセンス数", kind="number")
    CustomField.objects.create(key="next_qbr", label="次回QBR", kind="date")
    CustomField.objects.create(
        key="contract", label="契約", kind="choice", choices=["年間", "月額"]
    )
    for n in range(0, 45, 3):
        MemberFactory(email=f"person{n}@company{n}.example.jp")
        MemberFactory(email=f"person{n}@company{n}.example.com")
    first, second = files(seed)
    sizes: list[int] = []
    apply = importer.apply_account_values_batch

    def counted(items: Any, **kwargs: Any) -> list[list[str]]:
        sizes.append(len(items))
        return apply(items, **kwargs)

    monkeypatch.setattr(importer, "apply_account_values_batch", counted)

    def imported(batch: int, steps: int) -> dict[str, Any]:
        sizes.clear()
        monkeypatch.setattr(importer, "ACCOUNT_WRITE_BATCH", batch)
        monkeypatch.setattr(importer, "PROGRESS_STEPS", steps)
        with transaction.atomic():
            for data in (first, second):
                job = import_file(csm, data, django_capture_on_commit_callbacks, mapping=MAPPING)
                assert (job.status, job.failure) == (ImportJob.Status.DONE, "")
            state = snapshot()
            transaction.set_rollback(True)
        return state

    one_at_a_time = imported(batch=1, steps=100)
    assert set(sizes) == {1}
    # One progress step for the whole file: one batch of up to 1,000 rows.
    assert imported(batch=1000, steps=1) == one_at_a_time
    assert sizes == [30, sum(1 for _row in one_at_a_time["rows"]) - 30]

    # The second file created, changed and left accounts alone, churned some and linked people.
    created, updated, unchanged = one_at_a_time["jobs"][1][1:4]
    assert created == 15 and updated > 5 and unchanged > 3
    fields = {field for _name, field, *_rest in one_at_a_time["history"]}
    assert {"touch_tier", "lifecycle_stage", "is_strategic", "custom:licences"} <= fields
    assert any(account[1] == "churned" for account in one_at_a_time["accounts"])
    assert len(one_at_a_time["links"]) > 5
    assert any(domain.endswith(".com") for _name, domain in one_at_a_time["domains"])
