"""Customer accounts through the API: staff capabilities decide who reads and who changes."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.core.models import AuditEntry
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.selectors import is_customer
from kizuna.customers.tests.factories import AccountDomainFactory, CustomerAccountFactory
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_staff_list_accounts_with_domains_and_member_counts(staff_client: ApiClient) -> None:
    domain = AccountDomainFactory(account__name="株式会社テスト", domain="test.co.jp")
    MemberAccountLink.objects.create(member=MemberFactory(), account=domain.account, source="staff")

    response = staff_client.get("/api/accounts")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["name"], item["domains"], item["member_count"]) == (
        "株式会社テスト",
        ["test.co.jp"],
        1,
    )


def test_accounts_filter_by_status(staff_client: ApiClient) -> None:
    CustomerAccountFactory(status="active")
    churned = CustomerAccountFactory(status="churned")

    response = staff_client.get("/api/accounts", status="churned")

    assert [item["id"] for item in response.json()["items"]] == [churned.pk]


def test_members_cannot_read_accounts(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    CustomerAccountFactory()

    response = session_client(non_customer).get("/api/accounts")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_key_without_accounts_scope_cannot_read_accounts(
    staff: Member, key_client: Callable[..., ApiClient]
) -> None:
    response = key_client(staff, ["spaces:read"]).get("/api/accounts")

    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"


def test_get_an_account(staff_client: ApiClient) -> None:
    account = CustomerAccountFactory(name="株式会社テスト")

    response = staff_client.get(f"/api/accounts/{account.pk}")

    assert response.json()["name"] == "株式会社テスト"


def test_unknown_account_gets_404(staff_client: ApiClient) -> None:
    assert staff_client.get("/api/accounts/12345").status_code == 404


def test_a_csm_creates_an_account(key_client: Callable[..., ApiClient]) -> None:
    csm = StaffFactory(staff_role="csm")

    response = key_client(csm).post(
        "/api/accounts", {"name": "株式会社新規", "domains": ["Shinki.co.jp"]}
    )

    assert response.status_code == 201
    assert response.json()["domains"] == ["shinki.co.jp"]
    assert AuditEntry.objects.get(action="account.created").actor == csm


def test_marketing_staff_read_but_cannot_create_accounts(
    key_client: Callable[..., ApiClient],
) -> None:
    client = key_client(StaffFactory(staff_role="marketing"))

    assert client.get("/api/accounts").status_code == 200
    response = client.post("/api/accounts", {"name": "株式会社新規"})

    assert response.status_code == 403
    assert not CustomerAccount.objects.exists()


def test_a_public_mail_domain_is_refused_and_nothing_is_written(staff_client: ApiClient) -> None:
    response = staff_client.post(
        "/api/accounts", {"name": "株式会社新規", "domains": ["gmail.com"]}
    )

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "domains": ["“gmail.com” is a public mail service and cannot identify a company."]
    }
    assert not CustomerAccount.objects.exists()


def test_update_changes_only_the_given_fields(staff_client: ApiClient) -> None:
    domain = AccountDomainFactory(account__name="株式会社テスト", domain="test.co.jp")

    response = staff_client.patch(f"/api/accounts/{domain.account.pk}", {"status": "churned"})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["status"], response.json()["domains"]) == (
        "株式会社テスト",
        "churned",
        ["test.co.jp"],
    )


def test_staff_link_a_member_who_becomes_a_customer(staff_client: ApiClient) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()

    response = staff_client.post(
        f"/api/accounts/{account.pk}/members", {"member_id": member.pk, "reason": "個人アドレス"}
    )

    assert response.status_code == 200
    assert response.json()["source"] == "staff"
    assert is_customer(Member.objects.get(pk=member.pk))


def test_linking_an_unknown_member_gets_404(staff_client: ApiClient) -> None:
    account = CustomerAccountFactory()

    response = staff_client.post(f"/api/accounts/{account.pk}/members", {"member_id": 999999})

    assert response.status_code == 404
    assert not MemberAccountLink.objects.exists()


def test_a_moderator_cannot_link_members(key_client: Callable[..., ApiClient]) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()

    response = key_client(StaffFactory(staff_role="moderator")).post(
        f"/api/accounts/{account.pk}/members", {"member_id": member.pk}
    )

    assert response.status_code == 403
    assert not MemberAccountLink.objects.exists()


def test_staff_unlink_a_member(staff_client: ApiClient) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()
    MemberAccountLink.objects.create(member=member, account=account, source="staff")

    response = staff_client.post(
        f"/api/accounts/{account.pk}/members/{member.pk}/unlink", {"reason": "退職"}
    )

    assert response.status_code == 204
    assert not MemberAccountLink.objects.exists()


def test_unlinking_from_another_account_gets_404(staff_client: ApiClient) -> None:
    member = MemberFactory()
    MemberAccountLink.objects.create(
        member=member, account=CustomerAccountFactory(), source="staff"
    )
    other = CustomerAccountFactory()

    response = staff_client.post(f"/api/accounts/{other.pk}/members/{member.pk}/unlink")

    assert response.status_code == 404
    assert MemberAccountLink.objects.filter(member=member).exists()


@pytest.mark.parametrize("count", [2, 5])
def test_account_list_uses_a_fixed_number_of_queries(
    staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        AccountDomainFactory()
    current_tier_settings()

    # key lookup, key update, count, page, domains, custom fields, tier settings (computed LTV)
    with django_assert_num_queries(7):
        response = staff_client.get("/api/accounts")

    assert response.json()["count"] == count
