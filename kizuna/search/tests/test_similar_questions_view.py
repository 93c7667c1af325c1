import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import PostType
from kizuna.search.tests.factories import indexed_post, solve
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("search:similar-questions")
HTMX = {"HX-Request": "true"}


def test_similar_questions_fragment_lists_questions_sharing_words(client: Client) -> None:
    space = SpaceFactory()
    solved = indexed_post("請求書を発行する手順", "", space=space)
    solve(solved)
    indexed_post("請求書の宛名を変えたい", "", space=space)
    indexed_post("ログインできない", "", space=space)
    response = client.get(URL, {"title": "請求書の発行方法", "space": space.pk}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.index("する手順") < page.index("を変えたい")
    assert page.count("badge-solved") == 1
    assert "ログイン" not in page


def test_similar_questions_leaves_out_other_post_types_and_private_spaces(client: Client) -> None:
    indexed_post("請求書の話", "", post_type=PostType.DISCUSSION)
    indexed_post("請求書の秘密", "", space=SpaceFactory(access_type=AccessType.PRIVATE))
    response = client.get(URL, {"title": "請求書"}, headers=HTMX)
    assert response.content == b""


def test_similar_questions_is_empty_for_a_title_under_two_characters(client: Client) -> None:
    indexed_post("請求書", "")
    response = client.get(URL, {"title": "請"}, headers=HTMX)
    assert response.status_code == 200
    assert response.content == b""


def test_similar_questions_are_limited_to_five(client: Client) -> None:
    for number in range(7):
        indexed_post(f"請求書の質問{number}", "")
    page = client.get(URL, {"title": "請求書"}, headers=HTMX).content.decode()
    assert page.count("<li>") == 5


def test_similar_questions_without_htmx_is_a_full_page(client: Client) -> None:
    indexed_post("請求書を発行する手順", "")
    page = client.get(URL, {"title": "請求書"}).content.decode()
    assert "<html" in page
    assert "Similar questions" in page
    assert "発行する手順" in page


def test_similar_questions_page_without_matches_says_so(client: Client) -> None:
    page = client.get(URL, {"title": "ありえない"}).content.decode()
    assert "No similar question yet." in page


@pytest.mark.parametrize("space", ["²", "99999999999999999999"])
def test_similar_questions_ignore_a_space_that_cannot_be_an_id(client: Client, space: str) -> None:
    indexed_post("経費精算の締め日", "")
    response = client.get(f"/search/similar-questions/?title=経費精算&space={space}", headers=HTMX)
    assert response.status_code == 200
    assert "の締め日" in response.content.decode()
