"""Every list is paginated by Ninja's @paginate (core.api_pagination.LimitOffsetPage) and
answers one envelope: items, count, limit, offset, has_more."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.api import api
from kizuna.core.api_pagination import MAX_LIMIT
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.rewards.tests.factories import RewardFactory
from tests.api.conftest import ApiClient, error_of

ENVELOPE = {"items", "count", "limit", "offset", "has_more"}


def _list_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in document["paths"].values()
        for operation in item.values()
        if "limit" in {parameter["name"] for parameter in operation.get("parameters", [])}
    }


def _page_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    reference = operation["responses"][200]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    return schema


@pytest.mark.django_db
def test_a_page_has_its_items_the_total_and_the_window(
    session_client: Callable[[Member], ApiClient],
) -> None:
    cheap = RewardFactory(name="Coffee", cost_points=100)
    dear = RewardFactory(name="Hoodie", cost_points=500)
    api_client = session_client(make_customer())

    first = api_client.get("/api/rewards?limit=1").json()
    second = api_client.get("/api/rewards?limit=1&offset=1").json()

    assert [item["id"] for item in first["items"]] == [cheap.pk]
    assert (first["count"], first["limit"], first["offset"], first["has_more"]) == (2, 1, 0, True)
    assert [item["id"] for item in second["items"]] == [dear.pk]
    assert (second["count"], second["limit"], second["offset"], second["has_more"]) == (
        2,
        1,
        1,
        False,
    )


@pytest.mark.django_db
def test_an_empty_list_reads_only_the_count(
    session_client: Callable[[Member], ApiClient],
) -> None:
    api_client = session_client(make_customer())
    api_client.get("/api/rewards")  # the session and member are loaded once

    with CaptureQueriesContext(connection) as queries:
        body = api_client.get("/api/rewards").json()

    assert body == {"items": [], "count": 0, "limit": 25, "offset": 0, "has_more": False}
    assert sum('FROM "rewards_reward"' in query["sql"] for query in queries) == 1


@pytest.mark.django_db
def test_a_limit_over_the_maximum_is_refused(
    session_client: Callable[[Member], ApiClient],
) -> None:
    response = session_client(make_customer()).get("/api/rewards?limit=101")

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["limit"]


def test_every_list_goes_through_paginate() -> None:
    document = api.get_openapi_schema()
    lists = _list_operations(document)
    views = {
        api.get_openapi_operation_id(operation): operation.view_func
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }

    assert len(lists) == 38
    assert [name for name in lists if not getattr(views[name], "_ninja_is_paginated", False)] == []


def test_every_list_answers_the_same_envelope_within_the_maximum() -> None:
    document = api.get_openapi_schema()

    for name, operation in _list_operations(document).items():
        parameters = operation["parameters"]
        assert [parameter["name"] for parameter in parameters[:2]] == ["limit", "offset"], name
        assert parameters[0]["schema"]["maximum"] == MAX_LIMIT, name
        assert set(_page_schema(document, operation)["properties"]) >= ENVELOPE, name


def test_a_lists_query_parameters_come_before_its_path_parameters() -> None:
    operation = api.get_openapi_schema()["paths"]["/api/spaces/{slug}/posts"]["get"]

    assert [parameter["name"] for parameter in operation["parameters"]] == [
        "limit",
        "offset",
        "post_type",
        "tag",
        "solved",
        "sort",
        "slug",
    ]
