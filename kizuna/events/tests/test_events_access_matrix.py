"""Who reaches the follow-up pages and the events API of an event in a private space.

Viewers: anonymous, a signed-in outsider (not a customer, not invited), a member of the
space, and staff who run events. A hidden event answers the same 404 as a missing one on
every page and API operation; the organisers' pages refuse members who do not run it.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.events.models import Event
from kizuna.events.tests.factories import EventFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Membership
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

PAGES: dict[str, tuple[str, Callable[[Event, Member], list[int]]]] = {
    "events:event-survey": ("get", lambda e, m: [e.pk]),
    "events:event-discussion": ("post", lambda e, m: [e.pk]),
    "events:event-connect": ("get", lambda e, m: [e.pk]),
    "events:event-connect-opt-in": ("post", lambda e, m: [e.pk]),
    "events:event-connect-request": ("post", lambda e, m: [e.pk, m.pk]),
    "events:event-connect-answer": ("post", lambda e, m: [e.pk, 1]),
    "events:event-invitations": ("get", lambda e, m: [e.pk]),
    "events:event-materials": ("get", lambda e, m: [e.pk]),
}
# A valid body each, so that the event, not the input, decides the answer.
API: dict[str, tuple[str, str, str]] = {
    "api:get_event": ("GET", "/api/events/{pk}", ""),
    "api:register": ("PUT", "/api/events/{pk}/registration", '{"seat": "online"}'),
    "api:cancel_registration": ("DELETE", "/api/events/{pk}/registration", ""),
    "api:check_in": ("POST", "/api/events/{pk}/check-in", '{"code": "x"}'),
    "api:submit_survey": (
        "PUT",
        "/api/events/{pk}/survey",
        '{"satisfaction": 3, "recommend": 5}',
    ),
}
# The organisers' pages: a member who sees the event but does not run it gets a 403.
ORGANISERS_ONLY = {"events:event-invitations", "events:event-materials"}
EXERCISED_URL_NAMES = set(PAGES) | set(API) | {"api:list_events"}


@pytest.fixture
def event() -> Event:
    starts = timezone.now() - timedelta(hours=3)
    return EventFactory(
        space=SpaceFactory(access_type=AccessType.PRIVATE),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


def _client(member: Member | None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def _page(client: Client, name: str, event: Event, viewer: Member) -> int:
    method, args = PAGES[name]
    url = reverse(name, args=args(event, viewer))
    return int(getattr(client, method)(url).status_code)


def _api(client: Client, name: str, event: Event) -> int:
    method, path, body = API[name]
    response = client.generic(
        method, path.format(pk=event.pk), body, content_type="application/json"
    )
    return int(response.status_code)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_outsider_gets_the_404_of_a_missing_event_on_every_page(event: Event, name: str) -> None:
    outsider = MemberFactory()
    assert _page(_client(outsider), name, event, outsider) == 404


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(event: Event, name: str) -> None:
    assert _page(_client(None), name, event, MemberFactory()) == 302


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_member_of_the_space_reaches_every_page_but_the_organisers(
    event: Event, name: str
) -> None:
    member = MembershipFactory(space=event.space, via=Membership.Via.STAFF).member
    status = _page(_client(member), name, event, member)
    assert status == 403 if name in ORGANISERS_ONLY else status in (200, 302)


@pytest.mark.parametrize("name", sorted(API))
def test_an_outsider_gets_the_404_of_a_missing_event_in_the_api(event: Event, name: str) -> None:
    assert _api(_client(MemberFactory()), name, event) == 404


@pytest.mark.parametrize("name", sorted(API))
def test_staff_reach_every_api_operation(event: Event, name: str) -> None:
    assert _api(_client(StaffFactory()), name, event) != 404


def test_the_event_list_leaves_the_hidden_event_out(event: Event) -> None:
    outsider_items = _client(MemberFactory()).get("/api/events", {"when": "past"}).json()["items"]
    staff_items = _client(StaffFactory()).get("/api/events", {"when": "past"}).json()["items"]
    assert [item["id"] for item in outsider_items] == []
    assert [item["id"] for item in staff_items] == [event.pk]
