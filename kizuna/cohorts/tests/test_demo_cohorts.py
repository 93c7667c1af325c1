import pytest

from kizuna.cohorts.models import Programme, ProjectMap
from kizuna.cohorts.selectors import account_project_progress, project_progress
from kizuna.demo.cohorts import PROGRAMME_TITLE
from kizuna.demo.community import load_demo_community

pytestmark = pytest.mark.django_db


def test_the_demo_cohort_runs_six_companies_in_their_fourth_session() -> None:
    load_demo_community(seed=7)

    programme = Programme.objects.get(title=PROGRAMME_TITLE)
    maps = list(ProjectMap.objects.filter(participant__programme=programme))

    assert programme.accounts.count() == 6
    assert len(maps) == 6
    assert {project_map.phases.count() for project_map in maps} == {4}
    shares = sorted(project_progress(project_map).share or 0 for project_map in maps)
    assert shares[0] < shares[-1]
    account = maps[0].participant.account
    assert account is not None
    assert len(account_project_progress(account).trend) == 4
