"""Who may open each member and staff event page: viewers × events × pages.

A hidden event (a draft, or one in a space whose content the viewer may not read) answers the
same 404 as a missing one; pages for those who run events are a 404 to everyone else.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.events.models import Event, EventStatus
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXERCISED_URL_NAMES = {
    "events:event-list",
    "events:space-events",
    "events:event-detail",
    "events:event-register",
    "events:event-cancel-registration",
    "events:my-registrations",
    "events:event-create",
    "events:event-edit",
    "events:event-registrants",
    "events:event-attendance",
    "events:event-action",
    "events:event-speakers",
}


@dataclass
class World:
    members_only: Event  # in an application space: its members read it
    draft: Event  # in an open space
    viewers: dict[str, Member | None]


def _world() -> World:
    restricted = SpaceFactory(access_type=AccessType.APPLICATION)
    open_space = SpaceFactory(access_type=AccessType.OPEN)
    host: Member = MemberFactory()
    member: Member = MemberFactory()
    manager: Member = StaffFactory(staff_role="community_manager")
    for space in (restricted, open_space):
        MembershipFactory(space=space, member=host, role=SpaceRole.HOST)
    return World(
        members_only=EventFactory(space=restricted),
        draft=EventFactory(space=open_space, status=EventStatus.DRAFT),
        viewers={
            "anonymous": None,
            "member": member,
            "host": host,
            "manager": manager,
        },
    )


Request = Callable[[Client, World], int]


def _get(name: str, event: str, *, by_slug: bool = False) -> Request:
    def ask(client: Client, world: World) -> int:
        target: Event = getattr(world, event)
        args = [target.space.slug] if by_slug else [target.pk]
        return client.get(reverse(name, args=args)).status_code

    return ask


def _post(name: str, event: str, extra: list[object] | None = None) -> Request:
    def ask(client: Client, world: World) -> int:
        target: Event = getattr(world, event)
        args: list[object] = [target.pk, *(extra or [])]
        return client.post(reverse(name, args=args), {"seat": "online"}).status_code

    return ask


def _attendance(client: Client, world: World) -> int:
    registration = RegistrationFactory(event=world.members_only)
    url = reverse("events:event-attendance", args=[world.members_only.pk, registration.pk])
    return client.post(url, {"attendance": "attended"}).status_code


def _list_shows(event: str) -> Request:
    def ask(client: Client, world: World) -> int:
        title = getattr(world, event).title
        return 200 if title in client.get(reverse("events:event-list")).content.decode() else 0

    return ask


def _mine(client: Client, world: World) -> int:
    return client.get(reverse("events:my-registrations")).status_code


# page → {viewer: expected}; 302 for a write is done, for a page the sign-in redirect; 0 is
# "the list does not show it"; 403 is the space's denied page.
CASES: dict[str, tuple[Request, dict[str, int]]] = {
    "list shows members-only event": (
        _list_shows("members_only"),
        {"anonymous": 0, "member": 0, "host": 200, "manager": 200},
    ),
    "list shows draft": (
        _list_shows("draft"),
        {"anonymous": 0, "member": 0, "host": 200, "manager": 200},
    ),
    "space events": (
        _get("events:space-events", "members_only", by_slug=True),
        {"anonymous": 403, "member": 403, "host": 200, "manager": 200},
    ),
    "detail of members-only event": (
        _get("events:event-detail", "members_only"),
        {"anonymous": 404, "member": 404, "host": 200, "manager": 200},
    ),
    "detail of draft": (
        _get("events:event-detail", "draft"),
        {"anonymous": 404, "member": 404, "host": 200, "manager": 200},
    ),
    "register": (
        _post("events:event-register", "members_only"),
        {"anonymous": 302, "member": 404, "host": 302, "manager": 302},
    ),
    "cancel registration": (
        _post("events:event-cancel-registration", "members_only"),
        {"anonymous": 302, "member": 404, "host": 302, "manager": 302},
    ),
    "my events": (_mine, {"anonymous": 302, "member": 200, "host": 200, "manager": 200}),
    "new event form": (
        _get("events:event-create", "members_only", by_slug=True),
        {"anonymous": 302, "member": 404, "host": 200, "manager": 200},
    ),
    "edit form": (
        _get("events:event-edit", "members_only"),
        {"anonymous": 302, "member": 404, "host": 200, "manager": 200},
    ),
    "registrants": (
        _get("events:event-registrants", "members_only"),
        {"anonymous": 302, "member": 404, "host": 200, "manager": 200},
    ),
    "speakers": (
        _get("events:event-speakers", "members_only"),
        {"anonymous": 302, "member": 404, "host": 200, "manager": 200},
    ),
    "attendance": (
        _attendance,
        {"anonymous": 302, "member": 404, "host": 302, "manager": 302},
    ),
    "publish draft": (
        _post("events:event-action", "draft", ["publish"]),
        {"anonymous": 302, "member": 404, "host": 302, "manager": 302},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("viewer", ["anonymous", "member", "host", "manager"])
def test_event_page_access(client: Client, case: str, viewer: str) -> None:
    world = _world()
    member = world.viewers[viewer]
    if member is not None:
        client.force_login(member)
    ask, expected = CASES[case]

    assert ask(client, world) == expected[viewer]
