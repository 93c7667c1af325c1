import pytest
from django.test import Client
from django.urls import reverse

from kizuna.cohorts import services
from kizuna.cohorts.models import Element, ElementKind, ObjectiveStatus, Programme, ProjectMap
from kizuna.cohorts.selectors import latest_phase
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _setup() -> tuple[Programme, Member, ProjectMap, Element]:
    programme = ProgrammeFactory()
    member = MemberFactory()
    project_map = services.add_participant(
        actor=programme.owner, programme=programme, member=member, project_title="営業DX"
    )
    objective = services.add_element(
        actor=member,
        phase=latest_phase(project_map),
        kind=ElementKind.OBJECTIVE,
        text="全員が毎日入力している状態",
    )
    return programme, member, project_map, objective


def test_the_participant_sets_a_status_through_htmx_and_the_diagram_is_told() -> None:
    _programme, member, project_map, objective = _setup()
    client = Client()
    client.force_login(member)

    response = client.post(
        reverse("cohorts:map-edit", args=[project_map.pk, "status"]),
        {"element": objective.pk, "status": ObjectiveStatus.ON_TRACK},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "cohort-map-changed"
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.ON_TRACK


def test_every_page_of_a_map_renders_for_its_participant() -> None:
    programme, member, project_map, _objective = _setup()
    services.open_next_phase(actor=member, project_map=project_map)
    client = Client()
    client.force_login(member)

    for url in (
        reverse("cohorts:programme-list"),
        reverse("cohorts:programme-detail", args=[programme.pk]),
        reverse("cohorts:map", args=[project_map.pk]),
        reverse("cohorts:map", args=[project_map.pk]) + "?phase=1",
        reverse("cohorts:map-diff", args=[project_map.pk]) + "?from=1&to=2",
        reverse("cohorts:map-review", args=[project_map.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        "全員が毎日入力している状態"
        in client.get(reverse("cohorts:map", args=[project_map.pk])).content.decode()
    )


def test_a_member_outside_the_programme_gets_not_found() -> None:
    _programme, _member, project_map, _objective = _setup()
    client = Client()
    client.force_login(MemberFactory())

    assert client.get(reverse("cohorts:map", args=[project_map.pk])).status_code == 404
