import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_switching_language_saves_it(client: Client) -> None:
    member = MemberFactory(language="ja")
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/spaces/"})
    member.refresh_from_db()
    assert (response.status_code, response["Location"], member.language) == (302, "/spaces/", "en")
    assert client.get("/spaces/").content.decode().count('lang="en"') >= 1


def test_unknown_language_changes_nothing(client: Client) -> None:
    member = MemberFactory(language="ja")
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "ja"


def test_anonymous_switch_sets_the_language_cookie(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"


def test_switching_language_needs_post(client: Client) -> None:
    assert client.get(reverse("set_language")).status_code == 405
