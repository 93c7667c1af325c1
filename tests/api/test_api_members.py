"""Members through the API: contact and account details only for staff who may see them."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_staff_see_email_and_account(staff_client: ApiClient) -> None:
    customer = make_customer(account=CustomerAccountFactory(name="株式会社テスト"))

    response = staff_client.get(f"/api/members/{customer.pk}")

    assert response.json()["email"] == customer.email
    assert response.json()["account"]["name"] == "株式会社テスト"


def test_members_see_only_the_public_profile(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    customer = make_customer(bio="経理担当です")

    response = session_client(non_customer).get(f"/api/members/{customer.pk}")

    body = response.json()
    assert (body["email"], body["account"], body["bio"]) == (None, None, "経理担当です")
    assert customer.email not in response.content.decode()


def test_member_list_hides_emails_from_members(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    MemberFactory()

    response = session_client(non_customer).get("/api/members")

    assert response.json()["count"] == 2
    assert {item["email"] for item in response.json()["items"]} == {None}


def test_member_search_by_name(staff_client: ApiClient) -> None:
    tanaka = MemberFactory(display_name="田中 花子")
    MemberFactory(display_name="佐藤 一郎")

    response = staff_client.get("/api/members", q="田中")

    assert [item["id"] for item in response.json()["items"]] == [tanaka.pk]


def test_me_returns_own_email_and_customer_status(
    session_client: Callable[[Member], ApiClient],
) -> None:
    customer = make_customer()

    response = session_client(customer).get("/api/members/me")

    assert (response.json()["email"], response.json()["is_customer"]) == (customer.email, True)


def test_inactive_member_gets_404(staff_client: ApiClient) -> None:
    gone = MemberFactory(is_active=False)

    response = staff_client.get(f"/api/members/{gone.pk}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("count", [2, 6])
def test_member_list_uses_a_fixed_number_of_queries(
    staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        make_customer()

    # key lookup, key update, count, page (with accounts), interests
    with django_assert_num_queries(5):
        response = staff_client.get("/api/members")

    assert response.json()["count"] == count + 1
