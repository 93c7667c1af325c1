import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kizuna.cohorts import services
from kizuna.cohorts.access import access_map, access_programme
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    Factor,
    ObjectiveStatus,
    Phase,
    Programme,
    ProjectMap,
)
from kizuna.cohorts.selectors import latest_phase, phase_elements, programmes_for
from kizuna.cohorts.tests.factories import ProgrammeFactory, SessionFactory
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Membership
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def _enrol(programme: Programme, member: Member | None = None) -> ProjectMap:
    member = member or MemberFactory()
    MembershipFactory(space=programme.space, member=member, via=Membership.Via.STAFF)
    return services.add_participant(
        actor=programme.owner,
        programme=programme,
        member=member,
        project_title="解約率を下げる",
        account=CustomerAccountFactory(),
    )


def _filled(project_map: ProjectMap) -> tuple[Phase, Element, Element]:
    """A phase-1 map with a goal, a condition, two objectives and a measure linked to both."""
    member = project_map.participant.member
    phase = latest_phase(project_map)
    services.add_element(actor=member, phase=phase, kind=ElementKind.GOAL, text="継続率を上げる")
    services.add_element(
        actor=member,
        phase=phase,
        kind=ElementKind.WINNING_CONDITION,
        text="解約率が下がる",
        target="月次1%未満",
    )
    first = services.add_element(
        actor=member, phase=phase, kind=ElementKind.OBJECTIVE, text="全社員が使っている状態"
    )
    second = services.add_element(
        actor=member, phase=phase, kind=ElementKind.OBJECTIVE, text="管理職が数字を見ている状態"
    )
    services.add_element(
        actor=member,
        phase=phase,
        kind=ElementKind.MEASURE,
        text="週次の定例で画面を共有する",
        objective_ids=[first.pk, second.pk],
    )
    return phase, first, second


def test_a_new_map_starts_at_phase_one_with_the_eight_factors_blank() -> None:
    project_map = _enrol(ProgrammeFactory())

    grouped = phase_elements(latest_phase(project_map))

    assert [factor.factor for factor in grouped.factors] == list(Factor.values)
    assert all(factor.text == "" for factor in grouped.factors)


def test_the_next_phase_is_a_copy_that_keeps_each_elements_lineage_and_links() -> None:
    project_map = _enrol(ProgrammeFactory())
    first_phase, objective, _second = _filled(project_map)

    second_phase = services.open_next_phase(
        actor=project_map.participant.member, project_map=project_map
    )

    assert second_phase.number == 2
    before = {element.lineage: element for element in first_phase.elements.all()}
    after = {element.lineage: element for element in second_phase.elements.all()}
    assert before.keys() == after.keys()
    assert all(after[key].pk != before[key].pk for key in before)
    assert all(after[key].text == before[key].text for key in before)
    copied_measure = second_phase.elements.get(kind=ElementKind.MEASURE)
    assert {linked.lineage for linked in copied_measure.objectives.all()} == {
        objective.lineage,
        _second.lineage,
    }
    assert all(linked.phase_id == second_phase.pk for linked in copied_measure.objectives.all())


def test_opening_the_phase_of_a_session_twice_makes_one_phase() -> None:
    programme = ProgrammeFactory()
    project_map = _enrol(programme)
    session = SessionFactory(programme=programme, number=2)

    services.open_next_phase(actor=programme.owner, project_map=project_map, session=session)
    services.open_next_phase(actor=programme.owner, project_map=project_map, session=session)

    assert Phase.objects.filter(project_map=project_map).count() == 2


def test_an_earlier_phase_cannot_be_changed_once_the_next_is_open() -> None:
    project_map = _enrol(ProgrammeFactory())
    _phase, objective, _second = _filled(project_map)
    services.open_next_phase(actor=project_map.participant.member, project_map=project_map)

    with pytest.raises(services.CohortError):
        services.set_objective_status(
            actor=project_map.participant.member,
            element=objective,
            status=ObjectiveStatus.ACHIEVED,
        )
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.NOT_STARTED


def test_the_participant_updates_an_objectives_status() -> None:
    project_map = _enrol(ProgrammeFactory())
    _phase, objective, _second = _filled(project_map)

    services.set_objective_status(
        actor=project_map.participant.member, element=objective, status=ObjectiveStatus.AT_RISK
    )

    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.AT_RISK


def test_a_peer_in_the_programme_may_read_and_comment_but_not_edit_anothers_map() -> None:
    programme = ProgrammeFactory()
    project_map = _enrol(programme)
    peer_map = _enrol(programme)
    _phase, objective, _second = _filled(project_map)
    peer = peer_map.participant.member

    access = access_map(peer, project_map.pk)
    feedback = services.add_feedback(
        actor=peer, phase=latest_phase(project_map), body="良い中間目的です", access=access
    )

    assert not access.can_edit
    assert feedback.author == peer
    with pytest.raises(PermissionDenied):
        services.set_objective_status(
            actor=peer, element=objective, status=ObjectiveStatus.ACHIEVED
        )


def test_an_outsider_cannot_read_a_programme_in_a_private_space() -> None:
    programme = ProgrammeFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    project_map = _enrol(programme)
    outsider = MemberFactory()

    with pytest.raises(Http404):
        access_programme(outsider, programme.pk)
    with pytest.raises(Http404):
        access_map(outsider, project_map.pk)
    assert list(programmes_for(outsider)) == []
    assert list(programmes_for(project_map.participant.member)) == [programme]


def test_a_member_of_an_open_space_who_is_not_in_the_programme_cannot_read_it() -> None:
    programme = ProgrammeFactory()
    _enrol(programme)

    with pytest.raises(Http404):
        access_programme(MemberFactory(), programme.pk)


def test_only_the_csm_or_account_managers_enrol_participants() -> None:
    programme = ProgrammeFactory()

    with pytest.raises(PermissionDenied):
        services.add_participant(
            actor=StaffFactory(staff_role="marketing"),
            programme=programme,
            member=MemberFactory(),
            project_title="x",
        )
    services.add_participant(
        actor=StaffFactory(staff_role="csm"),
        programme=programme,
        member=MemberFactory(),
        project_title="x",
    )


def test_a_measure_must_link_an_objective_of_the_same_phase() -> None:
    project_map = _enrol(ProgrammeFactory())
    phase = latest_phase(project_map)
    other_map = _enrol(ProgrammeFactory())
    _other_phase, foreign_objective, _ = _filled(other_map)

    with pytest.raises(services.CohortError):
        services.add_element(
            actor=project_map.participant.member,
            phase=phase,
            kind=ElementKind.MEASURE,
            text="施策",
        )
    with pytest.raises(services.CohortError):
        services.add_element(
            actor=project_map.participant.member,
            phase=phase,
            kind=ElementKind.MEASURE,
            text="施策",
            objective_ids=[foreign_objective.pk],
        )
    assert not Element.objects.filter(phase=phase, kind=ElementKind.MEASURE).exists()


def test_a_map_has_one_goal() -> None:
    project_map = _enrol(ProgrammeFactory())
    _filled(project_map)

    with pytest.raises(services.CohortError):
        services.add_element(
            actor=project_map.participant.member,
            phase=latest_phase(project_map),
            kind=ElementKind.GOAL,
            text="二つ目",
        )
