"""Generated requests for every operation of the OpenAPI document never get a server error.

The schema is loaded from the WSGI app itself; requests are authenticated with a real
administrator's API key holding every scope, against a seeded PostgreSQL database.
Path parameters point at seeded objects so the bodies reach the services.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.content.models import ContentStatus
from kizuna.content.tests.factories import AnswerFactory, CommentFactory, PostFactory, TagFactory
from kizuna.customers.tests.factories import AccountDomainFactory, make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.models import Hold, ReviewItem
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.rewards.models import Redemption
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points
from kizuna.search.indexing import index_post
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    SpaceFactory,
)
from tests.api.conftest import make_key

MAX_EXAMPLES = 8

# Broad: every parameter generated, so malformed slugs and identifiers are tried too.
broad_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
broad_schema.config.generation.update(max_examples=MAX_EXAMPLES)
# The coverage phase adds boundary and malformed values (empty, too long, NUL, wrong type).
broad_schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
# Deep: path parameters pinned to the seeded objects so bodies get past the lookups.
deep_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
deep_schema.config.generation.update(max_examples=MAX_EXAMPLES)
deep_schema.config.update(
    parameters={
        "slug": "api-fuzz-space",
        "member_id": 900_001,
        "account_id": 900_001,
        "join_request_id": 900_001,
        "invitation_id": 900_001,
        "post_id": 900_001,
        "answer_id": 900_001,
        "item_id": 900_001,
        "notification_id": 900_001,
        "tag_slug": "api-fuzz-tag",
        "badge_slug": "api-fuzz-badge",
        "reward_id": 900_001,
        "redemption_id": 900_001,
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
    _seed_forum(space=space, staff=staff, customer=customer)
    _seed_recognition(customer=customer)
    return make_key(staff)


def _seed_forum(*, space: Any, staff: Any, customer: Any) -> None:
    """A thread with an answer and a comment, a held post in the queue, a notification."""
    tag = TagFactory(name="api-fuzz-tag", slug="api-fuzz-tag")
    post = PostFactory(id=900_001, space=space, author=customer, title="請求書の発行")
    post.tags.set([tag])
    answer = AnswerFactory(id=900_001, post=post, author=MemberFactory())
    CommentFactory(post=post, answer=answer, author=customer)
    held = PostFactory(
        space=space,
        author=customer,
        status=ContentStatus.HELD,
    )
    Hold.objects.create(post=held, source=Hold.Source.RULES, reasons=["held because: campaign"])
    ReviewItem.objects.create(
        id=900_001, space=space, post=held, source=ReviewItem.Source.RULE, reasons=["campaign"]
    )
    Notification.objects.create(
        id=900_001, recipient=staff, kind=NotificationKind.REPLY, actor=customer, post=post
    )
    index_post(post.pk)


def _seed_recognition(*, customer: Any) -> None:
    """Points, a badge held and a redemption, so the recognition reads have rows to shape."""
    BadgeAwardFactory(member=customer, badge=BadgeFactory(slug="api-fuzz-badge"))
    give_points(customer, 500)
    reward = RewardFactory(id=900_001, cost_points=100)
    redemption = redeem_reward(member=customer, reward=reward, idempotency_key="api-fuzz")
    Redemption.objects.filter(pk=redemption.pk).update(id=900_001)


HYPOTHESIS_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def _call(case: Any, api_key: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"}, checks=[not_a_server_error]
    )


@broad_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_generated_requests_get_no_server_error(case: Any, seeded_api_key: str) -> None:
    _call(case, seeded_api_key)


@deep_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_generated_requests_on_seeded_objects_get_no_server_error(
    case: Any, seeded_api_key: str
) -> None:
    _call(case, seeded_api_key)
