"""The member's home page shows the events they registered for."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.events.models import RegistrationStatus
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_home_page_lists_my_upcoming_events_and_not_the_ones_i_cancelled(
    client: Client,
) -> None:
    member = MemberFactory()
    kept = RegistrationFactory(member=member, event=EventFactory(title="Onboarding clinic"))
    RegistrationFactory(
        member=member,
        event=EventFactory(title="Dropped meetup"),
        status=RegistrationStatus.CANCELLED,
    )
    client.force_login(member)

    page = client.get(reverse("home")).content.decode()

    assert kept.event.title in page
    assert "Dropped meetup" not in page
    assert reverse("events:my-registrations") in page


def test_without_registrations_the_card_points_to_the_event_list(client: Client) -> None:
    client.force_login(MemberFactory())

    page = client.get(reverse("home")).content.decode()

    assert "You have no upcoming event." in page
