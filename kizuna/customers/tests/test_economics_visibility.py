"""A marketing-role staff member sees accounts but not their economics: no ARR on the list, the
account page, its history, the CSV export or the API, until an administrator grants them."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, CustomerAccount
from kizuna.customers.tests.factories import (
    CustomerAccountFactory,
    CustomFieldFactory,
    make_customer,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.roles import Capability
from kizuna.identity.services import generate_api_key_secret, set_granted_capability
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# A figure that appears nowhere else on the pages, written the ways a page or file could show it.
ARR = 98_765_432
ARR_TEXTS = ("98,765,432", "98765432")
SECRET_CHOICE = "極秘プラン条件"


@pytest.fixture
def account() -> CustomerAccount:
    field = CustomFieldFactory(key="deal_terms", label="契約条件")
    acct: CustomerAccount = CustomerAccountFactory(
        name="株式会社ひみつ", arr_minor=ARR, renewal_date="2026-06-30", touch_tier="high"
    )
    acct.custom_values.create(field=field, text_value=SECRET_CHOICE)
    AccountChange.objects.create(
        account=acct, field="arr_minor", old_value="1000", new_value=str(ARR), source="form"
    )
    AccountChange.objects.create(
        account=acct, field="region", old_value="", new_value="東北", source="form"
    )
    current_tier_settings()
    return acct


@pytest.fixture
def marketer(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="marketing")
    client.force_login(staff)
    return staff


def pages(client: Client, account: CustomerAccount) -> dict[str, str]:
    return {
        "list": client.get(reverse("customers:account-list")).content.decode(),
        "detail": client.get(
            reverse("customers:account-detail", args=[account.pk])
        ).content.decode(),
        "history": client.get(
            reverse("customers:account-history", args=[account.pk])
        ).content.decode(),
        "export": client.get(reverse("customers:account-list"), {"export": "csv"}).content.decode(
            "utf-8-sig"
        ),
    }


def api_get(member: Member, path: str) -> str:
    prefix, secret = generate_api_key_secret()
    ApiKey.objects.create(
        name="t",
        prefix=prefix,
        key_hash=ApiKey.hash_secret(secret),
        scopes=["accounts:read", "success:read"],
        created_by=member,
    )
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
    return f"{response.status_code} {response.content.decode()}"


def test_a_marketer_sees_the_account_but_no_arr_anywhere(
    client: Client, marketer: Member, account: CustomerAccount
) -> None:
    for name, text in pages(client, account).items():
        assert "株式会社ひみつ" in text, name
        for figure in ARR_TEXTS:
            assert figure not in text, name
        assert SECRET_CHOICE not in text, name
        assert "High touch" not in text, name
    history = pages(client, account)["history"]
    assert "東北" in history  # the non-economic row is still there

    one = api_get(marketer, f"/api/accounts/{account.pk}")
    listed = api_get(marketer, "/api/accounts")
    for body in (one, listed):
        assert body.startswith("200")
        for figure in ARR_TEXTS:
            assert figure not in body
        assert SECRET_CHOICE not in body
    data = json.loads(one.split(" ", 1)[1])
    assert data["economics_visible"] is False
    assert (data["arr_minor"], data["touch_tier"], data["custom_fields"]) == (None, None, None)
    assert api_get(marketer, "/api/custom-fields").startswith("403")
    assert api_get(marketer, "/api/accounts?tier=high").startswith("403")


def test_the_marketer_cannot_filter_by_tier_or_custom_fields_on_the_list(
    client: Client, marketer: Member, account: CustomerAccount
) -> None:
    response = client.get(
        reverse("customers:account-list"),
        {"tier": "tech", "custom_field": "deal_terms", "custom_value": "x"},
    )
    # The economic filters are not offered, so they filter nothing and reveal nothing.
    assert [a.pk for a in response.context["page"].object_list] == [account.pk]
    assert "tier" not in response.context["form"].fields


def test_the_csv_export_is_audited_without_economics(
    client: Client, marketer: Member, account: CustomerAccount
) -> None:
    response = client.get(reverse("customers:account-list"), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert "ARR" not in header and "契約条件" not in header
    entry = AuditEntry.objects.get(action="account.list_exported")
    assert entry.actor == marketer
    assert entry.details == {"rows": 1, "with_economics": False}


def test_granted_the_economics_the_marketer_sees_them(
    client: Client, marketer: Member, account: CustomerAccount
) -> None:
    set_granted_capability(
        actor=StaffFactory(staff_role="administrator"),
        member=marketer,
        capability=Capability.VIEW_ACCOUNT_ECONOMICS,
        granted=True,
        reason="売上レポート",
    )
    seen = pages(client, account)
    assert "¥98,765,432" in seen["list"]
    assert "¥98,765,432" in seen["detail"]
    assert "¥98,765,432" in seen["history"]
    assert "98765432" in seen["export"]
    assert SECRET_CHOICE in seen["detail"] and SECRET_CHOICE in seen["export"]
    body = api_get(marketer, f"/api/accounts/{account.pk}")
    data = json.loads(body.split(" ", 1)[1])
    assert (data["arr_minor"], data["touch_tier"]) == (ARR, "high")
    assert data["custom_fields"] == {"deal_terms": SECRET_CHOICE}


def test_a_csm_export_has_the_figures_in_yen(client: Client, account: CustomerAccount) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    text = client.get(reverse("customers:account-list"), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    header, row = text.splitlines()
    columns = dict(zip(header.split(","), row.split(","), strict=True))
    assert columns["ARR"] == "98765432"
    assert columns["Touch tier"] == "High touch"
    assert columns["契約条件"] == SECRET_CHOICE


def test_members_cannot_open_the_account_pages(client: Client, account: CustomerAccount) -> None:
    client.force_login(make_customer(account=account))
    for name in ("customers:account-detail", "customers:account-history"):
        assert client.get(reverse(name, args=[account.pk])).status_code == 403
    assert client.get(reverse("customers:account-list"), {"export": "csv"}).status_code == 403
