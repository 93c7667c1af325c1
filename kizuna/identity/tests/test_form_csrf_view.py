"""Every form on the member, staff and account pages carries a CSRF token, and posts without one fail."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.services import create_api_key
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_every_post_form_has_a_csrf_token(client: Client) -> None:
    admin: Member = StaffFactory(staff_role="administrator")
    account = CustomerAccountFactory()
    member = make_customer(account=account)
    api_key, _secret = create_api_key(actor=admin, name="k", scopes=["spaces:read"])
    client.force_login(admin)
    pages = [
        reverse("identity:profile-edit"),
        reverse("staff:staff-member-role", args=[member.pk]),
        reverse("staff:staff-api-keys"),
        reverse("staff:staff-api-key-revoke", args=[api_key.pk]),
        reverse("customers:account-create"),
        reverse("customers:account-edit", args=[account.pk]),
        reverse("customers:account-detail", args=[account.pk]),
        reverse("customers:account-unlink-member", args=[account.pk, member.pk]),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        main = content[content.index("<main") :]
        assert main.count('method="post"') == main.count("csrfmiddlewaretoken"), url


def test_profile_post_without_a_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    member: Member = MemberFactory(display_name="元の名前")
    client.force_login(member)
    response = client.post(
        reverse("identity:profile-edit"),
        {"display_name": "攻撃者", "language": "ja", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "元の名前"
