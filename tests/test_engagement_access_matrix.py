"""Liking posts and answers and following, in the pages and the API, × every kind of viewer × every kind of space.

Those who read a space's content and are signed in may like its posts and follow its posts
and the space (S1, S2); anyone else is refused, nothing is written, and the refusal shows none
of the space's content. The world and the table of readers are the content matrix's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Follow, Reaction
from tests import test_content_access_matrix as content_matrix
from tests.test_content_access_matrix import (
    MARKERS,
    PLACES,
    VIEWERS,
    Browsing,
    Content,
    Place,
    World,
    body_of,
    readers,
)

pytestmark = pytest.mark.django_db

# The content matrix's world, built again for this module, and its media folder.
world = content_matrix.world
media_root = content_matrix.media_root
_media_in_tmp = content_matrix._media_in_tmp


@dataclass(frozen=True)
class Write:
    """One request that likes or follows something of a place, and the rows it writes."""

    url_name: str
    send: Callable[[Client, Content], Any]
    written: Callable[[Content], int]
    is_api: bool = False


WRITES = {
    "like": Write(
        "engagement:post-react",
        lambda c, w: c.post(reverse("engagement:post-react", args=[w.post_id])),
        lambda w: Reaction.objects.filter(post_id=w.post_id).count(),
    ),
    "api-like-answer": Write(
        "api:react_to_answer",
        lambda c, w: c.post(reverse("api:react_to_answer", kwargs={"answer_id": w.answer_id})),
        lambda w: Reaction.objects.filter(answer_id=w.answer_id).count(),
        is_api=True,
    ),
    "follow-post": Write(
        "engagement:post-follow",
        lambda c, w: c.post(reverse("engagement:post-follow", args=[w.post_id])),
        lambda w: Follow.objects.filter(post_id=w.post_id).count(),
    ),
    "api-follow-space": Write(
        "api:follow_space",
        lambda c, w: c.post(reverse("api:follow_space", kwargs={"slug": w.space.slug})),
        lambda w: Follow.objects.filter(space_id=w.space.pk).count(),
        is_api=True,
    ),
}

# The URL patterns this matrix asks, for tests/test_url_coverage.py.
EXERCISED_URL_NAMES = frozenset(write.url_name for write in WRITES.values())


def client_for(write: Write, browsing: Browsing) -> Client:
    return browsing.api if write.is_api else browsing.page


@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_only_signed_in_readers_like_and_follow(world: World, viewer_kind: str) -> None:
    browsing = world.viewers[viewer_kind]
    wrote: dict[tuple[str, str], bool] = {}
    for place in PLACES:
        content = world.content[place.code]
        for name, write in WRITES.items():
            before = write.written(content)
            response = write.send(client_for(write, browsing), content)
            assert response.status_code < 500, (name, place.code)
            wrote[place.code, name] = write.written(content) == before + 1
            if not wrote[place.code, name]:
                assert _markers_in(body_of(response), place) == [], (name, place.code)
    assert wrote == {
        (place.code, name): viewer_kind != "anonymous" and viewer_kind in readers(place)
        for place in PLACES
        for name in WRITES
    }


def _markers_in(body: str, place: Place) -> list[str]:
    return [place.marker(kind) for kind in MARKERS if place.marker(kind) in body]
