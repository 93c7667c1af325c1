"""Every spaces page × every kind of viewer × every space type: the page does what the policy says.

A page that refuses also shows nothing of the space beyond its public face.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.permissions import can_view_member_list, get_space_access
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Assert the English msgids whatever catalogs exist: members default to Japanese."""
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English")]


SECRET = "Secret description of the space"
HIDDEN_MEMBER = "秘密のメンバー"
HIDDEN_SUBGROUP = "秘密のサブグループ"


def _viewer(kind: str, space: Space) -> Any:
    if kind == "anonymous":
        return None
    if kind == "non_customer":
        return MemberFactory()
    if kind == "customer":
        return make_customer()
    if kind == "member":
        return MembershipFactory(space=space, member=make_customer()).member
    if kind == "space_moderator":
        return MembershipFactory(
            space=space, member=make_customer(), role=SpaceRole.MODERATOR
        ).member
    return StaffFactory(staff_role=kind.removeprefix("staff_"))


VIEWERS = [
    "anonymous",
    "non_customer",
    "customer",
    "member",
    "space_moderator",
    *[f"staff_{role}" for role in StaffRole.values],
]
PAGES: dict[str, Callable[[Any, Space], bool]] = {
    "space-detail": lambda viewer, space: get_space_access(viewer, space).can_view_content,
    "space-members": lambda viewer, space: can_view_member_list(viewer, space),
    "space-requests": lambda viewer, space: get_space_access(viewer, space).can_moderate,
    "space-invitations": lambda viewer, space: get_space_access(viewer, space).can_invite,
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("kind", VIEWERS)
def test_page_follows_the_policy_and_refusals_show_only_the_public_face(
    client: Client, page: str, access_type: str, kind: str
) -> None:
    space = SpaceFactory(access_type=access_type, join_questions=["公開の質問"])
    MembershipFactory(space=space, member=make_customer(display_name=HIDDEN_MEMBER))
    SpaceFactory(name=HIDDEN_SUBGROUP, parent=space)
    viewer = _viewer(kind, space)
    if viewer is not None:
        client.force_login(viewer)
    allowed = PAGES[page](viewer or AnonymousUser(), space)
    response = client.get(reverse(f"spaces:{page}", args=[space.slug]))
    if allowed:
        assert response.status_code == 200
        return
    assert response.status_code in (302, 403)
    html = response.content.decode()
    assert HIDDEN_MEMBER not in html
    if not get_space_access(viewer or AnonymousUser(), space).can_view_content:
        assert SECRET not in html
        assert HIDDEN_SUBGROUP not in html
