"""Importing contacts from Salesforce and HubSpot exports."""

from typing import Any

import pytest

from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import check, csv_bytes, import_file, upload
from kizuna.customers.models import Contact
from kizuna.customers.tests.factories import AccountDomainFactory, CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def csm() -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    return staff


def test_a_japanese_salesforce_contacts_export_creates_contacts_on_their_accounts(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    acme = CustomerAccountFactory(name="株式会社アクメ", salesforce_id="001A")
    member = MemberFactory(email="yamada@acme.co.jp")
    data = csv_bytes(
        ["取引先責任者 ID", "姓", "名", "メール", "役職", "電話", "取引先 ID"],
        [
            [
                "003X",
                "山田",
                "太郎",
                "Yamada@ACME.co.jp",
                "情報システム部長",
                "03-1234-5678",
                "001A",
            ],
            ["003Y", "Lee", "Ann", "ann@acme.co.jp", "CTO", "", "001A"],
        ],
        encoding="cp932",
    )
    job = import_file(csm, data, django_capture_on_commit_callbacks, kind="contacts")

    assert job.source == ImportJob.Source.SALESFORCE
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    yamada = Contact.objects.get(external_id="003X")
    assert (yamada.account, yamada.full_name, yamada.email) == (
        acme,
        "山田 太郎",
        "Yamada@acme.co.jp",
    )
    assert (yamada.title, yamada.phone, yamada.member) == (
        "情報システム部長",
        "03-1234-5678",
        member,
    )
    assert Contact.objects.get(external_id="003Y").full_name == "Ann Lee"


def test_a_hubspot_contacts_export_finds_the_account_by_name_or_email_domain(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    named = CustomerAccountFactory(name="Gamma Inc.")
    by_domain = CustomerAccountFactory(name="デルタ")
    AccountDomainFactory(account=by_domain, domain="delta.co.jp")
    data = csv_bytes(
        ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Company Name"],
        [
            ["501", "Ken", "Mori", "ken@gamma.example.com", "PM", "Gamma Inc."],
            ["502", "花子", "佐藤", "hanako@delta.co.jp", "", ""],
        ],
        bom=True,
    )
    job = import_file(csm, data, django_capture_on_commit_callbacks, kind="contacts")
    assert job.source == ImportJob.Source.HUBSPOT
    assert Contact.objects.get(external_id="501").account == named
    hanako = Contact.objects.get(external_id="502")
    assert (hanako.account, hanako.full_name) == (by_domain, "佐藤 花子")


def test_contact_rows_without_an_account_or_with_a_bad_email_are_rejected(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    CustomerAccountFactory(name="いち", salesforce_id="001A")
    data = csv_bytes(
        ["Contact ID", "Email", "Account ID"],
        [["1", "a@ichi.jp", "001A"], ["2", "not-an-email", "001A"], ["3", "c@nowhere.jp", "009Z"]],
    )
    job = check(csm, upload(csm, data, kind="contacts"), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("line", "column", "message")) == [
        (3, "Email", "Enter an email address such as name@example.co.jp."),
        (4, "Account ID", "No account has the ID 009Z; import the accounts first."),
    ]
    assert Contact.objects.count() == 0


def test_reimporting_contacts_changes_nothing_and_an_edit_updates_by_external_id(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    CustomerAccountFactory(name="いち", salesforce_id="001A")
    headers = ["Contact ID", "Email", "Title", "Account ID"]
    rows = [["1", "a@ichi.jp", "部長", "001A"], ["2", "b@ichi.jp", "課長", "001A"]]
    import_file(csm, csv_bytes(headers, rows), django_capture_on_commit_callbacks, kind="contacts")
    again = import_file(
        csm, csv_bytes(headers, rows), django_capture_on_commit_callbacks, kind="contacts"
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)

    rows[0] = ["1", "new@ichi.jp", "本部長", "001A"]
    edited = import_file(
        csm, csv_bytes(headers, rows), django_capture_on_commit_callbacks, kind="contacts"
    )
    assert (edited.created_count, edited.updated_count, edited.unchanged_count) == (0, 1, 1)
    assert edited.row_results.get().changed == ["email", "title"]
    contact = Contact.objects.get(external_id="1")
    assert (contact.email, contact.title) == ("new@ichi.jp", "本部長")
    assert Contact.objects.count() == 2


def test_an_id_and_an_email_of_two_different_contacts_is_a_conflict(
    csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    account = CustomerAccountFactory(name="いち")
    Contact.objects.create(account=account, email="a@ichi.jp", external_id="1")
    Contact.objects.create(account=account, email="b@ichi.jp", external_id="2")
    data = csv_bytes(["Contact ID", "Email"], [["1", "b@ichi.jp"]])
    job = check(csm, upload(csm, data, kind="contacts"), django_capture_on_commit_callbacks)
    assert list(job.row_errors.values_list("line", "message")) == [
        (2, "b@ichi.jp is already a contact of いち.")
    ]


def test_one_main_contact_per_account(csm: Member, django_capture_on_commit_callbacks: Any) -> None:
    account = CustomerAccountFactory(name="いち", salesforce_id="001A")
    old_main = Contact.objects.create(account=account, email="old@ichi.jp", is_primary=True)
    headers = ["Email", "主担当", "Account ID"]
    twice = check(
        csm,
        upload(
            csm,
            csv_bytes(headers, [["a@ichi.jp", "はい", "001A"], ["b@ichi.jp", "はい", "001A"]]),
            kind="contacts",
        ),
        django_capture_on_commit_callbacks,
    )
    assert list(twice.row_errors.values_list("line", "message")) == [
        (3, "Line 2 already makes the main contact of いち.")
    ]
    import_file(
        csm,
        csv_bytes(headers, [["a@ichi.jp", "はい", "001A"]]),
        django_capture_on_commit_callbacks,
        kind="contacts",
    )
    old_main.refresh_from_db()
    assert not old_main.is_primary
    assert Contact.objects.get(email="a@ichi.jp").is_primary
