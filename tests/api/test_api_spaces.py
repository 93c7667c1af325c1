"""Spaces endpoints × viewer × space type: who reads what, and who manages spaces.

Viewers: anonymous, signed-in non-customer, customer (not a member), member, space
moderator (both customers), and staff (administrator, through an API key).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "non_customer", "customer", "member", "moderator", "staff"]
SECRET = "Secret description of the space"
PUBLIC_FIELDS = {"slug", "name", "purpose", "access_type", "can_view_content"}


@dataclass
class World:
    spaces: dict[str, Space]
    clients: dict[tuple[str, str], ApiClient]
    people: dict[tuple[str, str], Member]

    def client(self, viewer: str, access_type: str) -> ApiClient:
        return self.clients[(viewer, access_type)]


@pytest.fixture
def world(
    staff: Member,
    staff_client: ApiClient,
    anonymous_client: ApiClient,
    session_client: Callable[[Member], ApiClient],
) -> World:
    spaces = {
        kind: SpaceFactory(access_type=kind, slug=f"{kind}-space", join_questions=["Why?"])
        for kind in AccessType.values
    }
    non_customer, customer = MemberFactory(), make_customer()
    clients: dict[tuple[str, str], ApiClient] = {}
    people: dict[tuple[str, str], Member] = {}
    for kind, space in spaces.items():
        member = make_customer()
        moderator = make_customer()
        MembershipFactory(space=space, member=member)
        MembershipFactory(space=space, member=moderator, role=SpaceRole.MODERATOR)
        for viewer, person in [
            ("non_customer", non_customer),
            ("customer", customer),
            ("member", member),
            ("moderator", moderator),
        ]:
            clients[(viewer, kind)] = session_client(person)
            people[(viewer, kind)] = person
        clients[("anonymous", kind)] = anonymous_client
        clients[("staff", kind)] = staff_client
        people[("staff", kind)] = staff
    return World(spaces=spaces, clients=clients, people=people)


CAN_READ_CONTENT: dict[str, set[str]] = {
    AccessType.PRIVATE: {"customer", "member", "moderator", "staff"},
    AccessType.OPEN: {"non_customer", "customer", "member", "moderator", "staff"},
    AccessType.APPLICATION: {"member", "moderator", "staff"},
}
CASES = [(viewer, kind) for kind in AccessType.values for viewer in VIEWERS]


def _assert_public_only(body: dict[str, Any], kind: str) -> None:
    shown = {key for key, value in body.items() if value is not None}
    extra = {"rules", "join_questions"} if kind == AccessType.APPLICATION else set()
    assert shown - {"access"} == PUBLIC_FIELDS | extra
    assert SECRET not in str(body)


@pytest.mark.parametrize(("viewer", "kind"), CASES)
def test_get_space_shows_content_only_to_those_who_may_read_it(
    world: World, viewer: str, kind: str
) -> None:
    response = world.client(viewer, kind).get(f"/api/spaces/{kind}-space")

    if viewer == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    if viewer in CAN_READ_CONTENT[kind]:
        assert body["can_view_content"] is True
        assert body["description"] == SECRET
    else:
        assert body["can_view_content"] is False
        _assert_public_only(body, kind)


@pytest.mark.parametrize(("viewer", "kind"), CASES)
def test_space_list_shows_content_only_to_those_who_may_read_it(
    world: World, viewer: str, kind: str
) -> None:
    response = world.client(viewer, kind).get("/api/spaces", access_type=kind)

    if viewer == "anonymous":
        assert response.status_code == 401
        return
    [item] = response.json()["items"]
    assert item["slug"] == f"{kind}-space"
    assert item["can_view_content"] is (viewer in CAN_READ_CONTENT[kind])
    if viewer not in CAN_READ_CONTENT[kind]:
        _assert_public_only(item, kind)


@pytest.mark.parametrize(("viewer", "kind"), CASES)
def test_member_list_is_for_those_who_may_read_the_space(
    world: World, viewer: str, kind: str
) -> None:
    response = world.client(viewer, kind).get(f"/api/spaces/{kind}-space/members")

    if viewer == "anonymous":
        assert response.status_code == 401
    elif viewer in CAN_READ_CONTENT[kind]:
        assert response.status_code == 200
        assert response.json()["count"] == 2
    else:
        assert response.status_code == 403
        expected_code = "customers_only" if kind == "private" else "application_required"
        assert error_of(response)["code"] == expected_code
        member = world.people[("member", kind)]
        assert member.name not in response.content.decode()
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize(("viewer", "kind"), CASES)
def test_pending_requests_are_listed_for_moderators_and_staff(
    world: World, viewer: str, kind: str
) -> None:
    response = world.client(viewer, kind).get(f"/api/spaces/{kind}-space/join-requests")

    if viewer == "anonymous":
        assert response.status_code == 401
    elif viewer in {"moderator", "staff"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert SECRET not in response.content.decode()


INVITERS = {"member", "moderator", "staff"}  # in every space type


@pytest.mark.parametrize(("viewer", "kind"), CASES)
def test_members_and_staff_invite(world: World, viewer: str, kind: str) -> None:
    response = world.client(viewer, kind).post(
        f"/api/spaces/{kind}-space/invitations", {"email": "friend@example.jp"}
    )

    space = world.spaces[kind]
    if viewer == "anonymous":
        assert response.status_code == 401
    elif viewer in INVITERS:
        assert response.status_code == 201
        assert space.invitations.get().email == "friend@example.jp"
    else:
        assert response.status_code == 403
        assert not space.invitations.exists()


@pytest.mark.parametrize("viewer", ["anonymous", "non_customer", "customer", "member", "staff"])
def test_anyone_signed_in_but_members_may_apply(world: World, viewer: str) -> None:
    response = world.client(viewer, "application").post(
        "/api/spaces/application-space/join-requests", {"answers": ["理由"]}
    )

    space = world.spaces["application"]
    if viewer == "anonymous":
        assert response.status_code == 401
    elif viewer == "member":
        assert response.status_code == 422
        assert not space.join_requests.exists()
    else:
        assert response.status_code == 201
        assert space.join_requests.get().applicant == world.people[(viewer, "application")]


JOIN_ALLOWED: dict[str, set[str]] = {
    AccessType.PRIVATE: {"customer", "staff"},
    AccessType.OPEN: {"non_customer", "customer", "staff"},
    AccessType.APPLICATION: set(),
}


@pytest.mark.parametrize("viewer", ["anonymous", "non_customer", "customer", "staff"])
@pytest.mark.parametrize("kind", AccessType.values)
def test_join_follows_the_space_type(world: World, viewer: str, kind: str) -> None:
    response = world.client(viewer, kind).post(f"/api/spaces/{kind}-space/join")

    space = world.spaces[kind]
    if viewer == "anonymous":
        assert response.status_code == 401
    elif viewer in JOIN_ALLOWED[kind]:
        assert response.status_code == 200
        person = world.people[(viewer, kind)]
        assert response.json()["member"]["id"] == person.pk
        assert Membership.objects.filter(space=space, member=person).exists()
    else:
        assert response.status_code == 403
        assert Membership.objects.filter(space=space).count() == 2


def test_non_customer_is_told_a_private_space_is_for_customers(world: World) -> None:
    response = world.client("non_customer", "private").post("/api/spaces/private-space/join")

    assert error_of(response)["code"] == "customers_only"


def test_leave_removes_the_membership(world: World) -> None:
    member = world.people[("member", "open")]

    response = world.client("member", "open").post("/api/spaces/open-space/leave")

    assert response.status_code == 204
    assert not Membership.objects.filter(space=world.spaces["open"], member=member).exists()


VALID_SPACE = {"name": "請求書の相談室", "purpose": "請求の悩みを話す", "rules": "敬意を持って"}


def test_staff_create_a_space_and_become_its_host(staff: Member, staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {**VALID_SPACE, "slug": "billing"})

    assert response.status_code == 201
    assert response.json()["slug"] == "billing"
    assert response.json()["access"]["role"] == "host"
    assert Membership.objects.get(space__slug="billing").member == staff


@pytest.mark.parametrize("viewer", ["non_customer", "customer", "moderator"])
def test_only_staff_create_spaces(world: World, viewer: str) -> None:
    response = world.client(viewer, "open").post("/api/spaces", VALID_SPACE)

    assert response.status_code == 403
    assert Space.objects.count() == 3


def test_create_a_sub_group_under_a_parent(staff_client: ApiClient) -> None:
    parent = SpaceFactory(slug="parent")

    response = staff_client.post("/api/spaces", {**VALID_SPACE, "parent": "parent"})

    assert response.status_code == 201
    assert response.json()["parent"] == "parent"
    assert Space.objects.get(slug=response.json()["slug"]).parent == parent


def test_create_with_unknown_parent_names_the_field(staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {**VALID_SPACE, "parent": "nowhere"})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"parent": ["There is no space with this address."]}
    assert not Space.objects.exists()


def test_staff_update_a_space_and_the_change_is_audited(
    world: World, staff_client: ApiClient
) -> None:
    response = staff_client.patch("/api/spaces/open-space", {"purpose": "新しい目的"})

    assert response.status_code == 200
    assert Space.objects.get(slug="open-space").purpose == "新しい目的"
    assert AuditEntry.objects.get(action="space.updated").details == {"changed": ["purpose"]}


@pytest.mark.parametrize("viewer", ["customer", "member", "moderator"])
def test_those_who_do_not_manage_a_space_cannot_update_it(world: World, viewer: str) -> None:
    response = world.client(viewer, "open").patch("/api/spaces/open-space", {"purpose": "x"})

    assert response.status_code == 403
    assert Space.objects.get(slug="open-space").purpose == "Public purpose of the space"


def test_update_with_invalid_colour_writes_nothing(world: World, staff_client: ApiClient) -> None:
    response = staff_client.patch("/api/spaces/open-space", {"color": "red", "name": "新しい名前"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["color"]
    assert Space.objects.get(slug="open-space").name == world.spaces["open"].name


def test_staff_archive_a_space(world: World, staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces/open-space/archive", {"reason": "役目を終えた"})

    assert response.status_code == 200
    assert response.json()["archived_at"] is not None


def test_members_cannot_archive_a_space(world: World) -> None:
    response = world.client("moderator", "open").post("/api/spaces/open-space/archive")

    assert response.status_code == 403
    assert Space.objects.get(slug="open-space").archived_at is None


def test_archived_space_is_gone_for_members(world: World, staff_client: ApiClient) -> None:
    staff_client.post("/api/spaces/open-space/archive")

    response = world.client("member", "open").get("/api/spaces/open-space")

    assert response.status_code == 404


def test_space_list_pages_with_a_total_count(staff_client: ApiClient) -> None:
    for index in range(5):
        SpaceFactory(name=f"space {index}")

    response = staff_client.get("/api/spaces", limit=2, offset=2)

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [item["name"] for item in body["items"]] == ["space 2", "space 3"]


@pytest.mark.parametrize("count", [2, 6])
def test_space_list_query_count_does_not_grow_with_spaces(
    staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    parent = SpaceFactory()
    for _ in range(count):
        SpaceFactory(parent=parent)

    # key lookup, key last-used update, count, page
    with django_assert_num_queries(4):
        response = staff_client.get("/api/spaces")

    assert response.json()["count"] == count + 1


@pytest.mark.parametrize("count", [2, 6])
def test_space_list_for_a_customer_session_uses_a_fixed_number_of_queries(
    session_client: Callable[[Member], ApiClient], django_assert_num_queries: Any, count: int
) -> None:
    client = session_client(make_customer())
    for kind in AccessType.values * count:
        SpaceFactory(access_type=kind)

    # session, member, is-customer, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/spaces")

    assert response.json()["count"] == 3 * count


@pytest.mark.parametrize("count", [2, 6])
def test_member_list_query_count_does_not_grow_with_members(
    staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    space = SpaceFactory(slug="crowded")
    for _ in range(count):
        MembershipFactory(space=space)

    # key lookup, key update, space lookup, access (membership), count, page
    with django_assert_num_queries(6):
        response = staff_client.get("/api/spaces/crowded/members")

    assert response.json()["count"] == count
