"""The services refuse staff without the capability, whoever calls them, and change nothing."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountDomain, CustomerAccount, MemberAccountLink
from kizuna.customers.selectors import is_customer
from kizuna.customers.services import (
    clean_domains,
    link_member_by_verified_email,
    link_member_to_account,
    save_account,
    unlink_member_from_account,
)
from kizuna.customers.tests.factories import (
    AccountDomainFactory,
    CustomerAccountFactory,
    make_customer,
)
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["sales", "moderator", "community_manager", ""])
def test_save_account_needs_manage_accounts(role: str) -> None:
    actor = StaffFactory(staff_role=role) if role else MemberFactory()
    with pytest.raises(PermissionDenied):
        save_account(actor=actor, name="株式会社X", domains="x.co.jp", status="active")
    assert not CustomerAccount.objects.exists()
    assert not AuditEntry.objects.exists()


def test_save_account_denied_leaves_an_existing_account_unchanged() -> None:
    account: CustomerAccount = CustomerAccountFactory(name="株式会社元")
    with pytest.raises(PermissionDenied):
        save_account(
            actor=StaffFactory(staff_role="sales"),
            account=account,
            name="改名",
            domains="",
            status="churned",
        )
    account.refresh_from_db()
    assert (account.name, account.status) == ("株式会社元", "active")


@pytest.mark.parametrize("role", ["sales", "moderator", "executive"])
def test_linking_needs_link_accounts(role: str) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        link_member_to_account(actor=StaffFactory(staff_role=role), member=member, account=account)
    assert not MemberAccountLink.objects.exists()
    assert not AuditEntry.objects.exists()


def test_unlinking_needs_link_accounts() -> None:
    member = make_customer()
    with pytest.raises(PermissionDenied):
        unlink_member_from_account(actor=StaffFactory(staff_role="marketing"), member=member)
    assert MemberAccountLink.objects.filter(member=member).exists()


def test_community_manager_may_link_but_not_edit_accounts() -> None:
    actor = StaffFactory(staff_role="community_manager")
    account = CustomerAccountFactory()
    member = MemberFactory()
    link_member_to_account(actor=actor, member=member, account=account, reason="パートナー")
    assert is_customer(member)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.CO.JP, @sub.example.jp、example.co.jp", ["example.co.jp", "sub.example.jp"]),
        ("a.co.jp\n\nb.com", ["a.co.jp", "b.com"]),
        ("", []),
    ],
)
def test_clean_domains_normalises(raw: str, expected: list[str]) -> None:
    assert clean_domains(raw) == expected


@pytest.mark.parametrize(
    "raw", ["localhost", "exa mple.jp", "-bad.co.jp", "yahoo.co.jp", "http://x.jp"]
)
def test_clean_domains_rejects(raw: str) -> None:
    with pytest.raises(ValidationError):
        clean_domains(raw)


def test_verified_email_at_an_account_domain_makes_a_customer() -> None:
    account: CustomerAccount = CustomerAccountFactory()
    AccountDomainFactory(account=account, domain="verified.co.jp")
    member = MemberFactory(email="new@verified.co.jp", verified=False)
    assert not is_customer(member)
    link = link_member_by_verified_email(member=member, email="new@verified.co.jp")
    assert link is not None and link.account == account
    assert link.source == MemberAccountLink.Source.EMAIL_DOMAIN


def test_confirming_an_email_through_allauth_links_the_member(client: Client) -> None:
    account: CustomerAccount = CustomerAccountFactory()
    AccountDomainFactory(account=account, domain="confirm.co.jp")
    member = MemberFactory(email="a@confirm.co.jp", verified=False)
    address = EmailAddress.objects.create(user=member, email=member.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    assert MemberAccountLink.objects.get(member=member).account == account


def test_domain_of_a_churned_account_links_but_does_not_make_a_customer() -> None:
    account = CustomerAccountFactory(status=CustomerAccount.Status.CHURNED)
    AccountDomainFactory(account=account, domain="gone.co.jp")
    member = MemberFactory(email="x@gone.co.jp")
    link_member_by_verified_email(member=member, email=member.email)
    assert MemberAccountLink.objects.filter(member=member).exists()
    assert not is_customer(member)


def test_unverified_address_at_a_new_domain_is_not_linked_by_save_account() -> None:
    MemberFactory(email="u@pending.co.jp", verified=False)
    account = save_account(
        actor=StaffFactory(staff_role="csm"),
        name="株式会社ペンディング",
        domains="pending.co.jp",
        status="active",
    )
    assert not MemberAccountLink.objects.filter(account=account).exists()
    assert AccountDomain.objects.get().domain == "pending.co.jp"
