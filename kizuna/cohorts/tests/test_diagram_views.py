"""The diagram's own address: a printable page, or the fragment HTMX swaps into the map page."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.cohorts.models import Element, ElementKind, Participant, Phase
from kizuna.cohorts.tests.test_diagram import _phase_one
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _url(phase: Phase, **query: int) -> str:
    url = reverse("cohorts:phase-diagram", args=[phase.project_map_id, phase.number])
    return url + "".join(f"?{key}={value}" for key, value in query.items())


def _client_of(phase: Phase) -> Client:
    client = Client()
    client.force_login(phase.project_map.participant.member)
    return client


def test_the_participant_gets_a_printable_page_with_the_diagram() -> None:
    phase = _phase_one().phase

    response = _client_of(phase).get(_url(phase))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert "<svg" in body
    assert "@page { size: A4 landscape" in body
    assert "HX-Request" in response["Vary"]


def test_an_htmx_request_gets_only_the_fragment_that_refreshes_on_map_changes() -> None:
    phase = _phase_one().phase

    response = _client_of(phase).get(_url(phase), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith("<figure")
    assert 'hx-trigger="cohort-map-changed from:body"' in body


def test_a_comparison_is_kept_when_the_fragment_refreshes() -> None:
    phase = _phase_one().phase
    later = Phase.objects.create(project_map=phase.project_map, number=2)
    Element.objects.create(phase=later, kind=ElementKind.MEASURE, text="新しい施策")

    response = _client_of(phase).get(_url(later, since=1), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert f'hx-get="{_url(later, since=1)}"' in body
    assert 'data-change="added"' in body


def _outsider(phase: Phase) -> Member:
    return MemberFactory()


def _peer(phase: Phase) -> Member:
    member = MemberFactory()
    Participant.objects.create(programme=phase.project_map.participant.programme, member=member)
    return member


VIEWERS: dict[str, tuple[Callable[[Phase], Member | None], int]] = {
    "anonymous": (lambda phase: None, 404),
    "member outside the programme": (_outsider, 404),
    "another participant (a peer)": (_peer, 200),
    "the programme's CSM": (lambda phase: phase.project_map.participant.programme.owner, 200),
    **{
        f"staff: {role.value}": (lambda phase, role=role: StaffFactory(staff_role=role), 200)
        for role in StaffRole
    },
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_who_sees_the_diagram(viewer: str) -> None:
    """The diagram shows a customer's plans: the programme's rule, never the space's alone."""
    phase = _phase_one().phase
    make_viewer, expected = VIEWERS[viewer]
    member = make_viewer(phase)
    client = Client()
    if member is not None:
        client.force_login(member)

    for headers in ({}, {"HX-Request": "true"}):
        assert client.get(_url(phase), headers=headers).status_code == expected


def test_a_phase_the_map_does_not_have_is_not_found() -> None:
    phase = _phase_one().phase

    response = _client_of(phase).get(
        reverse("cohorts:phase-diagram", args=[phase.project_map_id, 7])
    )

    assert response.status_code == 404


def test_the_map_page_loads_the_diagram_of_the_phase_it_shows() -> None:
    phase = _phase_one().phase

    response = _client_of(phase).get(reverse("cohorts:map", args=[phase.project_map_id]))

    assert f'hx-get="{_url(phase)}"' in response.content.decode()


@pytest.mark.parametrize("since", ["", "0", "-1", "abc", "١", "9" * 30, "1' OR 1=1", "<svg>"])
def test_a_hostile_comparison_is_no_comparison(since: str) -> None:
    phase = _phase_one().phase

    response = _client_of(phase).get(_url(phase), {"since": since})

    assert response.status_code == 200
    assert "data-change" not in response.content.decode()
