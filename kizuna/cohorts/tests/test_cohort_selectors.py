import pytest
from django.core.exceptions import PermissionDenied

from kizuna.cohorts import services
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    ObjectiveStatus,
    Phase,
    Programme,
    ProjectMap,
)
from kizuna.cohorts.selectors import (
    Change,
    account_project_progress,
    latest_phase,
    phase_diff,
    project_progress,
)
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.content.models import KnowledgeArticle
from kizuna.customers.models import CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _map(programme: Programme, account: CustomerAccount | None) -> ProjectMap:
    return services.add_participant(
        actor=programme.owner,
        programme=programme,
        member=MemberFactory(),
        project_title="オンボーディング改善",
        account=account,
    )


def _objectives(project_map: ProjectMap, count: int) -> list[Element]:
    phase = latest_phase(project_map)
    return [
        services.add_element(
            actor=programme_owner(project_map),
            phase=phase,
            kind=ElementKind.OBJECTIVE,
            text=f"状態{index}",
        )
        for index in range(count)
    ]


def programme_owner(project_map: ProjectMap) -> Member:
    return project_map.participant.programme.owner


def _next(project_map: ProjectMap) -> Phase:
    return services.open_next_phase(actor=programme_owner(project_map), project_map=project_map)


def _set(phase: Phase, text: str, status: str) -> None:
    services.set_objective_status(
        actor=programme_owner(phase.project_map),
        element=phase.elements.get(text=text),
        status=status,
    )


def test_the_diff_reports_added_removed_changed_and_unchanged_elements() -> None:
    project_map = _map(ProgrammeFactory(), None)
    owner = programme_owner(project_map)
    first = latest_phase(project_map)
    kept, renamed, dropped = _objectives(project_map, 3)
    second = _next(project_map)
    services.edit_element(
        actor=owner, element=second.elements.get(lineage=renamed.lineage), text="新しい状態"
    )
    services.remove_element(actor=owner, element=second.elements.get(lineage=dropped.lineage))
    added = services.add_element(
        actor=owner, phase=second, kind=ElementKind.OBJECTIVE, text="追加した状態"
    )
    _set(second, kept.text, ObjectiveStatus.ON_TRACK)

    by_lineage = {diff.lineage: diff for diff in phase_diff(first, second)}

    assert by_lineage[added.lineage].change == Change.ADDED
    assert by_lineage[dropped.lineage].change == Change.REMOVED
    assert by_lineage[renamed.lineage].change == Change.CHANGED
    assert by_lineage[renamed.lineage].fields == ("text",)
    assert by_lineage[kept.lineage].fields == ("status",)
    factor_changes = {d.change for d in by_lineage.values() if d.kind == ElementKind.FACTOR}
    assert factor_changes == {Change.UNCHANGED}


def test_the_diff_sees_a_measure_relinked_to_another_objective() -> None:
    project_map = _map(ProgrammeFactory(), None)
    owner = programme_owner(project_map)
    first = latest_phase(project_map)
    one, two = _objectives(project_map, 2)
    measure = services.add_element(
        actor=owner, phase=first, kind=ElementKind.MEASURE, text="施策", objective_ids=[one.pk]
    )
    second = _next(project_map)
    services.edit_element(
        actor=owner,
        element=second.elements.get(lineage=measure.lineage),
        text="施策",
        objective_ids=[second.elements.get(lineage=two.lineage).pk],
    )

    diff = {d.lineage: d for d in phase_diff(first, second)}[measure.lineage]

    assert (diff.change, diff.fields) == (Change.CHANGED, ("links",))


def test_progress_is_the_share_achieved_in_the_latest_phase_with_the_trend_per_phase() -> None:
    # Worked by hand: phase 1 has 4 objectives, none achieved (0/4); phase 2 has 1 of 4
    # achieved (1/4 = 0.25); phase 3 adds a fifth and achieves three (3/5 = 0.6).
    project_map = _map(ProgrammeFactory(), None)
    _objectives(project_map, 4)
    second = _next(project_map)
    _set(second, "状態0", ObjectiveStatus.ACHIEVED)
    _set(second, "状態1", ObjectiveStatus.AT_RISK)
    third = _next(project_map)
    services.add_element(
        actor=programme_owner(project_map), phase=third, kind=ElementKind.OBJECTIVE, text="状態4"
    )
    _set(third, "状態1", ObjectiveStatus.ACHIEVED)
    _set(third, "状態4", ObjectiveStatus.ACHIEVED)

    progress = project_progress(project_map)

    assert [(p.number, p.achieved, p.objectives) for p in progress.trend] == [
        (1, 0, 4),
        (2, 1, 4),
        (3, 3, 5),
    ]
    assert progress.share == pytest.approx(0.6)
    assert progress.change == pytest.approx(0.6 - 0.25)


def test_a_map_without_objectives_has_no_share_rather_than_zero() -> None:
    progress = project_progress(_map(ProgrammeFactory(), None))

    assert progress.share is None
    assert progress.change is None


def test_account_progress_adds_up_the_latest_phase_of_each_of_its_projects() -> None:
    # Worked by hand: project A is at phase 2 with 1 of 2 achieved; project B at phase 1 with
    # 1 of 3 achieved; another company's project does not count. Latest: 2 of 5 = 0.4.
    # Trend: phase 1 = A(0/2) + B(1/3) = 1/5; phase 2 = A(1/2) = 1/2.
    account = CustomerAccountFactory()
    programme = ProgrammeFactory()
    first_map, second_map = _map(programme, account), _map(programme, account)
    other_map = _map(programme, CustomerAccountFactory())
    _objectives(first_map, 2)
    _objectives(second_map, 3)
    _objectives(other_map, 1)
    _set(latest_phase(second_map), "状態0", ObjectiveStatus.ACHIEVED)
    _set(latest_phase(other_map), "状態0", ObjectiveStatus.ACHIEVED)
    _set(_next(first_map), "状態1", ObjectiveStatus.ACHIEVED)

    progress = account_project_progress(account)

    assert (progress.latest.achieved, progress.latest.objectives) == (2, 5)
    assert progress.share == pytest.approx(0.4)
    assert [(p.number, p.achieved, p.objectives) for p in progress.trend] == [
        (1, 1, 5),
        (2, 1, 2),
    ]


def test_staff_running_the_programme_promote_a_comment_to_a_knowledge_article_once() -> None:
    admin = StaffFactory(staff_role="administrator")
    programme = ProgrammeFactory(owner=admin)
    project_map = _map(programme, None)
    feedback = services.add_feedback(
        actor=admin, phase=latest_phase(project_map), body="中間目的は状態で書くと進みます"
    )

    article = services.promote_feedback_to_knowledge(
        actor=admin, feedback=feedback, title="中間目的の書き方", body=feedback.body
    )
    again = services.promote_feedback_to_knowledge(
        actor=admin, feedback=feedback, title="中間目的の書き方", body=feedback.body
    )

    assert article == again
    assert KnowledgeArticle.objects.filter(space=programme.space).count() == 1
    assert article.source_post is None


def test_a_participant_cannot_promote_an_insight_to_knowledge() -> None:
    project_map = _map(ProgrammeFactory(), None)
    phase = latest_phase(project_map)

    with pytest.raises(PermissionDenied):
        services.promote_insight_to_knowledge(
            actor=project_map.participant.member, phase=phase, title="学び", body="本文"
        )
