"""The members API honours the privacy settings for members; staff with customer data see all."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden() -> Member:
    member: Member = MemberFactory(
        display_name="Hidden", company_name="秘密商事", shows_company=False
    )
    return member


def names(response: Any) -> list[str]:
    return [item["display_name"] for item in response.json()["items"]]


def test_members_get_an_empty_company_when_it_is_hidden(
    non_customer: Member, session_client: Callable[[Member], ApiClient], hidden: Member
) -> None:
    client = session_client(non_customer)

    one = client.get(f"/api/members/{hidden.pk}")
    listed = client.get("/api/members", q="Hidden")

    assert one.json()["company_name"] == ""
    assert listed.json()["items"][0]["company_name"] == ""
    assert "秘密商事" not in one.content.decode() + listed.content.decode()


def test_members_cannot_find_a_hidden_company_by_searching_for_it(
    non_customer: Member, session_client: Callable[[Member], ApiClient], hidden: Member
) -> None:
    MemberFactory(display_name="Shown", company_name="秘密商事")

    response = session_client(non_customer).get("/api/members", q="秘密")

    assert names(response) == ["Shown"]


def test_members_list_leaves_out_unlisted_members(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    MemberFactory(display_name="Unlisted", listed_in_directory=False)
    MemberFactory(display_name="Listed")

    response = session_client(non_customer).get("/api/members", q="listed")

    assert names(response) == ["Listed"]


def test_staff_with_customer_data_access_see_and_find_everything(
    staff_client: ApiClient, hidden: Member
) -> None:
    MemberFactory(display_name="Unlisted", listed_in_directory=False)

    by_company = staff_client.get("/api/members", q="秘密")
    unlisted = staff_client.get("/api/members", q="Unlisted")
    one = staff_client.get(f"/api/members/{hidden.pk}")

    assert names(by_company) == ["Hidden"]
    assert names(unlisted) == ["Unlisted"]
    assert one.json()["company_name"] == "秘密商事"
