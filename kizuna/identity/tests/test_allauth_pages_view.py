"""allauth's pages render inside the site layout, and sign-up asks for a display name."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_use_the_site_layout(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert "css/kizuna.css" in content


@pytest.mark.parametrize(
    "name", ["account_change_password", "account_email", "mfa_index", "account_reauthenticate"]
)
def test_account_management_pages_use_the_site_layout(client: Client, name: str) -> None:
    client.force_login(MemberFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_signup_asks_for_email_password_and_display_name(client: Client) -> None:
    form = client.get(reverse("account_signup")).context["form"]
    assert {"email", "display_name", "password1", "password2"} <= set(form.fields)


def test_signup_saves_the_display_name_and_sends_a_verification_email(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.member@example.org",
            "display_name": "  新しい  メンバー ",
            "password1": "a long and unusual password 42",
            "password2": "a long and unusual password 42",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(email="new.member@example.org")
    assert member.display_name == "新しい メンバー"
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mail.outbox) == 1


def test_signup_without_display_name_is_a_field_error(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nameless@example.org",
            "display_name": "",
            "password1": "a long and unusual password 42",
            "password2": "a long and unusual password 42",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["display_name"]
    assert form["email"].value() == "nameless@example.org"
    assert 'class="field field-error"' in response.content.decode()
    assert not Member.objects.filter(email="nameless@example.org").exists()


def test_wrong_password_shows_the_error_on_the_form(client: Client) -> None:
    MemberFactory(email="known@example.org")
    response = client.post(
        reverse("account_login"), {"login": "known@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="errorlist notice"' in response.content.decode()


def test_signup_labels_have_no_colon(client: Client) -> None:
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<label for="id_email">メールアドレス</label>' in html
