"""Writes of learning cohorts: programmes, sessions, participants, the phases of a map and its
elements, feedback, and knowledge captured from them.

Only the latest phase of a map is edited; earlier phases are the record of the path (DOMAIN §2:
every phase is kept so it can be replayed and compared). Every write that opens or changes a
phase locks the map row, so two people opening the next phase at once make one phase.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.cohorts.access import MapAccess, ProgrammeAccess, map_access, programme_access
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    Factor,
    Feedback,
    KnowledgeCapture,
    ObjectiveStatus,
    Participant,
    Phase,
    Programme,
    ProgrammeStatus,
    ProjectMap,
    Session,
)
from kizuna.cohorts.permissions import can_manage_programme
from kizuna.content.knowledge import write_knowledge_article
from kizuna.content.models import KnowledgeArticle
from kizuna.core.audit import record_audit
from kizuna.customers.models import CustomerAccount
from kizuna.customers.selectors import get_account_for_member
from kizuna.identity.models import Member
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import get_space_access

TEXT_MAX_LENGTH = 1000
NOTES_MAX_LENGTH = 5000
FEEDBACK_MAX_LENGTH = 3000


class CohortError(ValidationError):
    """The cohort or map cannot be changed as asked."""


def _storable(value: str, field: str) -> str:
    """PostgreSQL refuses NUL in text; refuse it here with words rather than fail on write."""
    if "\x00" in value:
        raise CohortError(
            {field: [ValidationError(_("Text cannot contain the NUL character."), code="nul")]}
        )
    return value.strip()


def _required_text(value: str, field: str, limit: int, empty_message: str) -> str:
    value = _storable(value, field)
    if not value:
        raise CohortError({field: [ValidationError(empty_message, code="required")]})
    if len(value) > limit:
        raise CohortError({field: [ValidationError(_("The text is too long."), code="max_length")]})
    return value


# Programmes ---------------------------------------------------------------------------------


def create_programme(
    *,
    actor: Member,
    space: Space,
    title: str,
    owner: Member,
    description: str = "",
    status: str = ProgrammeStatus.PLANNED,
) -> Programme:
    """Staff who manage accounts set up a programme and name the CSM who runs it."""
    if not has_capability(actor, Capability.MANAGE_ACCOUNTS):
        raise PermissionDenied("create_programme")
    title, description = _checked_programme(title, description, owner, status)
    with transaction.atomic():
        programme = Programme.objects.create(
            space=space, title=title, description=description, owner=owner, status=status
        )
        record_audit(actor=actor, action="cohorts.programme_created", target=programme)
    return programme


def _checked_programme(title: str, description: str, owner: Member, status: str) -> tuple[str, str]:
    if not owner.is_staff_member:
        raise CohortError({"owner": [_("The programme is run by a member of staff.")]})
    if status not in ProgrammeStatus.values:
        raise CohortError({"status": [_("Choose a status.")]})
    title = _required_text(title, "title", 120, _("Give the programme a title."))
    description = _storable(description, "description")
    if len(description) > NOTES_MAX_LENGTH:
        raise CohortError({"description": [_("The text is too long.")]})
    return title, description


def update_programme(
    *,
    actor: Member,
    programme: Programme,
    space: Space,
    title: str,
    owner: Member,
    description: str,
    status: str,
) -> Programme:
    """Whoever runs the programme changes its details, hands it to another CSM or moves it.

    Moving it to another space changes who may read it, so the audit log keeps both spaces.
    """
    _check_manage(actor, programme)
    title, description = _checked_programme(title, description, owner, status)
    with transaction.atomic():
        previous_space_id = programme.space_id
        programme.space = space
        programme.title = title
        programme.description = description
        programme.owner = owner
        programme.status = status
        programme.save()
        record_audit(
            actor=actor,
            action="cohorts.programme_updated",
            target=programme,
            details={"space_id": space.pk, "previous_space_id": previous_space_id},
        )
    return programme


def _check_manage(actor: Member, programme: Programme) -> None:
    if not can_manage_programme(actor, programme):
        raise PermissionDenied("manage_programme")


def set_programme_status(*, actor: Member, programme: Programme, status: str) -> Programme:
    _check_manage(actor, programme)
    if status not in ProgrammeStatus.values:
        raise CohortError({"status": [_("Choose a status.")]})
    programme.status = status
    programme.save(update_fields=["status", "updated_at"])
    return programme


def add_session(
    *, actor: Member, programme: Programme, number: int, date: datetime.date, title: str
) -> Session:
    _check_manage(actor, programme)
    title = _required_text(title, "title", 120, _("Give the session a title."))
    if number < 1:
        raise CohortError({"number": [_("Sessions are numbered from 1.")]})
    session, _created = Session.objects.update_or_create(
        programme=programme, number=number, defaults={"date": date, "title": title}
    )
    return session


def update_session(
    *, actor: Member, session: Session, number: int, date: datetime.date, title: str
) -> Session:
    """Move a session to another date or renumber it; two sessions never share a number."""
    _check_manage(actor, session.programme)
    title = _required_text(title, "title", 120, _("Give the session a title."))
    if number < 1:
        raise CohortError({"number": [_("Sessions are numbered from 1.")]})
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=session.programme_id).first()
        taken = Session.objects.filter(programme_id=session.programme_id, number=number)
        if taken.exclude(pk=session.pk).exists():
            raise CohortError({"number": [_("Another session already has this number.")]})
        session.number = number
        session.date = date
        session.title = title
        session.save(update_fields=["number", "date", "title"])
    return session


def enrol_account(*, actor: Member, programme: Programme, account: CustomerAccount) -> None:
    """A customer company takes part; enrolling it again changes nothing."""
    _check_manage(actor, programme)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        if programme.accounts.filter(pk=account.pk).exists():
            return
        programme.accounts.add(account)
        record_audit(
            actor=actor,
            action="cohorts.account_enrolled",
            target=programme,
            details={"programme_id": programme.pk, "account_id": account.pk},
        )


def add_participant(
    *,
    actor: Member,
    programme: Programme,
    member: Member,
    project_title: str,
    account: CustomerAccount | None = None,
) -> ProjectMap:
    """Enrol a member with their project: the map starts at phase 1 with the eight factors blank.

    Enrolling the same member again returns their map. A member who cannot read the
    programme's space could never open their map, so they join the space first. Without an
    account named, the member's own company takes part.
    """
    _check_manage(actor, programme)
    project_title = _required_text(project_title, "title", 120, _("Name the project."))
    if not get_space_access(member, programme.space).can_view_content:
        raise CohortError(
            {
                "member": [
                    _(
                        "This member cannot read the programme's space yet. Add them to the "
                        "space first."
                    )
                ]
            },
            code="no_space_access",
        )
    if account is None:
        account = get_account_for_member(member)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        participant, created = Participant.objects.get_or_create(
            programme=programme, member=member, defaults={"account": account}
        )
        if not created:
            return participant.project_map
        if account is not None:
            programme.accounts.add(account)
        project_map = ProjectMap.objects.create(participant=participant, title=project_title)
        phase = Phase.objects.create(
            project_map=project_map, number=1, session=programme.sessions.order_by("number").first()
        )
        Element.objects.bulk_create(
            Element(phase=phase, kind=ElementKind.FACTOR, factor=factor, position=index)
            for index, factor in enumerate(Factor.values)
        )
        record_audit(
            actor=actor,
            action="cohorts.participant_added",
            target=programme,
            details={"programme_id": programme.pk, "member_id": member.pk},
        )
    return project_map


# Phases -------------------------------------------------------------------------------------


def _decided(actor: Member, project_map: ProjectMap, access: MapAccess | None) -> MapAccess:
    if access is not None and access.project_map.pk == project_map.pk:
        return access
    return map_access(actor, project_map)


def _lock_latest(project_map: ProjectMap) -> Phase:
    ProjectMap.objects.select_for_update().filter(pk=project_map.pk).first()
    phase = Phase.objects.filter(project_map=project_map).order_by("-number").first()
    if phase is None:
        raise CohortError(_("This map has no phase yet."))
    return phase


def _check_latest(phase: Phase) -> None:
    newer = Phase.objects.filter(project_map_id=phase.project_map_id, number__gt=phase.number)
    if newer.exists():
        raise CohortError(
            _("Only the latest phase can be changed; earlier phases are kept as they were."),
            code="not_latest",
        )


def open_next_phase(
    *,
    actor: Member,
    project_map: ProjectMap,
    session: Session | None = None,
    access: MapAccess | None = None,
) -> Phase:
    """Start the next phase (局面) as a deep copy of the latest: every element keeps its lineage,
    measures keep their links, and the notes start empty for the new session.

    Opening a phase for a session that already has one returns that phase (a re-posted form).
    """
    if not _decided(actor, project_map, access).can_edit:
        raise PermissionDenied("open_next_phase")
    with transaction.atomic():
        previous = _lock_latest(project_map)
        if session is not None:
            existing = Phase.objects.filter(project_map=project_map, session=session).first()
            if existing is not None:
                return existing
        phase = Phase.objects.create(
            project_map=project_map, number=previous.number + 1, session=session
        )
        old_elements = list(Element.objects.filter(phase=previous).order_by("id"))
        copies = Element.objects.bulk_create(
            Element(
                phase=phase,
                kind=old.kind,
                lineage=old.lineage,
                text=old.text,
                target=old.target,
                status=old.status,
                factor=old.factor,
                position=old.position,
            )
            for old in old_elements
        )
        copy_of = {old.pk: new.pk for old, new in zip(old_elements, copies, strict=True)}
        links = Element.objects.model.objectives.through
        links.objects.bulk_create(
            links(
                from_element_id=copy_of[link.from_element_id],
                to_element_id=copy_of[link.to_element_id],
            )
            for link in links.objects.filter(from_element__phase=previous)
        )
        record_audit(
            actor=actor,
            action="cohorts.phase_opened",
            target=project_map.participant.programme,
            details={"map_id": project_map.pk, "number": phase.number},
        )
    return phase


def update_phase_notes(
    *,
    actor: Member,
    phase: Phase,
    happened: str,
    results: str,
    decisions: str,
    insight: str,
    access: MapAccess | None = None,
) -> Phase:
    """What happened, the results and the decisions of the latest phase, and its insight."""
    if not _decided(actor, phase.project_map, access).can_edit:
        raise PermissionDenied("update_phase_notes")
    notes = {"happened": happened, "results": results, "decisions": decisions, "insight": insight}
    for name, value in notes.items():
        if len(_storable(value, name)) > NOTES_MAX_LENGTH:
            raise CohortError({name: [_("The text is too long.")]})
    with transaction.atomic():
        _lock_latest(phase.project_map)
        _check_latest(phase)
        for name, value in notes.items():
            setattr(phase, name, value.strip())
        phase.save(update_fields=[*notes, "updated_at"])
    return phase


# Elements -----------------------------------------------------------------------------------


def _objectives_in(phase: Phase, objective_ids: Sequence[int]) -> list[Element]:
    objectives = list(
        Element.objects.filter(phase=phase, kind=ElementKind.OBJECTIVE, pk__in=objective_ids)
    )
    if len(objectives) != len(set(objective_ids)):
        raise CohortError({"objectives": [_("Choose objectives of this phase.")]})
    return objectives


def add_element(
    *,
    actor: Member,
    phase: Phase,
    kind: str,
    text: str,
    target: str = "",
    objective_ids: Sequence[int] = (),
    access: MapAccess | None = None,
) -> Element:
    """Add a goal, winning condition, objective or measure to the latest phase.

    The eight factors are always there (DOMAIN §2), so they are edited, never added. A new
    objective starts as not started; a measure must work towards at least one objective.
    """
    if not _decided(actor, phase.project_map, access).can_edit:
        raise PermissionDenied("add_element")
    if kind not in ElementKind.values or kind == ElementKind.FACTOR:
        raise CohortError({"kind": [_("Choose what to add.")]})
    text = _required_text(text, "text", TEXT_MAX_LENGTH, _("Write the element's text."))
    target = _storable(target, "target")
    with transaction.atomic():
        _lock_latest(phase.project_map)
        _check_latest(phase)
        if kind == ElementKind.GOAL and phase.elements.filter(kind=ElementKind.GOAL).exists():
            raise CohortError(
                {"kind": [_("A map has exactly one goal; edit the one it has.")]}, code="one_goal"
            )
        objectives: list[Element] = []
        if kind == ElementKind.MEASURE:
            objectives = _objectives_in(phase, objective_ids)
            if not objectives:
                raise CohortError(
                    {"objectives": [_("Link the measure to at least one objective.")]}
                )
        position = phase.elements.filter(kind=kind).count()
        element = Element.objects.create(
            phase=phase,
            kind=kind,
            text=text,
            target=target.strip()[:200] if kind == ElementKind.WINNING_CONDITION else "",
            status=ObjectiveStatus.NOT_STARTED if kind == ElementKind.OBJECTIVE else "",
            position=position,
        )
        element.objectives.set(objectives)
    return element


def edit_element(
    *,
    actor: Member,
    element: Element,
    text: str,
    target: str = "",
    objective_ids: Sequence[int] | None = None,
    access: MapAccess | None = None,
) -> Element:
    """Change an element's text (a winning condition's target, a measure's objectives too).

    A factor may be left blank; every other element needs its text.
    """
    phase = element.phase
    if not _decided(actor, phase.project_map, access).can_edit:
        raise PermissionDenied("edit_element")
    target = _storable(target, "target")
    if element.kind == ElementKind.FACTOR:
        text = _storable(text, "text")
        if len(text) > TEXT_MAX_LENGTH:
            raise CohortError({"text": [_("The text is too long.")]})
    else:
        text = _required_text(text, "text", TEXT_MAX_LENGTH, _("Write the element's text."))
    with transaction.atomic():
        _lock_latest(phase.project_map)
        _check_latest(phase)
        element.text = text
        if element.kind == ElementKind.WINNING_CONDITION:
            element.target = target.strip()[:200]
        element.save(update_fields=["text", "target"])
        if element.kind == ElementKind.MEASURE and objective_ids is not None:
            objectives = _objectives_in(phase, objective_ids)
            if not objectives:
                raise CohortError(
                    {"objectives": [_("Link the measure to at least one objective.")]}
                )
            element.objectives.set(objectives)
    return element


def remove_element(*, actor: Member, element: Element, access: MapAccess | None = None) -> None:
    """Take an element off the latest phase; earlier phases keep it. Factors stay (blank them)."""
    phase = element.phase
    if not _decided(actor, phase.project_map, access).can_edit:
        raise PermissionDenied("remove_element")
    if element.kind == ElementKind.FACTOR:
        raise CohortError(_("The eight factors stay on the map; leave a factor blank instead."))
    with transaction.atomic():
        _lock_latest(phase.project_map)
        _check_latest(phase)
        element.delete()


def set_objective_status(
    *, actor: Member, element: Element, status: str, access: MapAccess | None = None
) -> Element:
    phase = element.phase
    if not _decided(actor, phase.project_map, access).can_edit:
        raise PermissionDenied("set_objective_status")
    if element.kind != ElementKind.OBJECTIVE:
        raise CohortError(_("Only intermediate objectives have a progress status."))
    if status not in ObjectiveStatus.values:
        raise CohortError({"status": [_("Choose a progress status.")]})
    with transaction.atomic():
        _lock_latest(phase.project_map)
        _check_latest(phase)
        element.status = status
        element.save(update_fields=["status"])
    return element


# Feedback and knowledge ---------------------------------------------------------------------


def add_feedback(
    *, actor: Member, phase: Phase, body: str, access: MapAccess | None = None
) -> Feedback:
    """Peers and staff who read the programme comment on any phase of a map."""
    _decided(actor, phase.project_map, access)
    body = _required_text(body, "body", FEEDBACK_MAX_LENGTH, _("Write your comment."))
    return Feedback.objects.create(phase=phase, author=actor, body=body)


def _check_promote(actor: Member, access: ProgrammeAccess) -> None:
    if not access.can_promote:
        raise PermissionDenied("promote_to_knowledge")


def promote_feedback_to_knowledge(
    *,
    actor: Member,
    feedback: Feedback,
    title: str,
    body: str,
    kind: str = KnowledgeArticle.Kind.ARTICLE,
    access: ProgrammeAccess | None = None,
) -> KnowledgeArticle:
    """A comment worth keeping becomes a knowledge article in the programme's space, once."""
    programme = feedback.phase.project_map.participant.programme
    decided = access if access is not None else programme_access(actor, programme)
    _check_promote(actor, decided)
    with transaction.atomic():
        Feedback.objects.select_for_update().filter(pk=feedback.pk).first()
        earlier = KnowledgeCapture.objects.filter(feedback=feedback).first()
        if earlier is not None:
            return earlier.article
        article = write_knowledge_article(
            actor=actor,
            space=programme.space,
            kind=kind,
            title=title,
            body=body,
            access=decided.space_access,
        )
        KnowledgeCapture.objects.create(feedback=feedback, article=article)
    return article


def promote_insight_to_knowledge(
    *,
    actor: Member,
    phase: Phase,
    title: str,
    body: str,
    kind: str = KnowledgeArticle.Kind.ARTICLE,
    access: ProgrammeAccess | None = None,
) -> KnowledgeArticle:
    """A phase's insight becomes a knowledge article in the programme's space, once."""
    programme = phase.project_map.participant.programme
    decided = access if access is not None else programme_access(actor, programme)
    _check_promote(actor, decided)
    with transaction.atomic():
        Phase.objects.select_for_update().filter(pk=phase.pk).first()
        earlier = KnowledgeCapture.objects.filter(phase=phase).first()
        if earlier is not None:
            return earlier.article
        article = write_knowledge_article(
            actor=actor,
            space=programme.space,
            kind=kind,
            title=title,
            body=body,
            access=decided.space_access,
        )
        KnowledgeCapture.objects.create(phase=phase, article=article)
    return article
