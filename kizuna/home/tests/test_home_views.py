"""The home page per persona, the staff console's hub, and queue counts equal to their pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.cohorts.services import add_participant
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.content.models import Follow
from kizuna.content.tests.factories import PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.selectors import get_lifetime_points
from kizuna.home.tests.factories import make_redemption
from kizuna.home.views import FEED_PAGE_SIZE
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.tests.factories import ReviewItemFactory
from kizuna.rewards.models import RedemptionStatus
from kizuna.rewards.tests.factories import give_points
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOME = reverse("home")
CONSOLE = reverse("staff:staff-home")


@pytest.fixture
def spaces() -> dict[str, Space]:
    open_space: Space = SpaceFactory(name="Open lounge", access_type=AccessType.OPEN)
    private: Space = SpaceFactory(name="Customers only", access_type=AccessType.PRIVATE)
    return {"open": open_space, "private": private}


def _page(client: Client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _signed_in(client: Client, member: Member) -> Client:
    client.force_login(member)
    return client


# ---------------------------------------------------------------- per persona


def test_a_visitor_sees_the_open_spaces_and_how_to_become_a_member(
    client: Client, spaces: dict[str, Space]
) -> None:
    PostFactory(space=spaces["open"], title="An open thread")
    page = _page(client)
    assert "Open lounge" in page
    assert "Customers only" not in page
    assert "How to become a member" in page
    assert reverse("account_signup") in page
    assert "An open thread" not in page  # a visitor's home lists spaces, not posts


def test_a_prospect_sees_open_spaces_how_to_become_a_customer_and_their_feed(
    client: Client, spaces: dict[str, Space]
) -> None:
    prospect = MemberFactory()
    MembershipFactory(member=prospect, space=spaces["open"])
    PostFactory(space=spaces["open"], title="An open thread")
    PostFactory(space=spaces["private"], title="A private thread")
    Follow.objects.create(member=prospect, space=spaces["private"])

    page = _page(_signed_in(client, prospect))

    assert "Spaces for customers" in page
    assert reverse("account_email") in page
    assert "Open lounge" in page
    assert "An open thread" in page
    assert "A private thread" not in page


def test_a_customer_sees_their_feed_questions_and_level_without_the_prospect_cards(
    client: Client, spaces: dict[str, Space]
) -> None:
    customer = make_customer()
    MembershipFactory(member=customer, space=spaces["private"])
    question = PostFactory(space=spaces["private"], title="How do you close the month?")

    page = _page(_signed_in(client, customer))

    assert "Questions you could answer" in page
    assert reverse("content:post-detail", args=[question.pk]) in page
    assert "Your level" in page
    assert "Spaces for customers" not in page
    assert "Waiting for you" not in page  # a member who runs no space works no queue


def test_the_level_card_shows_the_lifetime_points_every_page_shows(client: Client) -> None:
    member = make_customer()
    give_points(member, 1234)
    page = _page(_signed_in(client, member))
    figure = re.search(r'class="home-figure">([\d,]+)<', page)
    assert figure is not None
    assert figure.group(1) == f"{get_lifetime_points(member):,}" == "1,234"


def test_the_feed_is_paginated(client: Client, spaces: dict[str, Space]) -> None:
    member = MemberFactory()
    MembershipFactory(member=member, space=spaces["open"])
    PostFactory.create_batch(FEED_PAGE_SIZE + 1, space=spaces["open"])
    _signed_in(client, member)
    assert client.get(HOME).context["feed"].paginator.num_pages == 2
    second = client.get(HOME, {"page": 2}, headers={"HX-Request": "true"})
    assert len(second.context["feed"].object_list) == 1
    assert 'id="home-feed"' in second.content.decode()
    assert "Your level" not in second.content.decode()  # the feed alone is swapped


def test_empty_lists_tell_a_new_member_what_to_do(client: Client) -> None:
    page = _page(_signed_in(client, make_customer()))
    assert "Join a space, and the questions waiting there for an answer will show up here." in page
    assert "Nothing new yet. Join a space or follow a topic" in page
    assert reverse("spaces:space-list") in page


def test_staff_with_capabilities_find_their_queues_on_the_home_page(client: Client) -> None:
    ReviewItemFactory()
    page = _page(_signed_in(client, StaffFactory(staff_role="administrator")))
    assert "Waiting for you" in page
    for url in (reverse("moderation:queue"), reverse("engagement:unanswered"), CONSOLE):
        assert url in page
    assert reverse("rewards:queue") in page


def test_staff_without_two_step_sign_in_are_told_to_set_it_up(client: Client) -> None:
    ReviewItemFactory()
    response = _signed_in(client, StaffFactory(with_mfa=False)).get(HOME)
    assert reverse("mfa_activate_totp") in response.content.decode()
    assert "Waiting for you" not in response.content.decode()
    assert not response.context["home"].queues.opens_any


def test_the_console_shows_each_queue_only_with_its_capability(client: Client) -> None:
    page = _page(_signed_in(client, StaffFactory(staff_role="sales")), CONSOLE)
    assert reverse("engagement:unanswered") in page
    assert reverse("moderation:queue") not in page
    assert reverse("rewards:queue") not in page
    assert "Join requests" not in page
    assert "Community pulse" in page


def test_the_console_shows_the_pulse_for_the_last_7_and_30_days(client: Client) -> None:
    PostFactory()
    page = _page(_signed_in(client, StaffFactory()), CONSOLE)
    assert "Last 7 days" in page and "Last 30 days" in page
    pulses = client.get(CONSOLE).context["console"].pulses
    assert [(pulse.days, pulse.posts) for pulse in pulses] == [(7, 1), (30, 1)]


def test_questions_to_answer_has_its_own_paginated_page(client: Client) -> None:
    member = make_customer()
    space = MembershipFactory(member=member).space
    PostFactory.create_batch(3, space=space)
    assert client.get(reverse("home:questions")).status_code == 302
    response = _signed_in(client, member).get(reverse("home:questions"))
    assert response.context["page"].paginator.count == 3


# ---------------------------------------------------------------- counts equal the pages


def _figure_linked_to(page: str, href: str) -> int:
    """The first figure shown after the link to `href` on a queue card (the header's menu
    links some of the same pages)."""
    at = page.index(f'href="{href}"', page.index('id="work-title"'))
    match = re.search(r'class="home-figure[^"]*">(\d+)<', page[at:])
    assert match is not None, href
    return int(match.group(1))


def _listed_on(client: Client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return int(response.context["page"].paginator.count)


@pytest.mark.parametrize("url", [HOME, CONSOLE])
def test_every_queue_count_equals_what_its_page_lists(client: Client, url: str) -> None:
    admin = StaffFactory(staff_role="administrator")
    customer = make_customer()
    ReviewItemFactory.create_batch(3)
    resolved = ReviewItemFactory()
    resolved.status = "resolved"
    resolved.save()
    PostFactory.create_batch(2)
    busy, quiet = SpaceFactory.create_batch(2, access_type=AccessType.APPLICATION)
    JoinRequestFactory.create_batch(3, space=busy)
    JoinRequestFactory(space=quiet)
    JoinRequestFactory(space=quiet, status="approved")
    for status in (RedemptionStatus.REQUESTED, RedemptionStatus.REQUESTED):
        make_redemption(customer, status)
    make_redemption(customer, RedemptionStatus.APPROVED)
    make_redemption(customer, RedemptionStatus.FULFILLED)

    page = _page(_signed_in(client, admin), url)

    links = [
        reverse("moderation:queue"),
        reverse("engagement:unanswered"),
        reverse("spaces:space-requests", args=[busy.slug]),
        reverse("spaces:space-requests", args=[quiet.slug]),
        f"{reverse('rewards:queue')}?status=requested",
        f"{reverse('rewards:queue')}?status=approved",
    ]
    shown = {href: _figure_linked_to(page, href) for href in links}
    assert shown == {href: _listed_on(client, href) for href in links}
    assert list(shown.values()) == [3, 2, 3, 1, 2, 1]


def test_a_participant_finds_their_learning_programme_on_the_home_page(client: Client) -> None:
    programme = ProgrammeFactory(title="経費精算の改善プログラム")
    participant = MemberFactory()
    add_participant(
        actor=programme.owner, programme=programme, member=participant, project_title="差戻し削減"
    )
    client.force_login(participant)
    assert "経費精算の改善プログラム" in client.get(reverse("home")).content.decode()

    client.force_login(MemberFactory())
    assert "Learning programmes" not in client.get(reverse("home")).content.decode()
