"""The account form writes every field through the economics write path: amounts typed in yen
are stored in minor units, each changed field leaves a history row with who changed it, from
what and to what, and a re-post of the same form writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, CustomerAccount, CustomField
from kizuna.customers.services import save_account
from kizuna.customers.tests.factories import (
    CustomerAccountFactory,
    CustomFieldFactory,
    PlanFactory,
)
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CREATE_URL = reverse("customers:account-create")


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm", display_name="佐藤CSM")
    client.force_login(staff)
    return staff


def full_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "株式会社フル",
        "domains": "full.co.jp",
        "lifecycle_stage": "adoption",
        "currency": "JPY",
        "arr_minor": "1,200万",
        "mrr_minor": "1000000",
        "ltv_minor": "",
        "expected_lifetime_months": "30",
        "contract_start": "2025-04-01",
        "renewal_date": "2026-03-31",
        "industry": "製造業",
        "region": "関東",
        "employee_band": "300-999",
        "external_id": "CRM-1",
        "salesforce_id": "001ABC",
        "hubspot_id": "",
    }
    form.update(changes)
    return form


def test_the_form_stores_yen_as_minor_units_and_every_field(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="スタンダード")
    response = client.post(CREATE_URL, full_form(plan=str(plan.pk), csm_owner=str(csm.pk)))

    assert response.status_code == 302
    account = CustomerAccount.objects.get(name="株式会社フル")
    assert (account.arr_minor, account.mrr_minor, account.ltv_minor) == (
        12_000_000,
        1_000_000,
        None,
    )
    assert (account.plan, account.csm_owner, account.expected_lifetime_months) == (plan, csm, 30)
    assert (account.contract_start, account.renewal_date) == (
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
    )
    assert (account.industry, account.region, account.employee_band) == (
        "製造業",
        "関東",
        "300-999",
    )
    assert (account.external_id, account.salesforce_id) == ("CRM-1", "001ABC")
    # The default bands by ARR: high touch from ¥10,000,000, so ¥12,000,000 is high touch.
    assert account.touch_tier == "high"


def test_the_page_shows_the_computed_ltv_with_its_formula(client: Client, csm: Member) -> None:
    client.post(CREATE_URL, full_form())
    account = CustomerAccount.objects.get(name="株式会社フル")
    page = client.get(reverse("customers:account-detail", args=[account.pk])).content.decode()
    # 12,000,000 × 30 months ÷ 12 = 30,000,000
    assert "¥30,000,000" in page
    assert "LTV = ARR × expected lifetime in months ÷ 12" in page
    form_page = client.get(reverse("customers:account-edit", args=[account.pk])).content.decode()
    assert "= ¥30,000,000" in form_page


def test_each_changed_field_leaves_a_history_row_with_the_actor(
    client: Client, csm: Member
) -> None:
    client.post(CREATE_URL, full_form())
    account = CustomerAccount.objects.get(name="株式会社フル")
    AccountChange.objects.all().delete()

    response = client.post(
        reverse("customers:account-edit", args=[account.pk]),
        full_form(arr_minor="15,000,000", region="関西"),
    )

    assert response.status_code == 302
    rows = {
        change.field: (change.old_value, change.new_value, change.changed_by, change.source)
        for change in AccountChange.objects.filter(account=account)
    }
    assert rows == {
        "arr_minor": ("12000000", "15000000", csm, "form"),
        "region": ("関東", "関西", csm, "form"),
    }


def test_posting_the_same_form_again_writes_nothing(client: Client, csm: Member) -> None:
    client.post(CREATE_URL, full_form())
    account = CustomerAccount.objects.get(name="株式会社フル")
    changes, audits = AccountChange.objects.count(), AuditEntry.objects.count()

    response = client.post(reverse("customers:account-edit", args=[account.pk]), full_form())

    assert response.status_code == 302
    assert AccountChange.objects.count() == changes
    assert AuditEntry.objects.count() == audits


def test_the_history_page_reads_in_words(client: Client, csm: Member) -> None:
    client.post(CREATE_URL, full_form())
    account = CustomerAccount.objects.get(name="株式会社フル")
    client.post(
        reverse("customers:account-edit", args=[account.pk]),
        full_form(arr_minor="15000000", lifecycle_stage="renewal"),
    )
    response = client.get(reverse("customers:account-history", args=[account.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "¥12,000,000" in page and "¥15,000,000" in page
    assert "Adoption" in page and "Renewal" in page
    assert "佐藤CSM" in page


def test_a_crm_id_of_another_account_is_a_field_error(client: Client, csm: Member) -> None:
    CustomerAccountFactory(name="先客", salesforce_id="001ABC")
    response = client.post(CREATE_URL, full_form())
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["salesforce_id"]
    assert "先客 already has this ID." in errors["salesforce_id"][0]
    assert not CustomerAccount.objects.filter(name="株式会社フル").exists()
    assert not AccountChange.objects.exists()


def test_an_amount_that_is_not_money_is_a_field_error(client: Client, csm: Member) -> None:
    response = client.post(CREATE_URL, full_form(arr_minor="たくさん"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["arr_minor"]
    assert not CustomerAccount.objects.exists()


def test_churned_stage_churns_the_account(client: Client, csm: Member) -> None:
    client.post(CREATE_URL, full_form(lifecycle_stage="churned"))
    assert CustomerAccount.objects.get(name="株式会社フル").status == "churned"


def test_custom_fields_are_typed_inputs(client: Client, csm: Member) -> None:
    CustomFieldFactory(key="licences", label="ライセンス数", kind=CustomField.Kind.NUMBER)
    CustomFieldFactory(key="go_live", label="本番開始日", kind=CustomField.Kind.DATE)
    CustomFieldFactory(
        key="contract", label="契約形態", kind=CustomField.Kind.CHOICE, choices=["年間", "月額"]
    )
    response = client.post(
        CREATE_URL,
        full_form(custom_licences="120", custom_go_live="2025-06-01", custom_contract="年間"),
    )
    assert response.status_code == 302
    account = CustomerAccount.objects.get(name="株式会社フル")
    values = {v.field.key: v for v in account.custom_values.select_related("field")}
    assert values["licences"].number_value == Decimal("120")
    assert values["go_live"].date_value == dt.date(2025, 6, 1)
    assert values["contract"].text_value == "年間"
    assert AccountChange.objects.filter(account=account, field="custom:licences").exists()

    bad = client.post(CREATE_URL, full_form(name="別会社", custom_contract="永久"))
    assert bad.status_code == 400
    assert "custom_contract" in bad.context["form"].errors


def test_staff_without_economics_get_no_economic_fields_and_the_service_refuses_them() -> None:
    # No role that manages accounts lacks economics today, so a CSM is made to lack them,
    # as a role might in a vendor's own matrix.
    marketer: Member = StaffFactory(staff_role="marketing")
    account = CustomerAccountFactory(arr_minor=5_000_000)
    with pytest.raises(PermissionDenied):
        save_account(actor=marketer, account=account, name=account.name, values={})
    csm: Member = StaffFactory(staff_role="csm")
    csm.has_capability = lambda capability: capability.value != "view_account_economics"
    with pytest.raises(PermissionDenied):
        save_account(actor=csm, account=account, name=account.name, values={"arr_minor": 1})
    account.refresh_from_db()
    assert account.arr_minor == 5_000_000
    saved = save_account(actor=csm, account=account, name=account.name, values={"region": "九州"})
    assert saved.region == "九州"


def test_service_turns_duplicate_external_ids_into_field_errors() -> None:
    csm: Member = StaffFactory(staff_role="csm")
    CustomerAccountFactory(name="一社目", external_id="X-1")
    with pytest.raises(ValidationError) as raised:
        save_account(actor=csm, name="二社目", values={"external_id": "X-1"})
    assert list(raised.value.message_dict) == ["external_id"]
