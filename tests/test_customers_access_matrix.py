"""Who reaches the customer pages and API beyond the account list: history, contacts, plans,
custom fields, touch tiers, books of business and CRM imports.

Viewers: anonymous, a customer (member), staff in marketing, community management, sales,
customer success and administration, and a marketer granted customer economics. Customer data
is for staff only; economics (ARR, LTV, tiers, custom fields) only with VIEW_ACCOUNT_ECONOMICS.
Who may do what is the hand-written `ALLOWED` table below, worked out from the issue and
kizuna/identity/roles.py, not read from the views. An allowed viewer gets the page or the write
(checked in the database); the others get the sign-in redirect (pages, anonymous), 401 (API,
anonymous) or 403, and nothing is written.

The world (viewers, their clients and keys, an account with a contact, plans, a custom field,
imports in each state) is built once for the module; each test's writes are rolled back.
`EXERCISED_URL_NAMES` is what tests/test_url_coverage.py credits to this matrix.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kizuna.crm import services as crm_services
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import csv_bytes
from kizuna.customers.models import (
    AccountChange,
    Contact,
    CustomerAccount,
    CustomField,
    Plan,
    TierSettings,
)
from kizuna.customers.tests.factories import (
    ContactFactory,
    CustomerAccountFactory,
    CustomFieldFactory,
    PlanFactory,
    make_customer,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from tests.api.conftest import make_key

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
CUSTOMER = "customer"
GRANTED_MARKETER = "marketing+economics"
STAFF_ROLES = ("marketing", "community_manager", "sales", "csm", "administrator")
VIEWERS = (ANONYMOUS, CUSTOMER, *STAFF_ROLES, GRANTED_MARKETER)

# Who holds what, written out by hand from the roles (DOMAIN §3) rather than asked of them.
STAFF = frozenset({*STAFF_ROLES, GRANTED_MARKETER})  # VIEW_CUSTOMER_DATA
ECONOMICS = frozenset({"sales", "csm", "administrator", GRANTED_MARKETER})
MANAGERS = frozenset({"csm", "administrator"})  # MANAGE_ACCOUNTS
CONFIGURERS = frozenset({"csm", "administrator"})  # CONFIGURE_CUSTOMER_SUCCESS
# Writing economics (a tier, the bands) needs economics too; csm and administrator have both.
MANAGERS_WITH_ECONOMICS = frozenset({"csm", "administrator"})
CONFIGURERS_WITH_ECONOMICS = frozenset({"csm", "administrator"})

CSV_HEADERS = ["Account ID", "Account Name"]
BANDS = {
    "basis": "arr",
    "currency": "JPY",
    "high_from_minor": 9_000_000,
    "low_from_minor": 1_200_000,
    "default_lifetime_months": 36,
    "high_capacity": 15,
    "low_capacity": 80,
    "tech_capacity": 1000,
}
BAND_FORM = {
    "basis": "arr",
    "currency": "JPY",
    "high_from": "900万",
    "low_from": "120万",
    "default_lifetime_months": "36",
    "high_capacity": "15",
    "low_capacity": "80",
    "tech_capacity": "1000",
}
# An ARR change the history shows only to staff who see economics, and one everyone sees.
HIDDEN_ARR = "12,345,678"
SHOWN_INDUSTRY = "精密機械"


@dataclass
class World:
    pages: dict[str, Client]
    api: dict[str, Client]
    account: CustomerAccount
    contact: Contact
    owner: Member
    plan_in_use: Plan
    plan_unused: Plan
    field: CustomField
    mapping_job: ImportJob
    checking_job: ImportJob
    checked_job: ImportJob
    done_job: ImportJob


def _viewer(kind: str) -> Member | None:
    if kind == ANONYMOUS:
        return None
    if kind == CUSTOMER:
        return make_customer()
    if kind == GRANTED_MARKETER:
        member: Member = StaffFactory(
            staff_role="marketing", granted_capabilities=["view_account_economics"]
        )
        return member
    # StaffFactory sets up TOTP, without which staff pages send staff to set it up.
    staff: Member = StaffFactory(staff_role=kind)
    return staff


def _job(owner: Member, name: str, **state: Any) -> ImportJob:
    data = csv_bytes(CSV_HEADERS, [["001A", "株式会社いち"], ["001B", "株式会社に"]])
    job = crm_services.upload_file(actor=owner, kind="accounts", file_name=name, raw=data)
    if state:
        ImportJob.objects.filter(pk=job.pk).update(**state)
        job.refresh_from_db()
    return job


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        pages: dict[str, Client] = {}
        api: dict[str, Client] = {}
        for kind in VIEWERS:
            member = _viewer(kind)
            page_client = Client(HTTP_ACCEPT_LANGUAGE="en")
            if member is not None:
                page_client.force_login(member)
            pages[kind] = page_client
            if member is not None and member.is_staff_member:
                # Keys act as their creator; every scope, so only the role decides.
                api[kind] = Client(
                    HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {make_key(member)}"
                )
            else:
                api[kind] = page_client  # a customer's browser session, or nobody
        current_tier_settings()
        owner: Member = StaffFactory(staff_role="csm", display_name="担当CSM")
        plan_in_use = PlanFactory(name="Standard", rank=1)
        plan_unused = PlanFactory(name="Enterprise", rank=2)
        account = CustomerAccountFactory(
            name="株式会社マトリクス",
            plan=plan_in_use,
            csm_owner=owner,
            arr_minor=12_345_678,
            external_id="A-1",
        )
        contact = ContactFactory(account=account, email="keiko@matrix.co.jp", external_id="C-1")
        field = CustomFieldFactory(key="contract_type", label="契約形態")
        AccountChange.objects.create(
            account=account,
            field="arr_minor",
            old_value="1000000",
            new_value="12345678",
            changed_by=owner,
            source=AccountChange.Source.FORM,
        )
        AccountChange.objects.create(
            account=account,
            field="industry",
            old_value="",
            new_value=SHOWN_INDUSTRY,
            changed_by=owner,
            source=AccountChange.Source.FORM,
        )
        now = timezone.now()
        yield World(
            pages=pages,
            api=api,
            account=account,
            contact=contact,
            owner=owner,
            plan_in_use=plan_in_use,
            plan_unused=plan_unused,
            field=field,
            mapping_job=_job(owner, "mapping.csv"),
            checking_job=_job(owner, "checking.csv", status="checking", queued_at=now),
            checked_job=_job(owner, "checked.csv", status="checked", checked_at=now),
            done_job=_job(
                owner, "done.csv", status="done", checked_at=now, finished_at=now, created_count=2
            ),
        )
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Case:
    """One request: its URL name, how to make it, whether it wrote, and what success returns."""

    name: str
    call: Callable[[Client, World], Any]
    wrote: Callable[[World], bool] | None = None  # None: a read
    success: int = 200


def _get(name: str, args: Callable[[World], list[int]] = lambda w: [], **headers: str) -> Case:
    return Case(name, lambda c, w: c.get(reverse(name, args=args(w)), **headers))


def _post(
    name: str,
    args: Callable[[World], list[int]],
    body: Callable[[World], dict[str, Any]],
    wrote: Callable[[World], bool],
) -> Case:
    return Case(name, lambda c, w: c.post(reverse(name, args=args(w)), body(w)), wrote, success=302)


def _upload(name: str) -> SimpleUploadedFile:
    data = csv_bytes(CSV_HEADERS, [["001C", "株式会社さん"]])
    return SimpleUploadedFile(name, data, "text/csv")


def _contact_field(w: World, name: str) -> Any:
    return Contact.objects.filter(pk=w.contact.pk).values_list(name, flat=True).first()


def _job_status(job: ImportJob) -> str:
    return ImportJob.objects.get(pk=job.pk).status


def _account(w: World) -> list[int]:
    return [w.account.pk]


def _contact(w: World) -> list[int]:
    return [w.account.pk, w.contact.pk]


PAGE_CASES = [
    _get("customers:account-history", _account),
    _get("customers:account-tier", _account),
    _post(
        "customers:account-tier",
        _account,
        lambda w: {"tier_override": "high", "reason": "グループ会社"},
        lambda w: CustomerAccount.objects.get(pk=w.account.pk).tier_override == "high",
    ),
    _get("customers:book"),
    _get("customers:book-of", lambda w: [w.owner.pk]),
    _get("customers:contact-create", _account),
    _post(
        "customers:contact-create",
        _account,
        lambda w: {"email": "new@matrix.co.jp", "full_name": "新規 担当"},
        lambda w: Contact.objects.filter(email="new@matrix.co.jp").exists(),
    ),
    _get("customers:contact-edit", _contact),
    _post(
        "customers:contact-edit",
        _contact,
        lambda w: {"email": "keiko@matrix.co.jp", "full_name": "変更後"},
        lambda w: _contact_field(w, "full_name") == "変更後",
    ),
    _get("customers:contact-delete", _contact),
    _post(
        "customers:contact-delete",
        _contact,
        lambda w: {},
        lambda w: not Contact.objects.filter(pk=w.contact.pk).exists(),
    ),
    _get("customers:plans"),
    _post(
        "customers:plans",
        lambda w: [],
        lambda w: {"name": "Premium", "description": ""},
        lambda w: Plan.objects.filter(name="Premium").exists(),
    ),
    _get("customers:plan-edit", lambda w: [w.plan_in_use.pk]),
    _post(
        "customers:plan-edit",
        lambda w: [w.plan_in_use.pk],
        lambda w: {"name": "Standard 2", "description": ""},
        lambda w: Plan.objects.get(pk=w.plan_in_use.pk).name == "Standard 2",
    ),
    _post(
        "customers:plan-move",
        lambda w: [w.plan_in_use.pk],
        lambda w: {"direction": "down"},
        lambda w: Plan.objects.get(pk=w.plan_in_use.pk).rank == 2,
    ),
    _get("customers:plan-delete", lambda w: [w.plan_unused.pk]),
    _post(
        "customers:plan-delete",
        lambda w: [w.plan_unused.pk],
        lambda w: {},
        lambda w: not Plan.objects.filter(pk=w.plan_unused.pk).exists(),
    ),
    _get("customers:custom-fields"),
    _post(
        "customers:custom-fields",
        lambda w: [],
        lambda w: {"label": "業種コード", "key": "industry_code", "kind": "text"},
        lambda w: CustomField.objects.filter(key="industry_code").exists(),
    ),
    _get("customers:custom-field-edit", lambda w: [w.field.pk]),
    _post(
        "customers:custom-field-edit",
        lambda w: [w.field.pk],
        lambda w: {"label": "契約の形", "kind": "text"},
        lambda w: CustomField.objects.get(pk=w.field.pk).label == "契約の形",
    ),
    _get("customers:custom-field-delete", lambda w: [w.field.pk]),
    _post(
        "customers:custom-field-delete",
        lambda w: [w.field.pk],
        lambda w: {},
        lambda w: not CustomField.objects.filter(pk=w.field.pk).exists(),
    ),
    _get("customers:tier-settings"),
    _post(
        "customers:tier-settings",
        lambda w: [],
        lambda w: BAND_FORM,
        lambda w: TierSettings.objects.get().high_from_minor == 9_000_000,
    ),
    _get("crm:import-list"),
    _get("crm:import-new"),
    _post(
        "crm:import-new",
        lambda w: [],
        lambda w: {"kind": "accounts", "file": _upload("new.csv")},
        lambda w: ImportJob.objects.filter(file_name="new.csv").exists(),
    ),
    _get("crm:import-mapping", lambda w: [w.mapping_job.pk]),
    _post(
        "crm:import-mapping",
        lambda w: [w.mapping_job.pk],
        lambda w: {"column_0": "salesforce_id", "column_1": "name"},
        lambda w: _job_status(w.mapping_job) == ImportJob.Status.CHECKING,
    ),
    _get("crm:import-preview", lambda w: [w.checked_job.pk]),
    _get("crm:import-progress", lambda w: [w.checking_job.pk], HTTP_HX_REQUEST="true"),
    _post(
        "crm:import-run",
        lambda w: [w.checked_job.pk],
        lambda w: {},
        lambda w: _job_status(w.checked_job) == ImportJob.Status.RUNNING,
    ),
    _get("crm:import-report", lambda w: [w.done_job.pk]),
]


def _api(
    name: str,
    method: str,
    path: Callable[[World], str],
    body: Any = None,
    wrote: Callable[[World], bool] | None = None,
    success: int = 200,
) -> Case:
    def call(client: Client, w: World) -> Any:
        data = json.dumps(body(w) if callable(body) else body) if body is not None else ""
        return client.generic(method, path(w), data, content_type="application/json")

    return Case(name, call, wrote, success)


def _create_import(client: Client, w: World) -> Any:
    return client.post("/api/crm-imports", {"kind": "accounts", "file": _upload("api.csv")})


API_CASES = [
    _api("api:list_account_contacts", "GET", lambda w: f"/api/accounts/{w.account.pk}/contacts"),
    _api(
        "api:create_contact",
        "POST",
        lambda w: f"/api/accounts/{w.account.pk}/contacts",
        {"email": "api@matrix.co.jp"},
        lambda w: Contact.objects.filter(email="api@matrix.co.jp").exists(),
        success=201,
    ),
    _api(
        "api:update_contact",
        "PATCH",
        lambda w: f"/api/contacts/{w.contact.pk}",
        {"title": "部長"},
        lambda w: _contact_field(w, "title") == "部長",
    ),
    _api(
        "api:delete_contact",
        "DELETE",
        lambda w: f"/api/contacts/{w.contact.pk}",
        None,
        lambda w: not Contact.objects.filter(pk=w.contact.pk).exists(),
        success=204,
    ),
    _api(
        "api:upsert_contact",
        "PUT",
        lambda w: "/api/contacts/by-external-id/C-2",
        lambda w: {"account_id": w.account.pk, "email": "upsert@matrix.co.jp"},
        lambda w: Contact.objects.filter(external_id="C-2").exists(),
        success=201,
    ),
    _api(
        "api:upsert_customer_account",
        "PUT",
        lambda w: "/api/accounts/by-external-id/A-2",
        {"name": "株式会社アップサート"},
        lambda w: CustomerAccount.objects.filter(external_id="A-2").exists(),
        success=201,
    ),
    _api("api:list_account_custom_fields", "GET", lambda w: "/api/custom-fields"),
    _api("api:get_tiers", "GET", lambda w: "/api/tiers"),
    _api(
        "api:put_tiers",
        "PUT",
        lambda w: "/api/tiers",
        BANDS,
        lambda w: TierSettings.objects.get().high_from_minor == 9_000_000,
    ),
    _api(
        "api:override_account_tier",
        "POST",
        lambda w: f"/api/accounts/{w.account.pk}/tier-override",
        {"tier": "high", "reason": "グループ会社"},
        lambda w: CustomerAccount.objects.get(pk=w.account.pk).tier_override == "high",
    ),
    _api("api:list_books_of_business", "GET", lambda w: "/api/books"),
    Case(
        "api:create_import",
        _create_import,
        lambda w: ImportJob.objects.filter(file_name="api.csv").exists(),
        success=201,
    ),
    _api("api:get_import", "GET", lambda w: f"/api/crm-imports/{w.checked_job.pk}"),
    _api(
        "api:run_import",
        "POST",
        lambda w: f"/api/crm-imports/{w.checked_job.pk}/run",
        None,
        lambda w: _job_status(w.checked_job) == ImportJob.Status.RUNNING,
        success=202,
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.name}:{'write' if case.wrote else 'read'}"


PAGES = {_case_id(case): case for case in PAGE_CASES}
API = {_case_id(case): case for case in API_CASES}

# The hand-written table: who may make each request.
ALLOWED: dict[str, frozenset[str]] = {
    # An account's history is customer data (its economic rows only with economics).
    "customers:account-history:read": STAFF,
    # One account's tier: setting it manages the account, and a tier is economics.
    "customers:account-tier:read": MANAGERS_WITH_ECONOMICS,
    "customers:account-tier:write": MANAGERS_WITH_ECONOMICS,
    # Books of business are tiers and ARR per CSM: economics.
    "customers:book:read": ECONOMICS,
    "customers:book-of:read": ECONOMICS,
    # Contacts: anyone who manages accounts.
    "customers:contact-create:read": MANAGERS,
    "customers:contact-create:write": MANAGERS,
    "customers:contact-edit:read": MANAGERS,
    "customers:contact-edit:write": MANAGERS,
    "customers:contact-delete:read": MANAGERS,
    "customers:contact-delete:write": MANAGERS,
    # Plans, custom field definitions and tier bands configure customer success.
    "customers:plans:read": CONFIGURERS,
    "customers:plans:write": CONFIGURERS,
    "customers:plan-edit:read": CONFIGURERS,
    "customers:plan-edit:write": CONFIGURERS,
    "customers:plan-move:write": CONFIGURERS,
    "customers:plan-delete:read": CONFIGURERS,
    "customers:plan-delete:write": CONFIGURERS,
    "customers:custom-fields:read": CONFIGURERS,
    "customers:custom-fields:write": CONFIGURERS,
    "customers:custom-field-edit:read": CONFIGURERS,
    "customers:custom-field-edit:write": CONFIGURERS,
    "customers:custom-field-delete:read": CONFIGURERS,
    "customers:custom-field-delete:write": CONFIGURERS,
    "customers:tier-settings:read": CONFIGURERS_WITH_ECONOMICS,
    "customers:tier-settings:write": CONFIGURERS_WITH_ECONOMICS,
    # CRM imports write accounts: anyone who manages them.
    "crm:import-list:read": MANAGERS,
    "crm:import-new:read": MANAGERS,
    "crm:import-new:write": MANAGERS,
    "crm:import-mapping:read": MANAGERS,
    "crm:import-mapping:write": MANAGERS,
    "crm:import-preview:read": MANAGERS,
    "crm:import-progress:read": MANAGERS,
    "crm:import-run:write": MANAGERS,
    "crm:import-report:read": MANAGERS,
    # The API holds the same lines.
    "api:list_account_contacts:read": STAFF,
    "api:create_contact:write": MANAGERS,
    "api:update_contact:write": MANAGERS,
    "api:delete_contact:write": MANAGERS,
    "api:upsert_contact:write": MANAGERS,
    "api:upsert_customer_account:write": MANAGERS,
    "api:list_account_custom_fields:read": ECONOMICS,
    "api:get_tiers:read": ECONOMICS,
    "api:put_tiers:write": CONFIGURERS_WITH_ECONOMICS,
    "api:override_account_tier:write": MANAGERS_WITH_ECONOMICS,
    "api:list_books_of_business:read": ECONOMICS,
    "api:create_import:write": MANAGERS,
    "api:get_import:read": MANAGERS,
    "api:run_import:write": MANAGERS,
}

EXERCISED_URL_NAMES = frozenset(case.name for case in (*PAGE_CASES, *API_CASES))


def test_the_table_has_a_row_for_every_request() -> None:
    assert set(ALLOWED) == set(PAGES) | set(API)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("case_id", list(PAGES))
def test_pages(world: World, case_id: str, kind: str) -> None:
    case = PAGES[case_id]
    response = case.call(world.pages[kind], world)
    status = response.status_code
    if kind in ALLOWED[case_id]:
        assert status == case.success, (case_id, kind, status)
        if case.success == 302:
            assert "/accounts/login/" not in response["Location"]
    elif kind == ANONYMOUS:
        assert status == 302, (case_id, kind, status)
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert status == 403, (case_id, kind, status)
    if case.wrote is not None:
        assert case.wrote(world) is (kind in ALLOWED[case_id]), (case_id, kind)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("case_id", list(API))
def test_api(world: World, case_id: str, kind: str) -> None:
    case = API[case_id]
    response = case.call(world.api[kind], world)
    status = response.status_code
    if kind in ALLOWED[case_id]:
        assert status == case.success, (case_id, kind, status, response.content[:300])
    else:
        assert status == (401 if kind == ANONYMOUS else 403), (case_id, kind, status)
    if case.wrote is not None:
        assert case.wrote(world) is (kind in ALLOWED[case_id]), (case_id, kind)


@pytest.mark.parametrize("kind", sorted(STAFF))
def test_the_history_shows_arr_changes_only_to_staff_who_see_economics(
    world: World, kind: str
) -> None:
    response = world.pages[kind].get(reverse("customers:account-history", args=[world.account.pk]))
    html = response.content.decode()
    assert SHOWN_INDUSTRY in html
    assert (HIDDEN_ARR in html) is (kind in ECONOMICS), kind
