"""The account list filters by tier, stage, owner (mine), plan, renewal window and a custom
field compared by its type; the CSV export holds exactly the filtered accounts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.customers.models import CustomerAccount, CustomField, CustomFieldValue
from kizuna.customers.tests.factories import (
    CustomerAccountFactory,
    CustomFieldFactory,
    PlanFactory,
)
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LIST_URL = reverse("customers:account-list")


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def names(client: Client, **params: object) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200, response.context["form"].errors
    return [account.name for account in response.context["page"].object_list]


def with_value(name: str, field: CustomField, **value: object) -> CustomerAccount:
    account: CustomerAccount = CustomerAccountFactory(name=name)
    CustomFieldValue.objects.create(account=account, field=field, **value)
    return account


def test_number_fields_compare_at_least_at_most_and_equal(client: Client, csm: Member) -> None:
    seats = CustomFieldFactory(key="seats", label="席数", kind=CustomField.Kind.NUMBER)
    with_value("A社", seats, number_value=Decimal(50))
    with_value("B社", seats, number_value=Decimal(120))
    with_value("C社", seats, number_value=Decimal("120.5"))
    CustomerAccountFactory(name="D社")  # no value: never matches a comparison

    assert names(client, custom_field="seats", custom_op="gte", custom_value="120") == [
        "B社",
        "C社",
    ]
    assert names(client, custom_field="seats", custom_op="lte", custom_value="120") == [
        "A社",
        "B社",
    ]
    assert names(client, custom_field="seats", custom_op="eq", custom_value="1,20") == ["B社"]


def test_date_fields_compare_as_dates(client: Client, csm: Member) -> None:
    live = CustomFieldFactory(key="go_live", label="本番開始", kind=CustomField.Kind.DATE)
    with_value("早い社", live, date_value=dt.date(2025, 1, 31))
    with_value("遅い社", live, date_value=dt.date(2025, 12, 1))
    assert names(client, custom_field="go_live", custom_op="lte", custom_value="2025/06/30") == [
        "早い社"
    ]
    assert names(client, custom_field="go_live", custom_op="gte", custom_value="2025年2月1日") == [
        "遅い社"
    ]


def test_choice_fields_match_whole_values_and_refuse_ordering(client: Client, csm: Member) -> None:
    kind = CustomFieldFactory(
        key="contract", label="契約", kind=CustomField.Kind.CHOICE, choices=["年間", "月額"]
    )
    with_value("年間社", kind, text_value="年間")
    with_value("月額社", kind, text_value="月額")
    assert names(client, custom_field="contract", custom_value="月額") == ["月額社"]
    response = client.get(
        LIST_URL, {"custom_field": "contract", "custom_op": "gte", "custom_value": "年間"}
    )
    assert response.status_code == 400
    assert "custom_op" in response.context["form"].errors
    bad = client.get(LIST_URL, {"custom_field": "contract", "custom_value": "永久"})
    assert bad.status_code == 400
    assert "custom_value" in bad.context["form"].errors


def test_a_number_filter_with_words_is_a_clear_error(client: Client, csm: Member) -> None:
    CustomFieldFactory(key="seats", label="席数", kind=CustomField.Kind.NUMBER)
    response = client.get(
        LIST_URL, {"custom_field": "seats", "custom_op": "gte", "custom_value": "たくさん"}
    )
    assert response.status_code == 400
    assert "is not a number" in response.context["form"].errors["custom_value"][0]
    assert "Some filters are not valid" in response.content.decode()


def test_owner_mine_none_and_someone(client: Client, csm: Member) -> None:
    other: Member = StaffFactory(staff_role="csm")
    CustomerAccountFactory(name="自分の", csm_owner=csm)
    CustomerAccountFactory(name="他人の", csm_owner=other)
    CustomerAccountFactory(name="誰のでもない")
    assert names(client, owner="mine") == ["自分の"]
    assert names(client, owner=str(other.pk)) == ["他人の"]
    assert names(client, owner="none") == ["誰のでもない"]


def test_renewal_window_tier_stage_and_plan(client: Client, csm: Member) -> None:
    today = timezone.localdate()
    enterprise = PlanFactory(name="Enterprise")
    CustomerAccountFactory(
        name="30日後", renewal_date=today + dt.timedelta(days=30), touch_tier="high"
    )
    CustomerAccountFactory(
        name="90日後", renewal_date=today + dt.timedelta(days=90), plan=enterprise
    )
    CustomerAccountFactory(name="過去", renewal_date=today - dt.timedelta(days=1))
    CustomerAccountFactory(name="更新前", lifecycle_stage="renewal")
    assert names(client, renewal_within=30) == ["30日後"]
    assert names(client, renewal_within=90) == ["30日後", "90日後"]
    assert names(client, tier="high") == ["30日後"]
    assert names(client, plan=enterprise.pk) == ["90日後"]
    assert names(client, lifecycle_stage="renewal") == ["更新前"]


def test_the_export_holds_the_filtered_accounts(client: Client, csm: Member) -> None:
    CustomerAccountFactory(name="自分の", csm_owner=csm, arr_minor=3_000_000)
    CustomerAccountFactory(name="他人の", arr_minor=5_000_000)
    response = client.get(LIST_URL, {"owner": "mine", "export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="accounts-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("自分の,")
    assert ",3000000," in lines[1]
    assert "download" in client.get(LIST_URL, {"owner": "mine"}).content.decode()
