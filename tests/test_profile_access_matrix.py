"""Every viewer × every kind of member × every place a profile shows, against one table (S4).

Profiles follow the directory's rule: signed-in members only; a member who chose not to be
listed is opened only by themselves and staff, and otherwise appears only by name beside
what they posted, to those who may read it. The table is written out by hand, so a change
to `kizuna/identity/permissions.py` that lets the wrong person in fails here.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Post
from kizuna.content.tests.factories import PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

STAFF = {f"staff_{role}" for role in StaffRole.values}
VIEWERS = ["anonymous", "member", "customer", "unlisted_self", *sorted(STAFF)]
SIGNED_IN = set(VIEWERS) - {"anonymous"}
NOBODY: set[str] = set()

# Each target's name is nobody else's substring, so finding it in a page means that target.
TARGETS = {
    "listed": "青木ケイスケ",
    "unlisted": "井上ヒカリ",
    "staff": "上田ツヨシ",
    "unlisted_open_poster": "江藤マドカ",
    "unlisted_private_poster": "小野サトル",
}
SURFACES = ["profile", "contributions", "directory", "mention", "api_get", "api_list", "thread"]

# Who sees each target on each surface. "thread" is the target's own post (posters only):
# their name shows to whoever reads the post (open: everyone; private: customers and staff).
READS_PRIVATE_POST = {"customer"} | STAFF
TABLE: dict[str, dict[str, set[str]]] = {
    "listed": {
        "profile": SIGNED_IN,
        "contributions": SIGNED_IN,
        "directory": SIGNED_IN,
        "mention": SIGNED_IN,
        "api_get": SIGNED_IN,
        "api_list": SIGNED_IN,
    },
    "unlisted": {
        "profile": STAFF | {"unlisted_self"},
        "contributions": STAFF | {"unlisted_self"},
        "directory": NOBODY,
        "mention": NOBODY,
        "api_get": STAFF | {"unlisted_self"},
        "api_list": STAFF,
    },
    "staff": {
        "profile": SIGNED_IN,
        "contributions": SIGNED_IN,
        "directory": SIGNED_IN,
        "mention": SIGNED_IN,
        "api_get": SIGNED_IN,
        "api_list": SIGNED_IN,
    },
    "unlisted_open_poster": {
        "profile": STAFF,
        "contributions": STAFF,
        "directory": NOBODY,
        "mention": NOBODY,
        "api_get": STAFF,
        "api_list": STAFF,
        "thread": set(VIEWERS),
    },
    "unlisted_private_poster": {
        "profile": STAFF,
        "contributions": STAFF,
        "directory": NOBODY,
        "mention": NOBODY,
        "api_get": STAFF,
        "api_list": STAFF,
        "thread": READS_PRIVATE_POST,
    },
}


@dataclass
class World:
    open_space: Space
    targets: dict[str, Member]
    posts: dict[str, Post]


def build_world() -> World:
    open_space = SpaceFactory(access_type=AccessType.OPEN)
    private_space = SpaceFactory(access_type=AccessType.PRIVATE)
    targets = {
        "listed": MemberFactory(display_name=TARGETS["listed"]),
        "unlisted": MemberFactory(display_name=TARGETS["unlisted"], listed_in_directory=False),
        "staff": StaffFactory(display_name=TARGETS["staff"], staff_role=StaffRole.CSM),
        "unlisted_open_poster": MemberFactory(
            display_name=TARGETS["unlisted_open_poster"], listed_in_directory=False
        ),
        "unlisted_private_poster": MemberFactory(
            display_name=TARGETS["unlisted_private_poster"], listed_in_directory=False
        ),
    }
    for key in ("listed", "unlisted", "unlisted_open_poster", "unlisted_private_poster"):
        MembershipFactory(space=open_space, member=targets[key])
    MembershipFactory(space=private_space, member=targets["unlisted_private_poster"])
    posts = {
        "unlisted_open_poster": PostFactory(
            space=open_space, author=targets["unlisted_open_poster"]
        ),
        "unlisted_private_poster": PostFactory(
            space=private_space, author=targets["unlisted_private_poster"]
        ),
    }
    return World(open_space=open_space, targets=targets, posts=posts)


def make_viewer(kind: str, world: World) -> Member | None:
    if kind == "anonymous":
        return None
    if kind == "member":
        return MemberFactory()
    if kind == "customer":
        return make_customer()
    if kind == "unlisted_self":
        return world.targets["unlisted"]
    return StaffFactory(staff_role=kind.removeprefix("staff_"))


def is_sign_in_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def profile_url(member: Member) -> str:
    return reverse("identity:member-profile", args=[member.pk])


def profile_answer(response: Any, name: str) -> str:
    """'shown', 'sign_in' or 'missing' (404, the answer for an id that does not exist)."""
    if is_sign_in_redirect(response):
        return "sign_in"
    if response.status_code == 404:
        return "missing"
    assert response.status_code == 200, response.status_code
    assert name in response.content.decode()
    return "shown"


def api_answer(response: Any) -> str:
    return {200: "shown", 401: "unauthorized", 404: "missing"}[response.status_code]


def observe(client: Client, surface: str, world: World) -> dict[str, str]:
    """What the client gets on a surface for each target."""
    targets = world.targets
    if surface in ("profile", "contributions"):
        route = {
            "profile": "identity:member-profile",
            "contributions": "directory:member-contributions",
        }[surface]
        return {
            key: profile_answer(client.get(reverse(route, args=[member.pk])), member.name)
            for key, member in targets.items()
        }
    if surface == "directory":
        response = client.get(reverse("directory:directory"))
        if is_sign_in_redirect(response):
            return dict.fromkeys(targets, "sign_in")
        body = response.content.decode()
        # By the card's link, not the name: the page header names the signed-in viewer.
        return {
            key: "shown" if f'class="directory-name" href="{profile_url(m)}"' in body else "absent"
            for key, m in targets.items()
        }
    if surface == "mention":
        url = reverse("content:mention-suggestions", args=[world.open_space.slug])
        answers = {}
        for key, member in targets.items():
            response = client.get(url, {"q": member.name})
            if response.status_code == 403:
                answers[key] = "forbidden"
                continue
            offered = {item["id"] for item in response.json()["members"]}
            answers[key] = "shown" if member.pk in offered else "absent"
        return answers
    if surface == "api_get":
        return {
            key: api_answer(client.get(f"/api/members/{member.pk}"))
            for key, member in targets.items()
        }
    if surface == "api_list":
        answers = {}
        for key, member in targets.items():
            response = client.get("/api/members", {"q": member.name})
            if response.status_code == 401:
                answers[key] = "unauthorized"
                continue
            found = {item["id"] for item in response.json()["items"]}
            answers[key] = "shown" if member.pk in found else "absent"
        return answers
    assert surface == "thread"
    answers = {}
    for key, post in world.posts.items():
        member = targets[key]
        body = client.get(reverse("content:post-detail", args=[post.pk])).content.decode()
        profile_link = f'href="{profile_url(member)}"'
        answers[key] = (
            "absent"
            if member.name not in body
            else "shown with a link"
            if profile_link in body
            else "shown"
        )
    return answers


def expected(surface: str, viewer: str) -> dict[str, str]:
    denied_anonymous = {
        "profile": "sign_in",
        "contributions": "sign_in",
        "directory": "sign_in",
        "mention": "forbidden",
        "api_get": "unauthorized",
        "api_list": "unauthorized",
    }
    denied_member = {"profile": "missing", "contributions": "missing", "api_get": "missing"}
    answers = {}
    for target, surfaces in TABLE.items():
        if surface not in surfaces:
            continue
        if surface == "thread":
            # A name beside a post links to the profile only for those who may open it.
            opens_profile = viewer in surfaces["profile"]
            answers[target] = (
                "absent"
                if viewer not in surfaces["thread"]
                else "shown with a link"
                if opens_profile
                else "shown"
            )
        elif viewer in surfaces[surface]:
            answers[target] = "shown"
        elif viewer == "anonymous":
            answers[target] = denied_anonymous[surface]
        else:
            answers[target] = denied_member.get(surface, "absent")
    return answers


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_profiles_follow_the_directory_rule(client: Client, viewer_kind: str, surface: str) -> None:
    world = build_world()
    viewer = make_viewer(viewer_kind, world)
    if viewer is not None:
        client.force_login(viewer)
    assert observe(client, surface, world) == expected(surface, viewer_kind)


def comparable_body(response: Any, path: str) -> str:
    """The page with its CSRF tokens and own path (the language form's `next`) blanked."""
    body: str = response.content.decode().replace(path, "")
    body = re.sub(r'"X-CSRFToken": "[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_a_missing_member_answers_like_an_unlisted_one(client: Client) -> None:
    world = build_world()
    client.force_login(MemberFactory())
    unlisted = world.targets["unlisted"]
    missing_pk = Member.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    for route in ("identity:member-profile", "directory:member-contributions"):
        hidden_path = reverse(route, args=[unlisted.pk])
        missing_path = reverse(route, args=[missing_pk])
        hidden = client.get(hidden_path)
        missing = client.get(missing_path)
        assert (hidden.status_code, comparable_body(hidden, hidden_path)) == (
            404,
            comparable_body(missing, missing_path),
        )
