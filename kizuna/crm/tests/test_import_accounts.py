"""Importing accounts from Salesforce and HubSpot exports, through the whole job."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kizuna.core.models import AuditEntry
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import check, csv_bytes, import_file, run, upload
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    CustomerAccount,
    CustomField,
    MemberAccountLink,
    Plan,
)
from kizuna.customers.tests.factories import AccountDomainFactory, CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SALESFORCE_EN = [
    "Account ID",
    "Account Name",
    "Annual Revenue",
    "Website",
    "Industry",
    "Billing State/Province",
    "Employees",
    "Account Owner",
]
SALESFORCE_JA = [
    "取引先 ID",
    "取引先名",
    "年間売上",
    "Web サイト",
    "業種",
    "請求先都道府県",
    "従業員数",
    "取引先 所有者",
]
HUBSPOT_EN = [
    "Record ID",
    "Company name",
    "Company Domain Name",
    "Annual Revenue",
    "Industry",
    "Number of Employees",
    "Company owner",
]


@pytest.fixture
def csm() -> Member:
    staff: Member = StaffFactory(
        staff_role="csm", email="csm@vendor.example.jp", display_name="佐藤 花子"
    )
    return staff


def test_a_salesforce_export_in_english_creates_accounts_with_their_values(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        SALESFORCE_EN,
        [
            [
                "0015g00000AbCdE",
                "株式会社アクメ",
                "12,000,000",
                "https://www.acme.co.jp/",
                "製造",
                "東京都",
                "1200",
                "csm@vendor.example.jp",
            ],
            ["0015g00000XyZ12", "Beta KK", "800000", "beta.jp", "IT", "大阪府", "40", "佐藤 花子"],
        ],
    )
    job = import_file(csm, data, django_capture_on_commit_callbacks)

    assert job.source == ImportJob.Source.SALESFORCE
    assert job.encoding == "utf-8"
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == (
        2,
        0,
        0,
        0,
    )
    acme = CustomerAccount.objects.get(salesforce_id="0015g00000AbCdE")
    assert acme.name == "株式会社アクメ"
    assert acme.arr_minor == 12_000_000
    assert acme.industry == "製造"
    assert acme.region == "東京都"
    assert acme.employee_band == "1000-4999"
    assert acme.csm_owner == csm
    assert acme.touch_tier == "high"  # ¥12,000,000 ≥ the default ¥10,000,000 band
    assert list(acme.domains.values_list("domain", flat=True)) == ["acme.co.jp"]
    beta = CustomerAccount.objects.get(name="Beta KK")
    assert (beta.arr_minor, beta.employee_band, beta.csm_owner) == (800_000, "1-49", csm)
    assert beta.touch_tier == "tech"
    history = set(
        AccountChange.objects.filter(account=acme).values_list("field", "new_value", "source")
    )
    assert ("arr_minor", "12000000", "import") in history
    assert (
        AuditEntry.objects.filter(action="crm.import_committed", target_id=str(job.pk)).count() == 1
    )


def test_a_salesforce_export_in_japanese_saved_as_shift_jis_is_read(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        SALESFORCE_JA,
        [
            [
                "0015g00000JpN01",
                "株式会社さくら",
                "1,500万",
                "sakura.co.jp",
                "小売",
                "福岡県",
                "300",
                "",
            ]
        ],
        encoding="cp932",
    )
    job = upload(csm, data)
    assert job.encoding == "cp932"
    assert job.source == ImportJob.Source.SALESFORCE
    assert job.mapping == [
        "salesforce_id",
        "name",
        "arr_minor",
        "domains",
        "industry",
        "region",
        "employee_band",
        "csm_owner",
    ]
    job = run(
        csm, check(csm, job, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    sakura = CustomerAccount.objects.get(salesforce_id="0015g00000JpN01")
    assert (sakura.name, sakura.arr_minor, sakura.region, sakura.employee_band) == (
        "株式会社さくら",
        15_000_000,
        "福岡県",
        "300-999",
    )
    assert sakura.csm_owner is None


def test_a_hubspot_export_in_utf8_with_a_bom_is_read(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        HUBSPOT_EN,
        [["9876543210", "Gamma Inc.", "gamma.example.com", "3000000", "SaaS", "5000", ""]],
        bom=True,
    )
    job = upload(csm, data)
    assert job.encoding == "utf-8-sig"
    assert job.source == ImportJob.Source.HUBSPOT
    assert job.headers[0] == "Record ID"  # the BOM is not part of the first header
    job = run(
        csm, check(csm, job, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    gamma = CustomerAccount.objects.get(hubspot_id="9876543210")
    assert (gamma.name, gamma.arr_minor, gamma.employee_band, gamma.touch_tier) == (
        "Gamma Inc.",
        3_000_000,
        "5000+",
        "low",
    )


def test_a_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        ["Account ID", "Account Name", "ARR", "更新日"],
        [
            ["001A", "株式会社いち", "1200万", "2026/04/01"],
            ["001B", "株式会社に", "たくさん", "2026/05/01"],
            ["001C", "株式会社さん", "500000", "2026-13-45"],
        ],
    )
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.CHECKED
    assert (job.created_count, job.rejected_count) == (1, 2)
    errors = list(job.row_errors.values_list("line", "column", "message"))
    assert errors == [
        (3, "ARR", "“たくさん” is not an amount; write digits such as 12000000 or 1200万."),
        (4, "更新日", "“2026-13-45” is not a date; write it as 2026-04-01 or 2026/04/01."),
    ]
    assert not job.can_run
    with pytest.raises(Exception, match="fix the file"):
        run(csm, job, django_capture_on_commit_callbacks)
    assert CustomerAccount.objects.count() == 0
    assert AccountChange.objects.count() == 0


def test_line_numbers_count_the_lines_of_quoted_cells_that_span_several(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = '取引先名,説明,年間売上\r\n株式会社いち,"一行目\r\n二行目",100\r\n株式会社に,,だめ\r\n'.encode()
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("line", "column")) == [(4, "年間売上")]


def test_fixing_the_file_and_uploading_it_again_imports_it(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    headers = ["Account ID", "Account Name", "ARR"]
    bad = import_file(
        csm,
        csv_bytes(headers, [["001A", "いち", "100"], ["001B", "に", "abc"]]),
        django_capture_on_commit_callbacks,
    )
    assert bad.status == ImportJob.Status.CHECKED and bad.rejected_count == 1
    assert CustomerAccount.objects.count() == 0

    fixed = import_file(
        csm,
        csv_bytes(headers, [["001A", "いち", "100"], ["001B", "に", "200"]]),
        django_capture_on_commit_callbacks,
    )
    assert fixed.status == ImportJob.Status.DONE
    assert sorted(CustomerAccount.objects.values_list("name", "arr_minor")) == [
        ("いち", 100),
        ("に", 200),
    ]


def test_importing_the_same_file_again_changes_nothing(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    Plan.objects.create(name="Enterprise", rank=3)
    data = csv_bytes(
        [
            "Account ID",
            "Account Name",
            "ARR",
            "プラン",
            "更新日",
            "ライフサイクル",
            "Website",
            "Account Owner",
        ],
        [
            [
                "001A",
                "株式会社いち",
                "1200万",
                "Enterprise",
                "2026/04/01",
                "活用",
                "ichi.co.jp",
                "csm@vendor.example.jp",
            ],
            ["001B", "株式会社に", "¥800,000", "", "", "", "", ""],
        ],
    )
    first = import_file(csm, data, django_capture_on_commit_callbacks)
    assert first.created_count == 2
    history = AccountChange.objects.count()
    assert history > 0

    again = import_file(csm, data, django_capture_on_commit_callbacks)
    assert again.status == ImportJob.Status.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert AccountChange.objects.count() == history
    assert again.row_results.count() == 0
    ichi = CustomerAccount.objects.get(salesforce_id="001A")
    assert (ichi.plan.name, ichi.renewal_date, ichi.lifecycle_stage) == (
        "Enterprise",
        dt.date(2026, 4, 1),
        "adoption",
    )


def test_a_reimport_updates_only_what_changed_and_keeps_history(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    headers = ["Account ID", "Account Name", "ARR", "Industry"]
    import_file(
        csm,
        csv_bytes(headers, [["001A", "いち", "100", "IT"], ["001B", "に", "200", "IT"]]),
        django_capture_on_commit_callbacks,
    )
    job = import_file(
        csm,
        csv_bytes(headers, [["001A", "いち", "150", "IT"], ["001B", "に", "200", ""]]),
        django_capture_on_commit_callbacks,
    )
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    [result] = job.row_results.all()
    assert (result.line, result.outcome, result.changed) == (2, "updated", ["arr_minor"])
    change = AccountChange.objects.filter(account__salesforce_id="001A", field="arr_minor").first()
    assert (change.old_value, change.new_value, change.changed_by, change.source) == (
        "100",
        "150",
        csm,
        "import",
    )
    # An empty cell leaves the value as it is.
    assert CustomerAccount.objects.get(salesforce_id="001B").industry == "IT"


def test_rows_match_by_crm_id_then_email_domain_then_exact_name(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    by_id = CustomerAccountFactory(name="ID社", hubspot_id="111")
    by_domain = CustomerAccountFactory(name="ドメイン社")
    AccountDomainFactory(account=by_domain, domain="domain.co.jp")
    by_name = CustomerAccountFactory(name="名前社")
    data = csv_bytes(
        ["Record ID", "Company name", "Company Domain Name", "Annual Revenue"],
        [
            ["111", "ID社", "", "1"],
            ["222", "", "domain.co.jp", "2"],
            ["333", "名前社", "", "3"],
            ["444", "新しい会社", "new.co.jp", "4"],
        ],
    )
    job = import_file(csm, data, django_capture_on_commit_callbacks)
    assert (job.created_count, job.updated_count) == (1, 3)
    by_id.refresh_from_db(), by_domain.refresh_from_db(), by_name.refresh_from_db()
    assert (by_id.arr_minor, by_domain.arr_minor, by_name.arr_minor) == (1, 2, 3)
    assert (by_domain.hubspot_id, by_name.hubspot_id) == ("222", "333")
    assert CustomerAccount.objects.get(hubspot_id="444").domains.get().domain == "new.co.jp"


def test_duplicate_keys_inside_one_file_are_row_errors(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        ["Account ID", "Account Name", "Website"],
        [["001A", "いち", "ichi.jp"], ["001A", "に", "ni.jp"], ["001C", "いち", "ichi.jp"]],
    )
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    assert job.rejected_count == 2
    assert list(job.row_errors.values_list("line", "column")) == [
        (3, "Account ID"),
        (4, "Account Name"),
        (4, "Website"),
    ]
    assert "line 2" in job.row_errors.first().message


def test_an_id_that_belongs_to_another_account_is_a_conflict(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    CustomerAccountFactory(name="いち", salesforce_id="001A")
    CustomerAccountFactory(name="に", salesforce_id="001B")
    data = csv_bytes(["Account ID", "Account Name"], [["001A", "に"]])
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("line", "column", "message")) == [
        (2, "Account Name", "An account with this name already exists.")
    ]


def test_unknown_plans_and_owners_are_row_errors(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(
        ["Account Name", "プラン", "CSM"],
        [["いち", "Platinum", "nobody@vendor.example.jp"]],
    )
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("column", "message")) == [
        ("プラン", "There is no plan called “Platinum”; add it under Plans first."),
        ("CSM", "No staff member signs in with “nobody@vendor.example.jp”."),
    ]


def test_domains_link_the_members_already_verified_at_them(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    member = MemberFactory(email="hanako@ichi.co.jp")
    outsider = MemberFactory(email="taro@example.org")
    import_file(
        csm,
        csv_bytes(["Account Name", "Website"], [["いち", "http://ichi.co.jp/ja/"]]),
        django_capture_on_commit_callbacks,
    )
    link = MemberAccountLink.objects.get(member=member)
    assert (link.account.name, link.source) == ("いち", "email_domain")
    assert not MemberAccountLink.objects.filter(member=outsider).exists()


def test_a_domain_of_another_account_or_a_public_mail_service_is_refused(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    CustomerAccountFactory(name="いち", salesforce_id="001A")
    AccountDomainFactory(domain="taken.co.jp", account=CustomerAccountFactory(name="既存社"))
    data = csv_bytes(
        ["Account ID", "Account Name", "Website"],
        [["001A", "いち", "taken.co.jp"], ["001B", "に", "gmail.com"]],
    )
    job = check(csm, upload(csm, data), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("line", "message")) == [
        (2, "taken.co.jp already belongs to 既存社."),
        (3, "“gmail.com” is a public mail service and cannot identify a company."),
    ]
    assert AccountDomain.objects.count() == 1


def test_custom_fields_are_recognised_by_key_or_label_and_imported(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    CustomField.objects.create(
        key="contract_type", label="契約形態", kind="choice", choices=["年間", "月間"]
    )
    CustomField.objects.create(key="seats", label="Seats", kind="number")
    data = csv_bytes(
        ["Account Name", "契約形態", "seats"],
        [["いち", "年間", "1,200"], ["に", "月間", ""]],
    )
    job = upload(csm, data)
    assert job.mapping == ["name", "custom:contract_type", "custom:seats"]
    job = run(
        csm, check(csm, job, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    )
    ichi = CustomerAccount.objects.get(name="いち")
    values = {value.field.key: value for value in ichi.custom_values.select_related("field")}
    assert values["contract_type"].text_value == "年間"
    assert values["seats"].number_value == Decimal("1200")
    assert (
        not CustomerAccount.objects.get(name="に").custom_values.filter(field__key="seats").exists()
    )

    again = import_file(csm, data, django_capture_on_commit_callbacks)
    assert (again.updated_count, again.unchanged_count) == (0, 2)
    bad = check(
        csm,
        upload(csm, csv_bytes(["Account Name", "契約形態"], [["いち", "永久"]])),
        django_capture_on_commit_callbacks,
    )
    assert list(bad.row_errors.values_list("column", "message")) == [
        ("契約形態", "“永久” is not one of 年間、月間.")
    ]
