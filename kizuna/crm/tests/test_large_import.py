"""Large files: 50,000 contacts (a CRM's contacts export), 50,000 new accounts, and 50,000
accounts imported again with changes, with the progress a page polls rising step by step to
the total; rows per second printed (well over 1,000 a second for each on a 2-core machine).

CRM_CONTACT_ROWS / CRM_ACCOUNT_ROWS change the sizes for a measurement run.
"""

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count

from kizuna.crm import progress
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import check, csv_bytes, run, upload
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    Contact,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    Plan,
)
from kizuna.customers.tiers import recompute_tiers
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONTACT_ROWS = int(os.environ.get("CRM_CONTACT_ROWS", "50000"))
ACCOUNT_ROWS = int(os.environ.get("CRM_ACCOUNT_ROWS", "50000"))

Reported = list[tuple[str, int, int]]


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> Iterator[Reported]:
    """Every progress report the tasks make, in order (still stored for the page as usual)."""
    seen: Reported = []
    record = progress.record

    def spy(job_id: int, phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total))
        record(job_id, phase, done, total)

    monkeypatch.setattr(progress, "record", spy)
    yield seen


def assert_rises_to(total: int, reports: Reported, phase: str) -> None:
    done = [d for p, d, _total in reports if p == phase]
    assert done == sorted(done), f"the {phase} progress went backwards"
    assert done[0] == 0 and done[-1] == total
    assert len(done) >= 50, "the page should see the bar move, not jump to the end"
    assert {t for p, _d, t in reports if p == phase} == {total}


def test_a_50000_row_contacts_file_is_imported_with_progress_rising_to_the_total(
    reported: Reported, django_capture_on_commit_callbacks: Any
) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    CustomerAccount.objects.bulk_create(
        CustomerAccount(name=f"株式会社テスト{n}", salesforce_id=f"001{n:09d}") for n in range(500)
    )
    data = csv_bytes(
        ["Contact ID", "Last Name", "First Name", "Email", "Title", "Phone", "Account ID"],
        [
            [
                f"003{n:09d}",
                ("山田", "佐藤", "鈴木")[n % 3],
                ("太郎", "花子", "一郎")[n % 3],
                f"person{n}@company{n % 500}.example.jp",
                ("部長", "課長", "担当")[n % 3],
                f"03-{n % 10000:04d}-{n % 9999:04d}",
                f"001{n % 500:09d}",
            ]
            for n in range(CONTACT_ROWS)
        ],
    )
    started = time.perf_counter()
    job = check(csm, upload(csm, data, kind="contacts"), django_capture_on_commit_callbacks)
    checked = time.perf_counter()
    assert (job.status, job.created_count, job.rejected_count) == ("checked", CONTACT_ROWS, 0)
    assert_rises_to(CONTACT_ROWS, reported, "checking")

    reported.clear()
    job = run(csm, job, django_capture_on_commit_callbacks)
    finished = time.perf_counter()
    assert job.status == ImportJob.Status.DONE and job.created_count == CONTACT_ROWS
    assert Contact.objects.count() == CONTACT_ROWS
    assert_rises_to(CONTACT_ROWS, reported, "checking")  # checked again inside the import
    assert_rises_to(CONTACT_ROWS, reported, "writing")
    assert Contact.objects.get(external_id="003000000004").full_name == "佐藤 花子"
    print(
        f"\n{CONTACT_ROWS} contacts: upload and check {checked - started:.1f} s "
        f"({CONTACT_ROWS / (checked - started):.0f} rows/s); "
        f"import {finished - checked:.1f} s ({CONTACT_ROWS / (finished - checked):.0f} rows/s)"
    )


@pytest.mark.deep
def test_a_50000_row_accounts_file_is_imported_with_progress_rising_to_the_total(
    reported: Reported, django_capture_on_commit_callbacks: Any
) -> None:
    csm: Member = StaffFactory(staff_role="csm", email="owner@vendor.example.jp")
    Plan.objects.bulk_create([Plan(name="Standard", rank=1), Plan(name="Enterprise", rank=2)])
    data = csv_bytes(
        ["Account ID", "Account Name", "ARR", "Website", "Industry", "プラン", "更新日", "CSM"],
        [
            [
                f"001{n:012d}",
                f"株式会社テスト{n}",
                f"{(n % 97 + 1) * 100_000}",
                f"company{n}.example.jp",
                ("製造", "小売", "IT")[n % 3],
                ("Standard", "Enterprise")[n % 2],
                f"2027/{n % 12 + 1:02d}/01",
                "owner@vendor.example.jp",
            ]
            for n in range(ACCOUNT_ROWS)
        ],
    )
    started = time.perf_counter()
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    checked = time.perf_counter()
    assert (job.created_count, job.rejected_count) == (ACCOUNT_ROWS, 0)
    reported.clear()
    job = run(csm, job, django_capture_on_commit_callbacks)
    finished = time.perf_counter()

    assert job.status == ImportJob.Status.DONE and job.created_count == ACCOUNT_ROWS
    assert_rises_to(ACCOUNT_ROWS, reported, "checking")
    assert_rises_to(ACCOUNT_ROWS, reported, "writing")
    assert CustomerAccount.objects.filter(plan__name="Enterprise").count() == ACCOUNT_ROWS // 2
    # ARR (n % 97 + 1) × 100,000 yen: 1,200,000 (n % 97 = 11) and up is low touch, none high.
    low = sum(1 for n in range(ACCOUNT_ROWS) if n % 97 >= 11)
    assert CustomerAccount.objects.filter(touch_tier="low").count() == low
    assert CustomerAccount.objects.filter(touch_tier="high").count() == 0
    assert AccountDomain.objects.count() == ACCOUNT_ROWS
    # Salesforce id, name, ARR, industry, plan, renewal date and owner of each new account
    assert AccountChange.objects.filter(source="import").count() == 7 * ACCOUNT_ROWS
    print(
        f"\n{ACCOUNT_ROWS} accounts: upload and check {checked - started:.1f} s "
        f"({ACCOUNT_ROWS / (checked - started):.0f} rows/s); "
        f"import {finished - checked:.1f} s ({ACCOUNT_ROWS / (finished - checked):.0f} rows/s)"
    )


