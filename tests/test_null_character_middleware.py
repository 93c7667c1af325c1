import pytest
from django.test import Client

from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MESSAGE = "The address contains a NUL character, which is not allowed."


def test_nul_in_the_path_is_a_bad_request_not_a_database_error(client: Client) -> None:
    response = client.get("/spaces/invitations/%00/")
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


def test_nul_in_a_mention_query_finds_nobody_rather_than_failing(client: Client) -> None:
    space = SpaceFactory()
    member = MemberFactory()
    MembershipFactory(space=space, member=member)
    client.force_login(member)
    response = client.get(f"/spaces/{space.slug}/mentions/", {"q": "\x00\x00"})
    assert response.status_code == 200
    assert response.json() == {"members": []}


def test_nul_in_an_api_path_is_left_to_the_api_validation(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.get("/api/spaces/a%00b")
    assert response.status_code == 422


def test_nul_in_the_path_of_a_form_post_is_a_bad_request(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post("/engagement/tags/%00/follow/")
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE
