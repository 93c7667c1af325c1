"""Customers follows identity's sign-up through allauth's signals, so identity never imports it."""

from typing import Any

from allauth.account.models import EmailAddress
from django.http import HttpRequest

from kizuna.customers.services import (
    link_contacts_by_verified_email,
    link_member_by_verified_email,
)


def link_member_on_email_confirmed(
    sender: Any, request: HttpRequest | None, email_address: EmailAddress, **kwargs: Any
) -> None:
    """Every way allauth verifies an address (the emailed link or code, a code sign-in, the
    admin's "mark verified") sends email_confirmed, and a verified company address can make
    the member a customer, and makes them the CRM contact who has that address."""
    link_member_by_verified_email(member=email_address.user, email=email_address.email)
    link_contacts_by_verified_email(member=email_address.user, email=email_address.email)
