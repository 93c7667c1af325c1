"""Customers links a member whose address allauth verifies, whichever way it was verified."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.selectors import is_customer
from kizuna.customers.tests.factories import AccountDomainFactory, CustomerAccountFactory
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_an_address_verified_outside_the_emailed_link_links_the_member() -> None:
    """A code sign-in or the admin's "mark verified" sends the signal without the adapter."""
    account: CustomerAccount = CustomerAccountFactory()
    AccountDomainFactory(account=account, domain="signal.co.jp")
    member = MemberFactory(email="a@signal.co.jp", verified=False)
    address = EmailAddress.objects.create(
        user=member, email=member.email, primary=True, verified=True
    )
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert MemberAccountLink.objects.get(member=member).account == account
    assert is_customer(member)


def test_a_verified_address_at_no_account_domain_links_nobody() -> None:
    member = MemberFactory(email="a@unknown.co.jp", verified=False)
    address = EmailAddress.objects.create(
        user=member, email=member.email, primary=True, verified=True
    )
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert not MemberAccountLink.objects.filter(member=member).exists()
