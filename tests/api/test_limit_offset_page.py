"""Lists paginated by Ninja's @paginate (core.api_pagination.LimitOffsetPage) keep the shape
every list answers with: items, count, limit, offset."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.rewards.tests.factories import RewardFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


def test_a_page_has_its_items_the_total_and_the_window(
    session_client: Callable[[Member], ApiClient],
) -> None:
    cheap = RewardFactory(name="Coffee", cost_points=100)
    dear = RewardFactory(name="Hoodie", cost_points=500)
    api = session_client(make_customer())

    first = api.get("/api/rewards?limit=1").json()
    second = api.get("/api/rewards?limit=1&offset=1").json()

    assert [item["id"] for item in first["items"]] == [cheap.pk]
    assert (first["count"], first["limit"], first["offset"]) == (2, 1, 0)
    assert [item["id"] for item in second["items"]] == [dear.pk]
    assert (second["count"], second["limit"], second["offset"]) == (2, 1, 1)


def test_an_empty_list_reads_only_the_count(
    session_client: Callable[[Member], ApiClient],
) -> None:
    api = session_client(make_customer())
    api.get("/api/rewards")  # the session and member are loaded once

    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/rewards").json()

    assert body == {"items": [], "count": 0, "limit": 25, "offset": 0}
    assert sum('FROM "rewards_reward"' in query["sql"] for query in queries) == 1


def test_a_limit_over_the_maximum_is_refused(
    session_client: Callable[[Member], ApiClient],
) -> None:
    response = session_client(make_customer()).get("/api/rewards?limit=101")

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["limit"]
