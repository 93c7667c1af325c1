import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from kizuna.core.views import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ja", "お探しのページが見つかりませんでした"), ("en", "We could not find this page")],
)
def test_missing_page_explains_itself_in_the_visitors_language(
    client: Client, language: str, heading: str
) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert heading in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ja", "エラーが発生しました"), ("en", "Something went wrong")],
)
def test_server_error_page_needs_no_database_or_context(language: str, heading: str) -> None:
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert heading in response.content.decode()
