import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.tests.factories import indexed_post, solve
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("search:search")


def test_search_page_lists_matches_with_their_count(client: Client) -> None:
    indexed_post("請求書を発行する手順", "")
    indexed_post("請求書の宛名", "")
    response = client.get(URL, {"q": "請求書"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 results for “請求書”" in page
    assert "<mark>請求書</mark>を発行する手順" in page


def test_search_page_without_a_query_invites_typing(client: Client) -> None:
    response = client.get(URL)
    assert "Type words to find questions, discussions and articles." in response.content.decode()


def test_search_page_explains_when_nothing_matches(client: Client) -> None:
    indexed_post("請求書", "")
    page = client.get(URL, {"q": "存在しない言葉"}).content.decode()
    assert "0 results for “存在しない言葉”" in page
    assert "Nothing matches your search." in page


def test_space_filter_offers_only_spaces_the_viewer_may_read(client: Client) -> None:
    SpaceFactory(name="公開スペース")
    SpaceFactory(name="非公開スペース", access_type=AccessType.PRIVATE)
    page = client.get(URL).content.decode()
    assert "公開スペース" in page
    assert "非公開スペース" not in page


def test_private_post_is_not_in_the_page_or_its_count(client: Client) -> None:
    indexed_post("請求書の秘密", "", space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    page = client.get(URL, {"q": "請求書"}).content.decode()
    assert "0 results for “請求書”" in page
    assert "秘密" not in page


def test_invalid_date_range_is_explained_not_searched(client: Client) -> None:
    response = client.get(URL, {"q": "請求書", "date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client: Client) -> None:
    indexed_post("請求書を発行する手順", "")
    response = client.get(URL, {"q": "請求書"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.startswith('<div id="search-results">')
    assert "<html" not in page
    assert "請求書" in page


def test_search_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(5):
        solve(indexed_post(f"請求書{number}", "本文"))
    client.force_login(MemberFactory())
    client.get(URL)  # warm the session and site caches
    with django_assert_num_queries(6):
        response = client.get(URL, {"q": "請求書"})
    assert response.content.decode().count('class="search-hit"') == 5


def test_page_number_in_another_script_gives_the_first_page(client: Client) -> None:
    indexed_post("test の手順", "")
    response = client.get("/search/?q=test&page=²")
    assert response.status_code == 200
    assert "1 result for “test”" in response.content.decode()


@pytest.mark.parametrize("author", ["99999999999999999999", "²", "0", "!!!"])
def test_author_that_cannot_be_an_id_is_left_out_and_said_so(client: Client, author: str) -> None:
    indexed_post("test の手順", "")
    response = client.get(f"/search/?q=test&author={author}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The author in this link is not valid, so the search covers every author." in page
    assert "1 result for “test”" in page
