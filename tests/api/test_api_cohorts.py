from collections.abc import Callable

import pytest

from kizuna.cohorts import services
from kizuna.cohorts.models import ElementKind, ObjectiveStatus
from kizuna.cohorts.selectors import latest_phase
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.identity.tests.factories import MemberFactory
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_participant_reads_the_programme_its_maps_and_phases_and_sets_a_status(
    session_client: Callable[..., ApiClient],
) -> None:
    programme = ProgrammeFactory()
    member = MemberFactory()
    project_map = services.add_participant(
        actor=programme.owner, programme=programme, member=member, project_title="営業DX"
    )
    objective = services.add_element(
        actor=member, phase=latest_phase(project_map), kind=ElementKind.OBJECTIVE, text="状態"
    )
    services.open_next_phase(actor=member, project_map=project_map)
    client = session_client(member)

    assert client.get("/api/cohorts").json()["count"] == 1
    maps = client.get(f"/api/cohorts/{programme.pk}/maps").json()
    assert maps["items"][0]["trend"] == [
        {"phase": 1, "achieved": 0, "objectives": 1},
        {"phase": 2, "achieved": 0, "objectives": 1},
    ]
    phases = client.get(f"/api/cohort-maps/{project_map.pk}/phases").json()
    assert [phase["number"] for phase in phases["items"]] == [1, 2]
    current = next(
        e for e in phases["items"][1]["elements"] if e["lineage"] == str(objective.lineage)
    )

    old = client.post(
        f"/api/cohort-maps/{project_map.pk}/objectives/{objective.pk}/status",
        {"status": ObjectiveStatus.ACHIEVED},
    )
    new = client.post(
        f"/api/cohort-maps/{project_map.pk}/objectives/{current['id']}/status",
        {"status": ObjectiveStatus.ACHIEVED},
    )

    assert old.status_code == 409
    assert new.status_code == 200
    assert new.json()["status"] == "achieved"


def test_an_outsider_gets_not_found_for_a_programme(
    session_client: Callable[..., ApiClient],
) -> None:
    programme = ProgrammeFactory()

    response = session_client(MemberFactory()).get(f"/api/cohorts/{programme.pk}")

    assert response.status_code == 404
