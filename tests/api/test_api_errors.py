"""Every error answers with the one envelope, and bad input writes nothing."""

import pytest
from django.test import Client
from django.utils import translation

from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db

VALID_SPACE = {"name": "請求書の相談室", "purpose": "請求の悩みを話す", "rules": "敬意を持って"}


def test_schema_validation_error_lists_the_missing_fields(staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {"name": "請求書の相談室"})

    assert response.status_code == 422
    assert error_of(response) == {
        "code": "invalid",
        "message": "Some fields are not valid.",
        "fields": {
            "purpose": ["This field is required."],
            "rules": ["This field is required."],
        },
    }
    assert not Space.objects.exists()


def test_service_validation_error_names_the_field_and_writes_nothing(
    staff_client: ApiClient,
) -> None:
    SpaceFactory(slug="billing")

    response = staff_client.post("/api/spaces", {**VALID_SPACE, "slug": "billing"})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"slug": ["Another space already uses this address."]}
    assert Space.objects.count() == 1


def test_text_with_nul_character_is_refused(staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {**VALID_SPACE, "name": "a\x00b"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["name"]
    assert not Space.objects.exists()


def test_text_longer_than_its_column_is_refused(staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {**VALID_SPACE, "name": "x" * 121})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["name"]
    assert not Space.objects.exists()


def test_body_that_is_not_json_gets_400(staff_client: ApiClient) -> None:
    response = staff_client.client.post(
        "/api/spaces", "{not json", content_type="application/json", **staff_client.headers
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_unknown_space_gets_404(staff_client: ApiClient) -> None:
    response = staff_client.get("/api/spaces/no-such-space")

    assert response.status_code == 404
    assert error_of(response) == {
        "code": "not_found",
        "message": "Nothing was found here.",
        "fields": {},
    }


def test_unknown_api_path_gets_404_envelope(staff_client: ApiClient) -> None:
    response = staff_client.get("/api/no/such/path")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_identifier_out_of_range_gets_422(staff_client: ApiClient) -> None:
    response = staff_client.get("/api/members/99999999999")

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["member_id"]


def test_page_size_above_the_maximum_gets_422(staff_client: ApiClient) -> None:
    response = staff_client.get("/api/spaces", limit=101)

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["limit"]


def test_long_name_without_slug_gets_an_address_that_fits(staff_client: ApiClient) -> None:
    response = staff_client.post("/api/spaces", {**VALID_SPACE, "name": "billing " * 15})

    assert response.status_code == 201
    assert len(response.json()["slug"]) <= 80


@pytest.mark.parametrize("path", ["/api/spaces/a%00b", "/api/spaces/a%00b/members"])
def test_malformed_slug_is_refused_without_a_lookup(staff_client: ApiClient, path: str) -> None:
    response = staff_client.get(path)

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["slug"]


def test_messages_are_in_the_signed_in_members_language(client: Client) -> None:
    member = MemberFactory(language="ja")
    client.force_login(member)

    response = client.get("/api/spaces/no-such-space", HTTP_ACCEPT_LANGUAGE="en")

    with translation.override("ja"):
        expected = translation.gettext("Nothing was found here.")
    assert expected != "Nothing was found here."
    assert error_of(response)["message"] == expected
