"""The shareable public page of an event in an open space: readable without signing in, with
OpenGraph tags; events anywhere else are the same 404 as a missing one."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kizuna.events.models import EventStatus
from kizuna.events.tests.factories import EventFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://meet.example.com/members-only"


def _meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    assert found, f"no {prop} tag"
    return found.group(1)


def _page(event_pk: int) -> str:
    return reverse("events:public-event", args=[event_pk])


def test_a_visitor_reads_an_open_space_event_with_its_opengraph_tags(client: Client) -> None:
    event = EventFactory(
        title="経費精算 活用ワークショップ",
        description="**申請フロー**を一緒に見直します。",
        description_html="<p><strong>申請フロー</strong>を一緒に見直します。</p>",
        online_url=ONLINE_URL,
    )

    response = client.get(_page(event.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert _meta(html, "og:type") == "event"
    assert _meta(html, "og:title") == "経費精算 活用ワークショップ"
    assert _meta(html, "og:description") == "申請フローを一緒に見直します。"
    assert _meta(html, "og:url") == settings.KIZUNA_SITE_URL.rstrip("/") + _page(event.pk)
    assert _meta(html, "og:site_name") == settings.KIZUNA_COMMUNITY_NAME
    assert _meta(html, "theme-color") == settings.KIZUNA_COMMUNITY_COLOR
    assert ONLINE_URL not in html


def test_a_cancelled_event_page_says_so(client: Client) -> None:
    event = EventFactory(status=EventStatus.CANCELLED)

    response = client.get(_page(event.pk))

    assert response.status_code == 200
    assert response.context["event"].status == EventStatus.CANCELLED


@pytest.mark.parametrize("access_type", [AccessType.APPLICATION, AccessType.PRIVATE])
def test_an_event_of_a_closed_space_shows_outsiders_nothing(
    client: Client, access_type: str
) -> None:
    event = EventFactory(space=SpaceFactory(access_type=access_type), title="非公開の勉強会")

    response = client.get(_page(event.pk))
    missing = client.get(_page(event.pk + 1000))

    assert response.status_code == 404
    assert missing.status_code == 404
    assert "非公開の勉強会" not in response.content.decode()


def test_the_public_page_stays_closed_for_members_of_a_closed_space(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    event = EventFactory(space=space)
    client.force_login(MembershipFactory(space=space).member)

    assert client.get(_page(event.pk)).status_code == 404


def test_a_draft_has_no_public_page(client: Client) -> None:
    event = EventFactory(status=EventStatus.DRAFT)

    assert client.get(_page(event.pk)).status_code == 404


def test_an_open_sub_group_of_a_closed_space_has_no_public_page(client: Client) -> None:
    parent = SpaceFactory(access_type=AccessType.PRIVATE)
    event = EventFactory(space=SpaceFactory(access_type=AccessType.OPEN, parent=parent))

    assert client.get(_page(event.pk)).status_code == 404


def test_a_signed_in_member_is_sent_to_the_event_page_to_register(client: Client) -> None:
    event = EventFactory()
    client.force_login(MemberFactory())

    response = client.get(_page(event.pk))

    assert reverse("events:event-detail", args=[event.pk]) in response.content.decode()
