"""Password reset tells nobody whether an address belongs to a member (S9)."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

KNOWN = "known-member@example.org"
UNKNOWN = "nobody-here@example.org"


def comparable(response: Any, address: str) -> tuple[int, str, str]:
    """Status, redirect and page, with the CSRF tokens and the address typed blanked."""
    body: str = response.content.decode().replace(address, "")
    body = re.sub(r'"X-CSRFToken": "[^"]*"', "", body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    redirects = " ".join(url for url, _status in response.redirect_chain)
    return response.status_code, redirects, body


def request_reset(address: str) -> Any:
    return Client().post(reverse("account_reset_password"), {"email": address}, follow=True)


def test_reset_answers_the_same_for_a_known_and_an_unknown_address() -> None:
    MemberFactory(email=KNOWN)
    known = request_reset(KNOWN)
    unknown = request_reset(UNKNOWN)
    assert known.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert comparable(known, KNOWN) == comparable(unknown, UNKNOWN)


def test_only_the_known_address_gets_a_reset_link() -> None:
    MemberFactory(email=KNOWN)
    request_reset(KNOWN)
    request_reset(UNKNOWN)
    assert [message.to for message in mail.outbox] == [[KNOWN], [UNKNOWN]]
    links = ["/accounts/password/reset/key/" in message.body for message in mail.outbox]
    assert links == [True, False]
