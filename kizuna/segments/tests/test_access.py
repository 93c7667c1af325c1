"""Who may reach segments, by page and by API: every staff member reads them, MANAGE_SEGMENTS
writes them, and a segment on customer economics does not exist for staff without the
economics capability (a marketing role) nor, like every segment, for members."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.segments.models import Segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGES = ["segment-detail", "segment-edit", "segment-export", "segment-invite", "segment-delete"]


@pytest.fixture
def restricted() -> Segment:
    return Segment.objects.create(
        name="High touch renewals",
        conditions=[{"field": "account.touch_tier", "op": "in", "value": ["high"]}],
        uses_economics=True,
    )


@pytest.fixture
def open_segment() -> Segment:
    return Segment.objects.create(
        name="Newcomers",
        conditions=[{"field": "member.joined", "op": "within_last", "value": 30}],
    )


def page_status(client: Client, member: Member, name: str, segment: Segment) -> int:
    client.force_login(member)
    return client.get(reverse(f"segments:{name}", args=[segment.pk])).status_code


def api(member: Member, method: str, path: str, body: Any = None) -> Any:
    client = Client()
    prefix, secret = generate_api_key_secret()
    ApiKey.objects.create(
        name="test",
        prefix=prefix,
        key_hash=ApiKey.hash_secret(secret),
        scopes=["success:read", "success:write"],
        created_by=member,
    )
    data = json.dumps(body) if body is not None else ""
    return client.generic(
        method,
        path,
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


@pytest.mark.parametrize("name", PAGES)
def test_a_restricted_segment_is_not_there_for_marketing(
    client: Client, restricted: Segment, name: str
) -> None:
    assert page_status(client, StaffFactory(staff_role="marketing"), name, restricted) == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_restricted_segment_opens_for_a_csm(
    client: Client, restricted: Segment, name: str
) -> None:
    assert page_status(client, StaffFactory(staff_role="csm"), name, restricted) == 200


def test_a_marketer_granted_economics_sees_it(client: Client, restricted: Segment) -> None:
    marketer = StaffFactory(staff_role="marketing", granted_capabilities=["view_account_economics"])
    assert page_status(client, marketer, "segment-detail", restricted) == 200


def test_the_list_leaves_restricted_segments_out_for_marketing(
    client: Client, restricted: Segment, open_segment: Segment
) -> None:
    client.force_login(StaffFactory(staff_role="marketing"))
    html = client.get(reverse("segments:segment-list")).content.decode()
    assert "Newcomers" in html
    assert "High touch renewals" not in html


@pytest.mark.parametrize("name", [*PAGES, "segment-list", "segment-create"])
def test_members_reach_no_segment_page(client: Client, open_segment: Segment, name: str) -> None:
    client.force_login(MemberFactory())
    url = reverse(f"segments:{name}", args=[open_segment.pk] if name in PAGES else [])
    assert client.get(url).status_code == 403


def test_staff_without_manage_segments_read_but_do_not_write(
    client: Client, open_segment: Segment
) -> None:
    sales = StaffFactory(staff_role="sales")
    assert page_status(client, sales, "segment-detail", open_segment) == 200
    assert page_status(client, sales, "segment-export", open_segment) == 200
    for name in ("segment-edit", "segment-delete", "segment-invite"):
        assert page_status(client, sales, name, open_segment) == 403
    assert client.get(reverse("segments:segment-create")).status_code == 403
    assert client.post(reverse("segments:segment-preview")).status_code == 403


def test_marketing_cannot_save_a_condition_on_economics_through_the_editor(
    client: Client,
) -> None:
    client.force_login(StaffFactory(staff_role="marketing"))
    response = client.post(
        reverse("segments:segment-create"),
        {
            "name": "Big accounts",
            "target": "accounts",
            "match": "all",
            "c-0-field": "account.arr",
            "c-0-op": "gte",
            "c-0-value": "1000万",
            "_save": "1",
        },
    )
    assert response.status_code == 403
    assert Segment.objects.count() == 0


def test_marketings_editor_offers_no_economics_field(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="marketing"))
    html = client.get(reverse("segments:segment-create")).content.decode()
    assert 'value="account.lifecycle_stage"' in html
    assert 'value="account.touch_tier"' not in html
    assert 'value="account.arr"' not in html


# ------------------------------------------------------------------ the API


def test_the_api_hides_a_restricted_segment_from_marketing(
    restricted: Segment, open_segment: Segment
) -> None:
    marketer = StaffFactory(staff_role="marketing")
    listed = api(marketer, "GET", "/api/segments").json()
    assert [item["name"] for item in listed["items"]] == ["Newcomers"]
    for path in ("", "/count", "/members"):
        assert api(marketer, "GET", f"/api/segments/{restricted.pk}{path}").status_code == 404
    assert api(marketer, "PATCH", f"/api/segments/{restricted.pk}", {"name": "x"}).status_code == (
        404
    )
    assert api(marketer, "DELETE", f"/api/segments/{restricted.pk}").status_code == 404
    refused = api(
        marketer,
        "POST",
        "/api/segments/preview",
        {"conditions": [{"field": "account.touch_tier", "op": "in", "value": ["high"]}]},
    )
    assert refused.status_code == 403
    created = api(
        marketer,
        "POST",
        "/api/segments",
        {
            "name": "Big",
            "conditions": [{"field": "custom:seats", "op": "gte", "value": "10"}],
        },
    )
    assert created.status_code == 403
    assert Segment.objects.count() == 2


def test_the_api_shows_a_restricted_segment_to_a_csm(restricted: Segment) -> None:
    body = api(StaffFactory(staff_role="csm"), "GET", f"/api/segments/{restricted.pk}").json()
    assert body["uses_economics"] is True
    assert body["in_words"] == ["Touch tier is one of: High touch"]


def test_members_cannot_use_the_api(open_segment: Segment) -> None:
    client = Client()
    client.force_login(MemberFactory())
    assert client.get("/api/segments").status_code == 403
    assert client.get(f"/api/segments/{open_segment.pk}/count").status_code == 403


# ------------------------------------------------------------------ the matrix

# Who gets what from each segment page (GET) and API operation, for a segment without
# economics ("open") and one with them ("restricted"). 302 is the sign-in page.
ROLES = ["anonymous", "member", "marketing", "sales", "csm"]
PAGE_MATRIX: dict[str, dict[str, tuple[int, int]]] = {
    # role: page → (open, restricted)
    "anonymous": {name: (302, 302) for name in PAGES},
    "member": {name: (403, 403) for name in PAGES},
    "marketing": {name: (200, 404) for name in PAGES},
    "sales": {
        "segment-detail": (200, 200),
        "segment-export": (200, 200),
        "segment-edit": (403, 403),
        "segment-invite": (403, 403),
        "segment-delete": (403, 403),
    },
    "csm": {name: (200, 200) for name in PAGES},
}
LIST_PAGES: dict[str, dict[str, int]] = {
    "anonymous": {"segment-list": 302, "segment-create": 302},
    "member": {"segment-list": 403, "segment-create": 403},
    "marketing": {"segment-list": 200, "segment-create": 200},
    "sales": {"segment-list": 200, "segment-create": 403},
    "csm": {"segment-list": 200, "segment-create": 200},
}
# The live count is posted; 200 with the count for those who edit segments.
PREVIEW = {"anonymous": 302, "member": 403, "marketing": 200, "sales": 403, "csm": 200}


def person(role: str) -> Member | None:
    if role == "anonymous":
        return None
    if role == "member":
        return MemberFactory()
    return StaffFactory(staff_role=role)


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_matrix(
    client: Client, role: str, open_segment: Segment, restricted: Segment
) -> None:
    who = person(role)
    if who is not None:
        client.force_login(who)
    found = {}
    for name in PAGES:
        found[name] = tuple(
            client.get(reverse(f"segments:{name}", args=[segment.pk])).status_code
            for segment in (open_segment, restricted)
        )
    assert found == PAGE_MATRIX[role]
    assert {
        name: client.get(reverse(f"segments:{name}")).status_code for name in LIST_PAGES[role]
    } == LIST_PAGES[role]
    preview = client.post(
        reverse("segments:segment-preview"),
        {"target": "members", "match": "all", "c-0-field": ""},
    )
    assert preview.status_code == PREVIEW[role]


# API operation → (method, path under /api/segments, body); "{id}" is the segment's id.
API_OPERATIONS: dict[str, tuple[str, str, Any]] = {
    "api:list_segments": ("GET", "", None),
    "api:get_segment": ("GET", "/{id}", None),
    "api:count_segment": ("GET", "/{id}/count", None),
    "api:segment_members": ("GET", "/{id}/members", None),
    "api:update_segment": ("PATCH", "/{id}", {"description": "checked"}),
    "api:preview_segment": (
        "POST",
        "/preview",
        {"conditions": [{"field": "member.joined", "op": "within_last", "value": 7}]},
    ),
    "api:create_segment": (
        "POST",
        "",
        {"name": "n", "conditions": [{"field": "member.joined", "op": "within_last", "value": 7}]},
    ),
    "api:delete_segment": ("DELETE", "/{id}", None),
}
# role → operation → (open, restricted); list, preview and create do not name a segment.
API_MATRIX: dict[str, dict[str, tuple[int, int]]] = {
    "marketing": {
        "api:list_segments": (200, 200),
        "api:get_segment": (200, 404),
        "api:count_segment": (200, 404),
        "api:segment_members": (200, 404),
        "api:update_segment": (200, 404),
        "api:preview_segment": (200, 200),
        "api:create_segment": (201, 201),
        "api:delete_segment": (204, 404),
    },
    "sales": {
        "api:list_segments": (200, 200),
        "api:get_segment": (200, 200),
        "api:count_segment": (200, 200),
        "api:segment_members": (200, 200),
        "api:update_segment": (403, 403),
        "api:preview_segment": (403, 403),
        "api:create_segment": (403, 403),
        "api:delete_segment": (403, 403),
    },
    "csm": {
        "api:list_segments": (200, 200),
        "api:get_segment": (200, 200),
        "api:count_segment": (200, 200),
        "api:segment_members": (200, 200),
        "api:update_segment": (200, 200),
        "api:preview_segment": (200, 200),
        "api:create_segment": (201, 201),
        "api:delete_segment": (204, 204),
    },
}


@pytest.mark.parametrize("role", list(API_MATRIX))
def test_the_api_matrix(role: str) -> None:
    caller = StaffFactory(staff_role=role)
    found = {}
    for operation, (method, path, body) in API_OPERATIONS.items():
        statuses = []
        for uses_economics in (False, True):
            segment = Segment.objects.create(
                name="s",
                uses_economics=uses_economics,
                conditions=[
                    {"field": "account.touch_tier", "op": "in", "value": ["high"]}
                    if uses_economics
                    else {"field": "member.joined", "op": "within_last", "value": 30}
                ],
            )
            url = "/api/segments" + path.replace("{id}", str(segment.pk))
            statuses.append(api(caller, method, url, body).status_code)
        found[operation] = tuple(statuses)
    assert found == API_MATRIX[role]


def test_members_get_403_from_every_api_operation(open_segment: Segment) -> None:
    client = Client()
    client.force_login(MemberFactory())
    for method, path, body in API_OPERATIONS.values():
        url = "/api/segments" + path.replace("{id}", str(open_segment.pk))
        data = json.dumps(body) if body is not None else ""
        response = client.generic(method, url, data, content_type="application/json")
        assert response.status_code == 403, (method, url)


EXERCISED_URL_NAMES = frozenset(
    {f"segments:{name}" for name in [*PAGES, *LIST_PAGES["csm"], "segment-preview"]}
    | set(API_OPERATIONS)
)
