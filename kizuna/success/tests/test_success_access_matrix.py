"""Who reaches the Customer 360 pages and API, and who sees customer economics there.

Viewers: anonymous, a customer member, a marketing staff member (customer data, no
economics), sales (economics, no configuration) and a CSM (everything). Pages and API
operations × viewers: the status, and for the 360 whether its economic sections are there.
Writes are checked in the database.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.tests.factories import TagFactory
from kizuna.customers.models import CustomerAccount, Plan
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.success.models import PlanCapabilityTag
from kizuna.success.tests.factories import PlanCapabilityTagFactory, PlanFactory
from tests.api.conftest import make_key

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "member", "marketing", "sales", "csm")
PAGES: dict[str, tuple[str, Callable[[CustomerAccount], list[int]]]] = {
    "success:account-360": ("get", lambda account: [account.pk]),
    "success:expansion-signals": ("get", lambda account: []),
    "success:plan-tags": ("get", lambda account: []),
}
WRITES = ("success:plan-tags", "success:plan-tag-remove")
API = {
    "api:account_summary": "/api/accounts/{pk}/summary",
    "api:list_expansion_signals": "/api/expansion-signals",
}
EXERCISED_URL_NAMES = set(PAGES) | set(WRITES) | set(API)

# What each viewer gets from each page: a status, and for 200 whether economics are shown.
EXPECTED_PAGES = {
    "success:account-360": {
        "anonymous": 302,
        "member": 403,
        "marketing": 200,
        "sales": 200,
        "csm": 200,
    },
    "success:expansion-signals": {
        "anonymous": 302,
        "member": 403,
        "marketing": 403,
        "sales": 200,
        "csm": 200,
    },
    "success:plan-tags": {
        "anonymous": 302,
        "member": 403,
        "marketing": 403,
        "sales": 403,
        "csm": 200,
    },
}
SEES_ECONOMICS = {"sales", "csm"}
MAY_CONFIGURE = {"csm"}
EXPECTED_API = {
    "api:account_summary": {
        "anonymous": 401,
        "member": 403,
        "marketing": 200,
        "sales": 200,
        "csm": 200,
    },
    "api:list_expansion_signals": {
        "anonymous": 401,
        "member": 403,
        "marketing": 403,
        "sales": 200,
        "csm": 200,
    },
}


def viewer(kind: str) -> Member | None:
    if kind == "anonymous":
        return None
    if kind == "member":
        return make_customer()
    return StaffFactory(staff_role=kind)


def page_client(kind: str) -> Client:
    client = Client()
    member = viewer(kind)
    if member is not None:
        client.force_login(member)
    return client


def api_client(kind: str) -> Client:
    member = viewer(kind)
    if member is None or not member.is_staff_member:
        client = Client()
        if member is not None:
            client.force_login(member)
        return client
    return Client(HTTP_AUTHORIZATION=f"Bearer {make_key(member, ['success:read'])}")


@pytest.fixture
def account() -> CustomerAccount:
    plan = PlanFactory(name="Standard", rank=1)
    return CustomerAccountFactory(name="アクメ", plan=plan, arr_minor=12_345_678)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("name", list(PAGES))
def test_pages(name: str, kind: str, account: CustomerAccount) -> None:
    method, args = PAGES[name]
    response = getattr(page_client(kind), method)(reverse(name, args=args(account)))
    assert response.status_code == EXPECTED_PAGES[name][kind]
    if name == "success:account-360" and response.status_code == 200:
        html = response.content.decode()
        assert ("12,345,678" in html) is (kind in SEES_ECONOMICS)
        assert ("data-economics" in html) is (kind in SEES_ECONOMICS)


@pytest.mark.parametrize("kind", VIEWERS)
def test_mapping_a_tag(kind: str, account: CustomerAccount) -> None:
    plan = PlanFactory(name="Enterprise", rank=2)
    TagFactory(name="SSO", slug="sso")
    response = page_client(kind).post(reverse("success:plan-tags"), {"plan": plan.pk, "tag": "SSO"})
    assert response.status_code == (302 if kind in MAY_CONFIGURE or kind == "anonymous" else 403)
    assert PlanCapabilityTag.objects.exists() is (kind in MAY_CONFIGURE)


@pytest.mark.parametrize("kind", VIEWERS)
def test_taking_a_tag_off(kind: str, account: CustomerAccount) -> None:
    mapping = PlanCapabilityTagFactory(plan=Plan.objects.get(name="Standard"))
    response = page_client(kind).post(
        reverse("success:plan-tag-remove"), {"plan": mapping.plan_id, "tag_id": mapping.tag_id}
    )
    assert response.status_code == (302 if kind in MAY_CONFIGURE or kind == "anonymous" else 403)
    assert PlanCapabilityTag.objects.exists() is (kind not in MAY_CONFIGURE)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("name", list(API))
def test_api(name: str, kind: str, account: CustomerAccount) -> None:
    response = api_client(kind).get(API[name].format(pk=account.pk))
    assert response.status_code == EXPECTED_API[name][kind]
    if name == "api:account_summary" and response.status_code == 200:
        assert (response.json()["open_plays"] is not None) is (kind in SEES_ECONOMICS)
