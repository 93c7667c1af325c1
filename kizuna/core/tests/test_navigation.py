import pytest
from django.test import RequestFactory

from kizuna.core.navigation import safe_next_path


@pytest.mark.parametrize("candidate", ["/posts/1/", "/search/?q=請求書"])
def test_keeps_a_path_on_this_site(candidate: str) -> None:
    assert safe_next_path(RequestFactory().post("/"), candidate) == candidate


@pytest.mark.parametrize(
    "candidate", ["", "!!!", "²", "1e3", "home", "//evil.example/", "https://evil.example/"]
)
def test_refuses_anything_but_a_local_path(candidate: str) -> None:
    assert safe_next_path(RequestFactory().post("/"), candidate) == ""
