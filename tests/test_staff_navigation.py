"""The staff navigation (templates/components/staff_nav.html) reaches every staff page, and shows
each staff member exactly the pages their role opens.

A staff page is found by asking, not by listing: every URL pattern without an id that a member
who is not staff cannot open and an administrator (every capability) can. A new staff page
therefore fails here until the navigation links it.
"""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

# Mounted apps with their own rules: the JSON API, allauth's own pages, Django's admin (for
# superusers, not staff roles), the language switch and uploaded files.
NOT_PAGES = ("api/", "accounts/", "ops-admin/", "i18n/", "media/")
# Forms that create something open from their list, which the navigation links.
REACHED_FROM_THEIR_LIST = {
    "customers:account-create": "customers:account-list",
    "rewards:reward-create": "rewards:manage",
    "contests:contest-create": "contests:manage-list",
    "cohorts:programme-create": "cohorts:manage",
    "segments:segment-create": "segments:segment-list",
    "crm:import-new": "crm:import-list",
}
STAFF_MENU = re.compile(r'<details class="header-menu staff-menu">(.*?)</details>', re.S)


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def pages_without_an_id() -> list[str]:
    """The path of every page whose URL takes no parameter."""
    return sorted(
        "/" + route
        for route in set(_routes(get_resolver().url_patterns))
        if "<" not in route and not route.startswith(NOT_PAGES) and "(?P" not in route
    )


def status(client: Client, member: Member, path: str) -> int:
    client.force_login(member)
    return client.get(path).status_code


def staff_menu_links(client: Client, member: Member) -> set[str]:
    """The view names the staff menu in the page header links to, for this member."""
    client.force_login(member)
    html = client.get(reverse("spaces:space-list")).content.decode()
    menus = STAFF_MENU.findall(html)
    if not menus:
        return set()
    (menu,) = menus
    return {resolve(href).view_name for href in re.findall(r'href="([^"#?]+)', menu)}


@pytest.fixture
def staff_pages(client: Client) -> dict[str, str]:
    """View name → path of every staff page."""
    member = MemberFactory()
    administrator = StaffFactory(staff_role=StaffRole.ADMINISTRATOR)
    found = {}
    for path in pages_without_an_id():
        if status(client, administrator, path) == 200 and status(client, member, path) in {
            403,
            404,
        }:
            found[resolve(path).view_name] = path
    return found


def test_the_staff_pages_are_found_by_asking_them(staff_pages: dict[str, str]) -> None:
    # The finder itself: staff pages of four apps are among them, member pages are not.
    assert {
        "staff:staff-audit-log",
        "customers:account-list",
        "gamification:staff-point-rules",
        "moderation:queue",
    } <= set(staff_pages)
    assert "spaces:space-list" not in staff_pages
    assert "gamification:leaderboard" not in staff_pages


def test_every_staff_page_is_in_the_staff_navigation(
    client: Client, staff_pages: dict[str, str]
) -> None:
    administrator = StaffFactory(staff_role=StaffRole.ADMINISTRATOR)
    linked = staff_menu_links(client, administrator)
    assert set(staff_pages) - linked == set(REACHED_FROM_THEIR_LIST)
    assert linked <= set(staff_pages), "the staff menu links only staff pages"
    for form, listing in REACHED_FROM_THEIR_LIST.items():
        assert listing in linked
        client.force_login(administrator)
        html = client.get(reverse(listing)).content.decode()
        assert f'href="{reverse(form)}"' in html, f"{listing} links {form}"


def test_each_role_sees_exactly_the_staff_pages_it_may_open(
    client: Client, staff_pages: dict[str, str]
) -> None:
    for role in StaffRole.values:
        staff = StaffFactory(staff_role=role)
        linked = staff_menu_links(client, staff)
        opens = {
            name
            for name, path in staff_pages.items()
            if name not in REACHED_FROM_THEIR_LIST and status(client, staff, path) == 200
        }
        assert linked == opens, role


def test_a_staff_member_without_the_capability_does_not_see_the_link(client: Client) -> None:
    # Sales may look up customers but neither read the audit log nor manage API keys or spaces.
    linked = staff_menu_links(client, StaffFactory(staff_role=StaffRole.SALES))
    assert "customers:account-list" in linked
    assert (
        not {
            "staff:staff-audit-log",
            "staff:staff-api-keys",
            "gamification:staff-point-rules",
            "moderation:queue",
        }
        & linked
    )


def test_members_who_are_not_staff_have_no_staff_menu(client: Client) -> None:
    assert staff_menu_links(client, MemberFactory()) == set()


def test_a_spaces_moderation_settings_are_linked_from_the_space_for_its_moderators(
    client: Client,
) -> None:
    # The one staff page per space: reached from the space itself, not from the staff menu.
    space = SpaceFactory(slug="expenses", access_type=AccessType.OPEN)
    settings_link = f'href="{reverse("moderation:space-settings", args=[space.slug])}"'
    space_page = reverse("spaces:space-detail", args=[space.slug])
    client.force_login(StaffFactory(staff_role=StaffRole.MODERATOR))
    assert settings_link in client.get(space_page).content.decode()
    client.force_login(MemberFactory())
    assert settings_link not in client.get(space_page).content.decode()
