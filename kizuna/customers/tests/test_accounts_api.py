"""The accounts API as a CRM sync uses it: upserts by external ID that are idempotent, every
field with amounts in minor units, contacts, custom fields, and economics only for those
who may see them."""

import json
from typing import Any

import pytest
from django.test import Client

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, Contact, CustomerAccount, CustomField
from kizuna.customers.tests.factories import (
    ContactFactory,
    CustomerAccountFactory,
    CustomFieldFactory,
    PlanFactory,
)
from kizuna.identity import roles
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, member: Member, scopes: list[str] | None = None) -> None:
        prefix, secret = generate_api_key_secret()
        ApiKey.objects.create(
            name="crm sync",
            prefix=prefix,
            key_hash=ApiKey.hash_secret(secret),
            scopes=scopes or ["accounts:read", "accounts:write", "success:read"],
            created_by=member,
        )
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        return getattr(self.client, method)(
            path,
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            **self.headers,
        )


@pytest.fixture
def csm() -> Member:
    member: Member = StaffFactory(staff_role="csm", email="csm@vendor.example.jp")
    return member


@pytest.fixture
def api(csm: Member) -> Api:
    return Api(csm)


RECORD = {
    "name": "株式会社シンク",
    "domains": ["sync.co.jp"],
    "plan": "Enterprise",
    "lifecycle_stage": "adoption",
    "csm_owner_email": "CSM@vendor.example.jp",
    "renewal_date": "2026-09-30",
    "arr_minor": 24_000_000,
    "expected_lifetime_months": 24,
    "salesforce_id": "001SYNC",
    "custom_fields": {"licences": 250, "contract": "年間"},
}


@pytest.fixture
def setup(csm: Member) -> None:
    PlanFactory(name="Enterprise")
    CustomFieldFactory(key="licences", label="ライセンス数", kind=CustomField.Kind.NUMBER)
    CustomFieldFactory(
        key="contract", label="契約形態", kind=CustomField.Kind.CHOICE, choices=["年間", "月額"]
    )


@pytest.mark.usefixtures("setup")
def test_upsert_creates_then_a_second_put_changes_nothing(api: Api, csm: Member) -> None:
    first = api.call("put", "/api/accounts/by-external-id/SF-42", RECORD)
    assert first.status_code == 201
    body = first.json()
    assert (body["external_id"], body["arr_minor"], body["plan"]) == (
        "SF-42",
        24_000_000,
        "Enterprise",
    )
    # LTV = 24,000,000 × 24 ÷ 12
    assert (body["ltv_minor"], body["ltv_computed_minor"]) == (None, 48_000_000)
    assert body["csm_owner_id"] == csm.pk
    assert body["custom_fields"] == {"licences": 250, "contract": "年間"}
    assert body["touch_tier"] == "high"
    changes, audits = AccountChange.objects.count(), AuditEntry.objects.count()
    assert AccountChange.objects.filter(field="arr_minor", source="api").count() == 1

    second = api.call("put", "/api/accounts/by-external-id/SF-42", RECORD)

    assert second.status_code == 200
    assert second.json() == {**body, "updated_at": second.json()["updated_at"]}
    assert second.json()["updated_at"] == body["updated_at"]
    assert AccountChange.objects.count() == changes
    assert AuditEntry.objects.count() == audits
    assert CustomerAccount.objects.count() == 1


@pytest.mark.usefixtures("setup")
def test_upsert_updates_only_the_fields_given(api: Api) -> None:
    api.call("put", "/api/accounts/by-external-id/SF-42", RECORD)
    response = api.call(
        "put", "/api/accounts/by-external-id/SF-42", {"arr_minor": 30_000_000, "region": "関西"}
    )
    assert response.status_code == 200
    account = CustomerAccount.objects.get(external_id="SF-42")
    assert (account.arr_minor, account.region, account.name) == (
        30_000_000,
        "関西",
        "株式会社シンク",
    )
    assert [d.domain for d in account.domains.all()] == ["sync.co.jp"]
    change = AccountChange.objects.get(field="arr_minor", old_value="24000000")
    assert change.new_value == "30000000"


