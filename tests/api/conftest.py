"""Fixtures for API tests: clients that act as each kind of viewer."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

ALL_SCOPES = list(ApiKey.Scope.values)


class ApiClient:
    """A test client that sends JSON and English, as an integration would."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = {"HTTP_ACCEPT_LANGUAGE": "en", **(headers or {})}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self.headers,
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            path, json.dumps(body), content_type="application/json", **self.headers
        )


def make_key(member: Member, scopes: list[str] | None = None) -> str:
    """A key acting as `member` (made directly, so any staff role can own one in tests)."""
    prefix, secret = generate_api_key_secret()
    ApiKey.objects.create(
        name="test",
        prefix=prefix,
        key_hash=ApiKey.hash_secret(secret),
        scopes=ALL_SCOPES if scopes is None else scopes,
        created_by=member,
    )
    return secret


@pytest.fixture
def key_client() -> Callable[..., ApiClient]:
    def build(member: Member, scopes: list[str] | None = None) -> ApiClient:
        secret = make_key(member, scopes)
        return ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"})

    return build


@pytest.fixture
def session_client() -> Callable[[Member], ApiClient]:
    def build(member: Member) -> ApiClient:
        # A member's own language wins over Accept-Language; pin English for the assertions.
        Member.objects.filter(pk=member.pk).update(language="en")
        client = Client()
        client.force_login(member)
        return ApiClient(client)

    return build


@pytest.fixture
def anonymous_client() -> ApiClient:
    return ApiClient(Client())


@pytest.fixture
def staff(db: None) -> Member:
    member: Member = StaffFactory(staff_role="administrator")
    return member


@pytest.fixture
def staff_client(staff: Member, key_client: Callable[..., ApiClient]) -> ApiClient:
    return key_client(staff)


@pytest.fixture
def non_customer(db: None) -> Member:
    member: Member = MemberFactory()
    return member


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]  # type: ignore[no-any-return]


# The small forum the content, search, notification and review-queue tests share.
from tests.api.forum_fixtures import forum  # noqa: E402, F401
