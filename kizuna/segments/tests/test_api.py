"""The segments API: create, read, update, delete, count, members and the unsaved preview."""

import json
from typing import Any

import pytest
from django.test import Client

from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.segments.models import Segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class Caller:
    def __init__(self, member: Member, scopes: list[str]) -> None:
        self.client = Client()
        prefix, secret = generate_api_key_secret()
        ApiKey.objects.create(
            name="crm sync",
            prefix=prefix,
            key_hash=ApiKey.hash_secret(secret),
            scopes=scopes,
            created_by=member,
        )
        self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.generic(method, path, data, content_type="application/json")


@pytest.fixture
def csm() -> Caller:
    return Caller(StaffFactory(staff_role="csm"), ["success:read", "success:write"])


HIGH_TOUCH = [{"field": "account.touch_tier", "op": "in", "value": ["high"]}]


def test_create_read_count_and_list_members(csm: Caller) -> None:
    alpha = CustomerAccountFactory(name="Alpha", touch_tier="high")
    make_customer(alpha, display_name="Aoi", email="aoi@alpha.example")
    make_customer(CustomerAccountFactory(touch_tier="low"), display_name="Ren")
    created = csm.call("POST", "/api/segments", {"name": "High touch", "conditions": HIGH_TOUCH})
    assert created.status_code == 201
    body = created.json()
    assert body["conditions"] == HIGH_TOUCH
    assert body["uses_economics"] is True
    assert body["target"] == "members"
    segment_id = body["id"]

    assert csm.call("GET", f"/api/segments/{segment_id}/count").json() == {
        "target": "members",
        "count": 1,
    }
    members = csm.call("GET", f"/api/segments/{segment_id}/members").json()
    assert members["count"] == 1
    assert members["items"] == [
        {
            "id": members["items"][0]["id"],
            "name": "Aoi",
            "email": "aoi@alpha.example",
            "account_id": alpha.pk,
            "account_name": "Alpha",
            "level": "Bronze",
            "points": 0,
        }
    ]


def test_update_and_delete(csm: Caller) -> None:
    segment = Segment.objects.create(name="Old", conditions=HIGH_TOUCH, uses_economics=True)
    updated = csm.call(
        "PATCH",
        f"/api/segments/{segment.pk}",
        {"conditions": [{"field": "member.joined", "op": "within_last", "value": 7}]},
    )
    assert updated.status_code == 200
    assert updated.json()["name"] == "Old"
    assert updated.json()["uses_economics"] is False
    assert updated.json()["in_words"] == ["Joined in the last 7 days"]
    assert csm.call("DELETE", f"/api/segments/{segment.pk}").status_code == 204
    assert not Segment.objects.exists()


def test_preview_counts_an_unsaved_definition(csm: Caller) -> None:
    MemberFactory()
    MemberFactory()
    response = csm.call(
        "POST",
        "/api/segments/preview",
        {"conditions": [{"field": "member.kind", "op": "in", "value": ["other"]}]},
    )
    assert response.json() == {"target": "members", "count": 2}


def test_a_bad_definition_is_a_422_naming_the_condition(csm: Caller) -> None:
    response = csm.call(
        "POST",
        "/api/segments",
        {
            "name": "Broken",
            "conditions": [
                {"field": "member.joined", "op": "within_last", "value": 30},
                {"field": "member.posts", "op": "gte", "value": {"count": 2}},
            ],
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"]["conditions"] == ["Condition 2: Enter a number of days from 1 to 3650."]
    assert not Segment.objects.exists()


def test_a_key_without_the_write_scope_cannot_create() -> None:
    reader = Caller(StaffFactory(staff_role="csm"), ["success:read"])
    response = reader.call("POST", "/api/segments", {"name": "x", "conditions": HIGH_TOUCH})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "missing_scope"


def test_staff_without_manage_segments_cannot_create() -> None:
    sales = Caller(StaffFactory(staff_role="sales"), ["success:read", "success:write"])
    response = sales.call("POST", "/api/segments", {"name": "x", "conditions": HIGH_TOUCH})
    assert response.status_code == 403
