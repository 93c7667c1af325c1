"""Every staff page: anonymous → sign in, member → 403, staff without TOTP → set it up."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STAFF_PAGES = [
    ("staff:staff-home", False),
    ("staff:staff-members", False),
    ("staff:staff-api-keys", False),
    ("staff:staff-audit-log", False),
    ("staff:staff-member-role", "member"),
    ("customers:account-list", False),
    ("customers:account-create", False),
    ("customers:account-detail", "account"),
    ("customers:account-edit", "account"),
]


@pytest.fixture
def staff_urls() -> list[str]:
    account = CustomerAccountFactory()
    member = make_customer(account=account)
    urls = []
    for name, argument in STAFF_PAGES:
        args = [member.pk] if argument == "member" else [account.pk] if argument else []
        urls.append(reverse(name, args=args))
    urls.append(reverse("customers:account-unlink-member", args=[account.pk, member.pk]))
    return urls


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, staff_urls: list[str]) -> None:
    for url in staff_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login") + "?next="), url


def test_members_without_a_staff_role_are_refused(client: Client, staff_urls: list[str]) -> None:
    client.force_login(MemberFactory())
    for url in staff_urls:
        assert client.get(url).status_code == 403, url


def test_staff_without_totp_are_sent_to_set_it_up(client: Client, staff_urls: list[str]) -> None:
    client.force_login(StaffFactory(with_mfa=False))
    for url in staff_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "You need to set up two-factor authentication to open the staff pages." in messages


def test_staff_without_totp_cannot_post_either(client: Client) -> None:
    client.force_login(StaffFactory(with_mfa=False))
    response = client.post(
        reverse("staff:staff-api-keys"), {"name": "x", "scopes": ["spaces:read"]}
    )
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_open_every_page(client: Client, staff_urls: list[str]) -> None:
    client.force_login(StaffFactory(staff_role="administrator"))
    for url in staff_urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "page", "status"),
    [
        ("moderator", "staff:staff-api-keys", 403),
        ("moderator", "staff:staff-audit-log", 200),
        ("moderator", "customers:account-create", 403),
        ("csm", "staff:staff-audit-log", 403),
        ("csm", "customers:account-create", 200),
        ("sales", "staff:staff-home", 200),
        ("sales", "customers:account-list", 200),
        ("sales", "customers:account-create", 403),
        ("executive", "staff:staff-api-keys", 403),
    ],
)
def test_pages_need_their_capability(client: Client, role: str, page: str, status: int) -> None:
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(reverse(page)).status_code == status


def test_staff_home_shows_only_sections_the_role_may_open(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="sales"))
    content = client.get(reverse("staff:staff-home")).content.decode()
    assert reverse("customers:account-list") in content
    assert reverse("staff:staff-api-keys") not in content
    assert reverse("staff:staff-audit-log") not in content
