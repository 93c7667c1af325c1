"""Every space page × every kind of viewer × every access type, against an explicit expectation table.

The table is written out by hand from S1 rather than derived from the policy module, so a
change to kizuna/spaces/permissions.py that lets the wrong person in fails here. A denied
response may name the space and show its purpose, and nothing else of it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    SpaceFactory,
)

pytestmark = pytest.mark.django_db

SPACE_NAME = "マトリクス検証スペース"
PURPOSE = "公開してよい目的の文"
SECRET_DESCRIPTION = "非公開の説明文ZQX"
SECRET_RULES = "非公開のルールWVY"
SECRET_HOST_NAME = "秘密のホスト山田"
SECRET_APPLICANT = "秘密の申請者佐藤"
SECRET_INVITEE = "secret-invitee@example.org"
SECRETS = (SECRET_DESCRIPTION, SECRET_HOST_NAME, SECRET_APPLICANT, SECRET_INVITEE)

VIEWERS = [
    "anonymous",
    "non_customer",
    "customer",
    "member",
    "space_moderator",
    *[f"staff_{r}" for r in StaffRole.values],
]
MANAGING_STAFF = {"staff_administrator", "staff_community_manager"}
MODERATING_STAFF = MANAGING_STAFF | {"staff_moderator"}
ALL_STAFF = {f"staff_{r}" for r in StaffRole.values}
EVERYONE = set(VIEWERS)


def reads_content(access_type: str) -> set[str]:
    """Who reads a space's content (S1)."""
    members = {"member", "space_moderator"} | ALL_STAFF
    if access_type == AccessType.OPEN:
        return EVERYONE
    if access_type == AccessType.PRIVATE:
        return members | {"customer"}
    return members


@dataclass(frozen=True)
class PageCase:
    name: str
    url: Callable[[Space], str]
    allowed: Callable[[str], set[str]]
    method: str = "get"


PAGES = [
    PageCase(
        "space-detail", lambda s: reverse("spaces:space-detail", args=[s.slug]), reads_content
    ),
    PageCase(
        "space-members",
        lambda s: reverse("spaces:space-members", args=[s.slug]),
        lambda t: reads_content(t) - {"anonymous"},
    ),
    PageCase(
        "space-requests",
        lambda s: reverse("spaces:space-requests", args=[s.slug]),
        lambda t: {"space_moderator"} | MODERATING_STAFF,
    ),
    PageCase(
        "space-invitations",
        lambda s: reverse("spaces:space-invitations", args=[s.slug]),
        lambda t: {"member", "space_moderator"} | MANAGING_STAFF,
    ),
    PageCase(
        "space-edit",
        lambda s: reverse("spaces:space-edit", args=[s.slug]),
        lambda t: MANAGING_STAFF,
    ),
]


def make_viewer(kind: str, space: Space) -> Member | None:
    if kind == "anonymous":
        return None
    if kind == "non_customer":
        return MemberFactory()
    if kind.startswith("staff_"):
        return StaffFactory(staff_role=kind.removeprefix("staff_"))
    customer = make_customer()
    if kind == "member":
        MembershipFactory(space=space, member=customer)
    elif kind == "space_moderator":
        MembershipFactory(space=space, member=customer, role=SpaceRole.MODERATOR)
    return customer


def build_space(access_type: str) -> Space:
    space = SpaceFactory(
        name=SPACE_NAME,
        purpose=PURPOSE,
        description=SECRET_DESCRIPTION,
        rules=SECRET_RULES,
        access_type=access_type,
    )
    MembershipFactory(
        space=space, member=make_customer(display_name=SECRET_HOST_NAME), role=SpaceRole.HOST
    )
    if access_type == AccessType.APPLICATION:
        JoinRequestFactory(space=space, applicant=MemberFactory(display_name=SECRET_APPLICANT))
    InvitationFactory(space=space, email=SECRET_INVITEE)
    return space


def fetch(client: Client, page: PageCase, space: Space) -> Any:
    return getattr(client, page.method)(page.url(space))


def is_denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and any(
        marker in response["Location"] for marker in ("/accounts/login", "/mfa/")
    )


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_space_page_access(
    client: Client, page: PageCase, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    response = fetch(client, page, space)
    if viewer_kind in page.allowed(access_type):
        assert response.status_code == 200, (
            f"{viewer_kind} should open {page.name} of a {access_type} space"
        )
    else:
        assert is_denied(response), (
            f"{viewer_kind} must not open {page.name} of a {access_type} space ({response.status_code})"
        )
        body = response.content.decode()
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], f"denied {page.name} leaked {leaked}"
        if access_type != AccessType.APPLICATION:
            assert SECRET_RULES not in body


DENIED_READERS = [(v, t) for t in AccessType.values for v in VIEWERS if v not in reads_content(t)]


@pytest.mark.parametrize(("viewer_kind", "access_type"), DENIED_READERS)
def test_denied_detail_page_names_the_space_and_its_purpose(
    client: Client, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    body = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert SPACE_NAME in body and PURPOSE in body


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_space_directory_never_shows_hidden_content(
    client: Client, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    body = client.get(reverse("spaces:space-list")).content.decode()
    assert SPACE_NAME in body
    assert [secret for secret in SECRETS if secret in body] == []


JOINERS: dict[str, set[str]] = {
    AccessType.OPEN: {"non_customer", "customer"} | ALL_STAFF,
    AccessType.PRIVATE: {"customer"} | MANAGING_STAFF,
    AccessType.APPLICATION: set(),
}


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize(
    "viewer_kind", ["anonymous", "non_customer", "customer", *sorted(ALL_STAFF)]
)
def test_joining_a_space(client: Client, viewer_kind: str, access_type: str) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    before = space.memberships.count()
    response = client.post(reverse("spaces:space-join", args=[space.slug]))
    joined = space.memberships.count() == before + 1
    assert joined == (viewer_kind in JOINERS[access_type]), (
        f"{viewer_kind} joining a {access_type} space: {response.status_code}"
    )
    if not joined:
        assert response.status_code in (302, 403, 404)
