import pytest
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_suggests_members_of_the_space_by_prefix(client: Client) -> None:
    space = SpaceFactory()
    hanako = MemberFactory(display_name="山田 花子")
    MembershipFactory(space=space, member=hanako)
    MembershipFactory(space=space, member=MemberFactory(display_name="佐藤 次郎"))
    client.force_login(MemberFactory())
    response = client.get(reverse("content:mention-suggestions", args=[space.slug]), {"q": "山田"})
    assert response.json() == {
        "members": [
            {"id": hanako.pk, "name": "山田 花子", "markup": f"@[山田 花子](member:{hanako.pk})"}
        ]
    }


def test_members_of_other_spaces_are_not_suggested(client: Client) -> None:
    space = SpaceFactory()
    MembershipFactory(space=SpaceFactory(), member=MemberFactory(display_name="山田 外部"))
    client.force_login(MemberFactory())
    response = client.get(reverse("content:mention-suggestions", args=[space.slug]), {"q": "山田"})
    assert response.json() == {"members": []}


def test_private_space_members_are_not_revealed_to_outsiders(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=make_customer(display_name="山田 顧客"))
    client.force_login(MemberFactory())
    response = client.get(reverse("content:mention-suggestions", args=[space.slug]), {"q": "山田"})
    assert response.status_code == 403
    assert "山田" not in response.content.decode()
