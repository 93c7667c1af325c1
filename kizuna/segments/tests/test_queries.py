"""A segment is evaluated in SQL: the same number of queries for 3 members as for 30, for the
count, the list of members, the segment's page and its export."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.activity.models import Activity, Verb
from kizuna.customers.models import MemberAccountLink
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.events.models import Attendance
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.gamification.models import Level, MemberBalance
from kizuna.identity.models import Interest, Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.segments.models import Segment
from kizuna.segments.selectors import count, members_in
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def populate(size: int) -> Segment:
    """`size` members who all match: a high-touch account, Silver, active, in the space, two
    events attended, a challenge tag."""
    account = CustomerAccountFactory(touch_tier="high")
    space = SpaceFactory()
    interest, _created = Interest.objects.get_or_create(name="Security")
    past = timezone.now() - dt.timedelta(days=5)
    events = [EventFactory(starts_at=past, ends_at=past + dt.timedelta(hours=1)) for _ in range(2)]
    for _ in range(size):
        member = MemberFactory()
        MemberAccountLink.objects.create(member=member, account=account, source="staff")
        MemberBalance.objects.create(member=member, balance=200, lifetime_points=200)
        Activity.objects.create(actor=member, verb=Verb.POSTED, object_type="post")
        MembershipFactory(space=space, member=member)
        member.interests.add(interest)
        for event in events:
            RegistrationFactory(event=event, member=member, attendance=Attendance.ATTENDED)
    silver = Level.objects.get(name_en="Silver")
    return Segment.objects.create(
        name="Engaged high touch",
        uses_economics=True,
        conditions=[
            {"field": "account.touch_tier", "op": "in", "value": ["high"]},
            {"field": "member.level", "op": "gte", "value": str(silver.pk)},
            {"field": "member.active", "op": "within_last", "value": 30},
            {"field": "member.space", "op": "in", "value": [str(space.pk)]},
            {"field": "member.events_attended", "op": "gte", "value": {"count": 2, "days": 30}},
            {"field": "member.posts", "op": "gte", "value": {"count": 1, "days": 30}},
            {"field": "member.interests", "op": "in", "value": [str(interest.pk)]},
        ],
    )


@pytest.mark.parametrize("size", [3, 30])
def test_counting_and_listing_take_one_query_each(
    size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    segment = populate(size)
    with django_assert_num_queries(1):
        assert count(segment) == size
    with django_assert_num_queries(1):
        assert len(list(members_in(segment))) == size


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_page_and_the_export_cost_the_same_for_3_or_30_members(client: Client) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    client.force_login(csm)
    small, large = populate(3), populate(30)
    for name in ("segment-detail", "segment-export"):
        at_3 = queries_for(client, reverse(f"segments:{name}", args=[small.pk]))
        at_30 = queries_for(client, reverse(f"segments:{name}", args=[large.pk]))
        assert at_3 == at_30, name