@pytest.mark.deep
def test_50000_accounts_imported_again_with_changes_keep_a_history_of_each(
    reported: Reported, django_capture_on_commit_callbacks: Any
) -> None:
    csm: Member = StaffFactory(staff_role="csm", email="owner@vendor.example.jp")
    standard, _enterprise = Plan.objects.bulk_create(
        [Plan(name="Standard", rank=1), Plan(name="Enterprise", rank=2)]
    )
    CustomField.objects.create(key="licences", label="ライセンス数", kind="number")
    CustomerAccount.objects.bulk_create(
        (
            CustomerAccount(
                name=f"株式会社テスト{n}",
                salesforce_id=f"001{n:012d}",
                arr_minor=(n % 97 + 1) * 100_000,
                plan=standard,
                lifecycle_stage="adoption",
            )
            for n in range(ACCOUNT_ROWS)
        ),
        batch_size=5000,
    )
    recompute_tiers()
    # Odd rows add 1,000,000 yen of ARR, every third moves to Enterprise, every tenth churned,
    # every fourth gets a licence count; the rest say what the account already has.
    data = csv_bytes(
        ["Account ID", "Account Name", "ARR", "プラン", "ライフサイクル", "licences"],
        [
            [
                f"001{n:012d}",
                f"株式会社テスト{n}",
                f"{(n % 97 + 1) * 100_000 + (n % 2) * 1_000_000}",
                "Enterprise" if n % 3 == 0 else "Standard",
                "解約" if n % 10 == 0 else "活用",
                f"{n % 50 + 1}" if n % 4 == 0 else "",
            ]
            for n in range(ACCOUNT_ROWS)
        ],
    )
    started = time.perf_counter()
    job = upload(csm, data)
    assert job.mapping == [
        "salesforce_id",
        "name",
        "arr_minor",
        "plan",
        "lifecycle_stage",
        "custom:licences",
    ]
    job = check(csm, job, django_capture_on_commit_callbacks)
    checked = time.perf_counter()
    unchanged = sum(1 for n in range(ACCOUNT_ROWS) if n % 4 == 2 and n % 3 != 0 and n % 5 != 0)
    assert (job.updated_count, job.unchanged_count, job.rejected_count) == (
        ACCOUNT_ROWS - unchanged,
        unchanged,
        0,
    )
    reported.clear()
    job = run(csm, job, django_capture_on_commit_callbacks)
    finished = time.perf_counter()

    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count) == (0, ACCOUNT_ROWS - unchanged)
    assert_rises_to(ACCOUNT_ROWS, reported, "checking")
    assert_rises_to(ACCOUNT_ROWS - unchanged, reported, "writing")
    odd = ACCOUNT_ROWS // 2
    thirds = (ACCOUNT_ROWS + 2) // 3
    tenths = (ACCOUNT_ROWS + 9) // 10
    fourths = (ACCOUNT_ROWS + 3) // 4
    # An odd row crosses into low touch from 200,000–1,100,000 yen (n % 97 in 1..10), into
    # high touch from 9,000,000 yen and up (n % 97 ≥ 89).
    moved = sum(1 for n in range(1, ACCOUNT_ROWS, 2) if 1 <= n % 97 <= 10 or n % 97 >= 89)
    history = dict(
        AccountChange.objects.filter(source="import", changed_by=csm)
        .values("field")
        .annotate(n=Count("pk"))
        .values_list("field", "n")
    )
    assert history == {
        "arr_minor": odd,
        "plan": thirds,
        "lifecycle_stage": tenths,
        "custom:licences": fourths,
        "touch_tier": moved,
    }
    assert CustomerAccount.objects.filter(status="churned").count() == tenths
    assert CustomerAccount.objects.filter(plan__name="Enterprise").count() == thirds
    assert CustomFieldValue.objects.filter(field__key="licences").count() == fourths
    assert CustomFieldValue.objects.get(account__salesforce_id=f"001{4:012d}").number_value == 5
    first = CustomerAccount.objects.get(salesforce_id=f"001{1:012d}")
    assert (first.arr_minor, first.touch_tier) == (1_200_000, "low")
    print(
        f"\n{ACCOUNT_ROWS} accounts again, {ACCOUNT_ROWS - unchanged} changed: "
        f"upload and check {checked - started:.1f} s "
        f"({ACCOUNT_ROWS / (checked - started):.0f} rows/s); "
        f"import {finished - checked:.1f} s ({ACCOUNT_ROWS / (finished - checked):.0f} rows/s)"
    )
