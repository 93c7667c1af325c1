"""Generated requests for every operation of the OpenAPI document never get a server error.

The schema is loaded from the WSGI app itself; requests are authenticated with a real
administrator's API key holding every scope, against a seeded PostgreSQL database.
Path parameters point at seeded objects so the bodies reach the services.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from kizuna.customers.tests.factories import AccountDomainFactory, make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    SpaceFactory,
)
from tests.api.conftest import make_key

MAX_EXAMPLES = 8

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
schema.config.generation.update(max_examples=MAX_EXAMPLES)
# Pin path parameters to the seeded objects below so requests get past the lookups.
schema.config.update(
    parameters={
        "slug": "api-fuzz-space",
        "member_id": 900_001,
        "account_id": 900_001,
        "join_request_id": 900_001,
        "invitation_id": 900_001,
    }
)


@pytest.fixture
def wsgi_keeps_test_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, which would close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_api_key(db: None, wsgi_keeps_test_connection: None) -> str:
    """A small community (rolled back after each operation's test) and an all-scopes staff key."""
    staff = StaffFactory(staff_role="administrator")
    account_domain = AccountDomainFactory(account__id=900_001)
    customer = make_customer(account=account_domain.account, id=900_001)
    space = SpaceFactory(
        slug="api-fuzz-space",
        access_type=AccessType.APPLICATION,
        join_questions=["What do you use us for?"],
    )
    MembershipFactory(space=space, member=staff, role=SpaceRole.HOST)
    MembershipFactory(space=space, member=customer)
    SpaceFactory(parent=space, slug="api-fuzz-subgroup")
    SpaceFactory(access_type=AccessType.PRIVATE)
    JoinRequestFactory(id=900_001, space=space, applicant=MemberFactory())
    InvitationFactory(id=900_001, space=space, invited_by=staff)
    return make_key(staff)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_generated_requests_without_server_errors(
    case: schemathesis.Case,  # type: ignore[type-arg]
    seeded_api_key: str,
) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded_api_key}"}, checks=[not_a_server_error]
    )
