"""The home pages × every kind of viewer × every kind of space (S1): no home page shows a post
its viewer may not read, however the viewer came to follow it.

Each place of the content matrix holds an unanswered question whose title and tag carry the
place's marker. Every signed-in viewer follows every space, tag and thread (written directly,
as if they had followed before losing access), and the space's own people belong to it. A
signed-in reader must find the marker on the home page; nobody else may. On the page of
questions to answer, only the space's own people who read it find it. Who reads what comes
from the content matrix's hand-written table, not from the policy modules.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kizuna.content.models import Follow
from kizuna.content.tests.factories import PostFactory, TagFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.spaces.models import Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.test_content_access_matrix import IN_SPACE, PLACES, VIEWERS, Place, _make_viewer, readers

pytestmark = pytest.mark.django_db

EXERCISED_URL_NAMES = {"home", "home:questions"}


@dataclass(frozen=True)
class World:
    clients: dict[str, Client]


def _build_place(place: Place, viewers: dict[str, Member]) -> None:
    roles = {
        "member": SpaceRole.MEMBER,
        "host": SpaceRole.HOST,
        "space_moderator": SpaceRole.MODERATOR,
    }
    author = make_customer()
    spaces = []
    parent = None
    if place.parent_type is not None:
        parent = SpaceFactory(
            access_type=place.parent_type, slug=f"home-parent-{place.code.lower()}"
        )
        for kind in IN_SPACE:
            MembershipFactory(space=parent, member=viewers[kind])
        spaces.append(parent)
    space = SpaceFactory(
        access_type=place.access_type, parent=parent, slug=f"home-{place.code.lower()}"
    )
    for kind, role in roles.items():
        MembershipFactory(space=space, member=viewers[kind], role=role)
    MembershipFactory(space=space, member=author)
    spaces.append(space)
    post = PostFactory(space=space, author=author, title=f"質問 {place.marker('POST')}")
    tag = TagFactory(name=place.marker("TAG"))
    post.tags.add(tag)
    for viewer in viewers.values():
        Follow.objects.bulk_create(
            [
                *(Follow(member=viewer, space=followed) for followed in spaces),
                Follow(member=viewer, tag=tag),
                Follow(member=viewer, post=post),
            ]
        )
    if place.is_archived:
        Space.objects.filter(pk=space.pk).update(archived_at=timezone.now())


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        viewers = {kind: _make_viewer(kind) for kind in VIEWERS if kind != "anonymous"}
        for place in PLACES:
            _build_place(place, viewers)
        clients = {}
        for kind in VIEWERS:
            client = Client()
            if kind in viewers:
                client.force_login(viewers[kind])
            clients[kind] = client
        yield World(clients)
        transaction.set_rollback(True)


def _page(world: World, viewer: str, url_name: str) -> str:
    response = world.clients[viewer].get(reverse(url_name))
    assert response.status_code in (200, 302), (viewer, url_name, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_home_page_shows_each_post_to_its_readers_and_to_nobody_else(
    world: World, viewer: str
) -> None:
    page = _page(world, viewer, "home")
    for place in PLACES:
        expected = viewer != "anonymous" and viewer in readers(place)
        assert (place.marker("POST") in page) is expected, (viewer, place.code)
        assert (place.marker("TAG") in page) is expected, (viewer, place.code)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_questions_to_answer_come_from_the_viewers_own_readable_spaces_only(
    world: World, viewer: str
) -> None:
    page = _page(world, viewer, "home:questions")
    for place in PLACES:
        expected = viewer in IN_SPACE and viewer in readers(place)
        assert (place.marker("POST") in page) is expected, (viewer, place.code)
