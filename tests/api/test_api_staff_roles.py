"""Each staff role through an API key: the key may do what its creator's role may, no more."""

from collections.abc import Callable

import pytest

from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import SpaceFactory
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

ROLES = list(StaffRole.values)
MANAGE_SPACES = {"administrator", "community_manager"}
MANAGE_ACCOUNTS = {"administrator", "csm"}
LINK_ACCOUNTS = {"administrator", "community_manager", "csm"}


@pytest.fixture
def client_for(key_client: Callable[..., ApiClient]) -> Callable[[str], ApiClient]:
    def build(role: str) -> ApiClient:
        return key_client(StaffFactory(staff_role=role))

    return build


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_reads_private_space_content(
    client_for: Callable[[str], ApiClient], role: str
) -> None:
    SpaceFactory(slug="private", access_type=AccessType.PRIVATE)

    response = client_for(role).get("/api/spaces/private")

    assert response.json()["can_view_content"] is True


@pytest.mark.parametrize("role", ROLES)
def test_only_space_managers_create_spaces(
    client_for: Callable[[str], ApiClient], role: str
) -> None:
    response = client_for(role).post(
        "/api/spaces", {"name": "新しい場", "purpose": "目的", "rules": "ルール"}
    )

    assert response.status_code == (201 if role in MANAGE_SPACES else 403)
    assert Space.objects.exists() is (role in MANAGE_SPACES)


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_reads_accounts_and_member_emails(
    client_for: Callable[[str], ApiClient], role: str
) -> None:
    customer = make_customer()
    client = client_for(role)

    assert client.get("/api/accounts").status_code == 200
    assert client.get(f"/api/members/{customer.pk}").json()["email"] == customer.email


@pytest.mark.parametrize("role", ROLES)
def test_only_account_managers_create_accounts(
    client_for: Callable[[str], ApiClient], role: str
) -> None:
    response = client_for(role).post("/api/accounts", {"name": "株式会社新規"})

    assert response.status_code == (201 if role in MANAGE_ACCOUNTS else 403)
    assert CustomerAccount.objects.exists() is (role in MANAGE_ACCOUNTS)


@pytest.mark.parametrize("role", ROLES)
def test_only_linking_roles_link_members(client_for: Callable[[str], ApiClient], role: str) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()

    response = client_for(role).post(
        f"/api/accounts/{account.pk}/members", {"member_id": member.pk}
    )

    assert response.status_code == (200 if role in LINK_ACCOUNTS else 403)
    assert MemberAccountLink.objects.filter(member=member).exists() is (role in LINK_ACCOUNTS)