def test_upsert_of_a_new_account_needs_a_name(api: Api) -> None:
    response = api.call("put", "/api/accounts/by-external-id/NEW", {"region": "関東"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["name"]
    assert not CustomerAccount.objects.exists()


@pytest.mark.usefixtures("setup")
def test_bad_values_are_422_with_field_reasons_and_write_nothing(api: Api) -> None:
    response = api.call(
        "put",
        "/api/accounts/by-external-id/SF-1",
        {
            **RECORD,
            "plan": "Platinum",
            "csm_owner_email": "nobody@example.org",
            "custom_fields": {"contract": "永久", "unknown": "x"},
        },
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {
        "plan",
        "csm_owner_email",
        "custom_fields.contract",
        "custom_fields.unknown",
    }
    assert not CustomerAccount.objects.exists()
    negative = api.call("put", "/api/accounts/by-external-id/SF-1", {**RECORD, "arr_minor": -1})
    assert negative.status_code == 422
    assert "arr_minor" in negative.json()["error"]["fields"]


def test_a_salesforce_id_clash_is_a_field_error(api: Api) -> None:
    CustomerAccountFactory(name="先客", salesforce_id="001SYNC")
    response = api.call(
        "put", "/api/accounts/by-external-id/SF-9", {"name": "後発", "salesforce_id": "001SYNC"}
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["salesforce_id"]


def test_staff_without_economics_cannot_write_them(monkeypatch: pytest.MonkeyPatch) -> None:
    account = CustomerAccountFactory(arr_minor=1_000_000)
    # Every role that manages accounts sees economics today; a vendor's matrix where CSMs do
    # not shows the refusal and its reason.
    monkeypatch.setitem(
        roles.CAPABILITIES, roles.Capability.VIEW_ACCOUNT_ECONOMICS, frozenset({"administrator"})
    )
    api = Api(StaffFactory(staff_role="csm"))
    response = api.call("patch", f"/api/accounts/{account.pk}", {"arr_minor": 5})
    allowed = api.call("patch", f"/api/accounts/{account.pk}", {"region": "北海道"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "economics_hidden"
    assert "ARR" in response.json()["error"]["message"]
    assert allowed.status_code == 200
    assert allowed.json()["arr_minor"] is None
    account.refresh_from_db()
    assert (account.arr_minor, account.region) == (1_000_000, "北海道")
    marketer = Api(StaffFactory(staff_role="marketing"))
    assert marketer.call("patch", f"/api/accounts/{account.pk}", {}).status_code == 403


def test_create_and_patch_accounts_with_their_fields(api: Api) -> None:
    created = api.call(
        "post",
        "/api/accounts",
        {"name": "株式会社ポスト", "lifecycle_stage": "onboarding", "arr_minor": 500_000},
    )
    assert created.status_code == 201
    assert (created.json()["touch_tier"], created.json()["status"]) == ("tech", "active")
    patched = api.call(
        "patch", f"/api/accounts/{created.json()['id']}", {"lifecycle_stage": "churned"}
    )
    assert (patched.json()["status"], patched.json()["lifecycle_stage"]) == ("churned", "churned")


def test_contacts_are_listed_created_updated_and_deleted(api: Api) -> None:
    account = CustomerAccountFactory()
    member: Member = MemberFactory(email="tanaka@sync.co.jp")
    created = api.call(
        "post",
        f"/api/accounts/{account.pk}/contacts",
        {"email": "Tanaka@SYNC.co.jp", "full_name": "田中", "is_primary": True},
    )
    assert created.status_code == 201
    assert created.json()["member_id"] == member.pk
    contact_id = created.json()["id"]
    listed = api.call("get", f"/api/accounts/{account.pk}/contacts")
    assert [c["id"] for c in listed.json()["items"]] == [contact_id]
    assert listed.json()["count"] == 1
    patched = api.call("patch", f"/api/contacts/{contact_id}", {"title": "情報システム部長"})
    assert patched.json()["title"] == "情報システム部長"
    clash = api.call("post", f"/api/accounts/{account.pk}/contacts", {"email": "tanaka@sync.co.jp"})
    assert clash.status_code == 422
    assert list(clash.json()["error"]["fields"]) == ["email"]
    assert api.call("delete", f"/api/contacts/{contact_id}").status_code == 204
    assert not Contact.objects.exists()


def test_contact_upsert_is_idempotent(api: Api) -> None:
    CustomerAccountFactory(external_id="ACC-1")
    body = {"account_external_id": "ACC-1", "email": "sato@sync.co.jp", "full_name": "佐藤"}
    first = api.call("put", "/api/contacts/by-external-id/C-1", body)
    assert first.status_code == 201
    audits = AuditEntry.objects.count()
    second = api.call("put", "/api/contacts/by-external-id/C-1", body)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert AuditEntry.objects.count() == audits
    no_account = api.call("put", "/api/contacts/by-external-id/C-2", {"email": "x@sync.co.jp"})
    assert no_account.status_code == 422


def test_custom_field_definitions_are_listed(api: Api) -> None:
    CustomFieldFactory(key="contract", label="契約形態", kind="choice", choices=["年間", "月額"])
    response = api.call("get", "/api/custom-fields")
    assert response.status_code == 200
    [field] = response.json()["items"]
    assert (field["key"], field["kind"], field["choices"]) == (
        "contract",
        "choice",
        ["年間", "月額"],
    )


def test_keys_need_their_scopes(csm: Member) -> None:
    readonly = Api(csm, scopes=["accounts:read"])
    response = readonly.call("put", "/api/accounts/by-external-id/X", {"name": "X"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "missing_scope"
    assert Api(csm, scopes=["accounts:read"]).call("get", "/api/custom-fields").status_code == 403
    contact = ContactFactory()
    assert readonly.call("delete", f"/api/contacts/{contact.pk}").status_code == 403
