"""Who the API lets in: scoped API keys acting as their creator, and browser sessions."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import create_api_key, revoke_api_key
from kizuna.identity.tests.factories import StaffFactory
from kizuna.spaces.models import Membership
from kizuna.spaces.tests.factories import SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_request_without_credentials_gets_401_envelope(anonymous_client: ApiClient) -> None:
    response = anonymous_client.get("/api/spaces")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="kizuna"'


def test_unknown_key_gets_401() -> None:
    client = ApiClient(Client(), {"HTTP_AUTHORIZATION": "Bearer kz_deadbeef_nope"})

    response = client.get("/api/spaces")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_key_created_by_the_service_authenticates(staff: Member) -> None:
    _api_key, secret = create_api_key(actor=staff, name="CRM sync", scopes=["members:read"])
    client = ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"})

    response = client.get("/api/members/me")

    assert response.status_code == 200
    assert response.json()["id"] == staff.pk


def test_revoked_key_gets_401(staff: Member) -> None:
    api_key, secret = create_api_key(actor=staff, name="CRM sync", scopes=["members:read"])
    revoke_api_key(actor=staff, api_key=api_key)
    client = ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"})

    response = client.get("/api/members/me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_key_of_deactivated_creator_gets_401(
    staff: Member, key_client: Callable[..., ApiClient]
) -> None:
    client = key_client(staff)
    Member.objects.filter(pk=staff.pk).update(is_active=False)

    assert client.get("/api/members/me").status_code == 401


def test_key_of_creator_who_lost_the_staff_role_gets_401(
    staff: Member, key_client: Callable[..., ApiClient]
) -> None:
    client = key_client(staff)
    Member.objects.filter(pk=staff.pk).update(staff_role="")

    assert client.get("/api/members/me").status_code == 401


def test_key_without_the_required_scope_gets_403(
    staff: Member, key_client: Callable[..., ApiClient]
) -> None:
    client = key_client(staff, ["members:read"])

    response = client.get("/api/spaces")

    assert response.status_code == 403
    assert error_of(response) == {
        "code": "missing_scope",
        "message": "This API key lacks the “spaces:read” scope.",
        "fields": {},
    }


def test_read_scope_does_not_allow_writes(
    staff: Member, key_client: Callable[..., ApiClient]
) -> None:
    space = SpaceFactory()
    client = key_client(staff, ["spaces:read"])

    response = client.post(f"/api/spaces/{space.slug}/join")

    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"
    assert not Membership.objects.filter(space=space, member=staff).exists()


def test_key_acts_as_its_creator(staff: Member, key_client: Callable[..., ApiClient]) -> None:
    response = key_client(staff).get("/api/members/me")

    assert response.json()["id"] == staff.pk
    assert response.json()["email"] == staff.email


def test_key_use_is_recorded(staff: Member, key_client: Callable[..., ApiClient]) -> None:
    client = key_client(staff)

    client.get("/api/members/me")

    assert ApiKey.objects.get(created_by=staff).last_used_at is not None


def test_signed_in_member_reads_with_the_session(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(non_customer).get("/api/members/me")

    assert response.status_code == 200
    assert response.json()["id"] == non_customer.pk


def test_session_write_without_csrf_token_is_refused(non_customer: Member) -> None:
    space = SpaceFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(non_customer)

    response = ApiClient(client).post(f"/api/spaces/{space.slug}/join")

    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert not Membership.objects.filter(space=space, member=non_customer).exists()


def test_session_write_with_csrf_token_is_accepted(non_customer: Member) -> None:
    space = SpaceFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(non_customer)
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token

    response = ApiClient(client, {"HTTP_X_CSRFTOKEN": token}).post(f"/api/spaces/{space.slug}/join")

    assert response.status_code == 200
    assert Membership.objects.filter(space=space, member=non_customer).exists()


def test_staff_session_without_mfa_is_refused(
    session_client: Callable[[Member], ApiClient],
) -> None:
    staff_without_mfa = StaffFactory(with_mfa=False)

    response = session_client(staff_without_mfa).get("/api/members/me")

    assert response.status_code == 403
    assert error_of(response)["code"] == "mfa_required"


def test_staff_session_with_mfa_is_accepted(
    staff: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    assert session_client(staff).get("/api/members/me").status_code == 200
