import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.core.models import AuditEntry
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import authenticate_api_key, create_api_key
from kizuna.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
URL = reverse("staff:staff-api-keys")
SECRET = re.compile(r"kz_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def admin(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="administrator")
    client.force_login(staff)
    return staff


def test_creating_a_key_shows_its_secret_once_and_stores_only_a_hash(
    client: Client, admin: Member
) -> None:
    response = client.post(
        URL, {"name": "Salesforce 連携", "scopes": ["accounts:read", "members:read"]}, follow=True
    )
    assert response.redirect_chain == [(URL, 302)]
    secrets = SECRET.findall(response.content.decode())
    assert len(secrets) == 1
    secret = secrets[0]
    assert response["Cache-Control"] == "no-store"
    api_key = ApiKey.objects.get()
    assert api_key.name == "Salesforce 連携"
    assert api_key.scopes == ["accounts:read", "members:read"]
    assert api_key.key_hash == ApiKey.hash_secret(secret)
    assert secret not in {api_key.key_hash, api_key.prefix, api_key.name}
    assert authenticate_api_key(secret) == api_key
    # Reloading the page shows the key in the list but never the secret again.
    again = client.get(URL)
    assert SECRET.findall(again.content.decode()) == []
    assert api_key.prefix in again.content.decode()


def test_invalid_key_form_keeps_input_and_creates_nothing(client: Client, admin: Member) -> None:
    response = client.post(URL, {"name": "連携", "scopes": []})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["scopes"]
    assert response.context["form"]["name"].value() == "連携"
    response = client.post(URL, {"name": "x", "scopes": ["root:everything"]})
    assert list(response.context["form"].errors) == ["scopes"]
    assert not ApiKey.objects.exists()


def test_revoking_asks_for_confirmation_then_revokes(client: Client, admin: Member) -> None:
    api_key, secret = create_api_key(actor=admin, name="古い連携", scopes=["spaces:read"])
    url = reverse("staff:staff-api-key-revoke", args=[api_key.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
    response = client.post(url, {"reason": "使われていない"})
    assert response["Location"] == URL
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key.revoked_by == admin
    assert authenticate_api_key(secret) is None
    entry = AuditEntry.objects.get(action="api_key.revoked")
    assert entry.reason == "使われていない"


def test_revoking_twice_is_harmless(client: Client, admin: Member) -> None:
    api_key, _secret = create_api_key(actor=admin, name="k", scopes=["spaces:read"])
    url = reverse("staff:staff-api-key-revoke", args=[api_key.pk])
    client.post(url, {"reason": ""})
    client.post(url, {"reason": ""})
    assert AuditEntry.objects.filter(action="api_key.revoked").count() == 1


def test_staff_without_manage_api_keys_cannot_create_or_revoke(client: Client) -> None:
    admin = StaffFactory(staff_role="administrator")
    api_key, _secret = create_api_key(actor=admin, name="k", scopes=["spaces:read"])
    client.force_login(StaffFactory(staff_role="community_manager"))
    assert client.post(URL, {"name": "x", "scopes": ["spaces:read"]}).status_code == 403
    url = reverse("staff:staff-api-key-revoke", args=[api_key.pk])
    assert client.post(url, {"reason": ""}).status_code == 403
    assert ApiKey.objects.count() == 1
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_empty_list_shows_an_empty_state(client: Client, admin: Member) -> None:
    assert "empty-state" in client.get(URL).content.decode()


def test_list_queries_do_not_grow_with_keys(
    client: Client, admin: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    other = StaffFactory()
    create_api_key(actor=admin, name="a", scopes=["spaces:read"])
    with django_assert_num_queries(5):  # session, member, TOTP check, count, page
        client.get(URL)
    for n in range(8):
        create_api_key(actor=other, name=f"k{n}", scopes=["spaces:read"])
    with django_assert_num_queries(5):
        client.get(URL)
