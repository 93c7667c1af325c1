import pytest
from django.db import connection
from django.test import Client

from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.services import join_space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_activity_records_the_actors_account_at_the_time() -> None:
    customer = make_customer()
    space = SpaceFactory()
    activity = record_activity(actor=customer, verb=Verb.JOINED, target=space, space_id=space.pk)
    assert (activity.account_id, activity.object_type, activity.object_id, activity.space_id) == (
        customer.account_link.account_id,
        "space",
        space.pk,
        space.pk,
    )


def test_activity_of_a_non_customer_has_no_account() -> None:
    activity = record_activity(actor=MemberFactory(), verb=Verb.LOGGED_IN)
    assert (activity.account_id, activity.object_id) == (None, None)


def test_deleting_a_member_keeps_their_history() -> None:
    member = MemberFactory()
    record_activity(actor=member, verb=Verb.LOGGED_IN)
    member_id = member.pk
    member.delete()
    assert Activity.objects.filter(actor_id=member_id).count() == 1


def test_time_column_has_a_brin_index_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("the suite runs on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'activity_time_brin'")
        (definition,) = cursor.fetchone()
    assert "USING brin (occurred_at)" in definition


def test_signing_in_is_recorded(client: Client) -> None:
    member = MemberFactory()
    client.force_login(member)
    assert list(Activity.objects.filter(actor=member).values_list("verb", flat=True)) == [
        Verb.LOGGED_IN
    ]


def test_joining_a_space_is_recorded_once() -> None:
    member, space = MemberFactory(), SpaceFactory()
    join_space(member=member, space=space)
    join_space(member=member, space=space)
    assert Activity.objects.filter(actor=member, verb=Verb.JOINED, space=space).count() == 1
