"""Learning cohorts (S5) × every kind of viewer × an open and a private space: every cohort page
and API operation shows a programme and its project maps to the people in it, its CSM and staff,
and to nobody else; only those who run it change it, and only a map's own participant (and the
runners) edit the map.

Each place holds a programme whose title, map, phase insight, session and feedback carry the
place's marker. Who may do what comes from the hand-written table below, not from
kizuna/cohorts/permissions.py. A refused reader gets 403 and a viewer who may not read the
programme gets 404, except on the staff pages, which refuse every non-staff viewer with 403
before looking the programme up.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from kizuna.cohorts import services
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    Feedback,
    KnowledgeCapture,
    ObjectiveStatus,
    Phase,
    Programme,
    ProjectMap,
    Session,
)
from kizuna.cohorts.selectors import latest_phase
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

VIEWERS = [
    "anonymous",
    "outsider",  # signed in, a member of no customer company, not in the space
    "space_member",  # a customer in the programme's space, not in the programme
    "participant",  # the map's own participant
    "peer",  # another participant of the programme
    "owner",  # the CSM who runs the programme
    "staff_manager",  # an administrator: manages accounts and moderates, not the owner
    "staff_reader",  # marketing: reads customer data, manages no account
]
PLACES = {"OPEN": AccessType.OPEN, "PRIVATE": AccessType.PRIVATE}

# Who may, in both places (the hand-written truth).
READERS = {"participant", "peer", "owner", "staff_manager", "staff_reader"}
MAP_EDITORS = {"participant", "owner", "staff_manager"}
RUNNERS = {"owner", "staff_manager"}
# Knowledge articles are written by those who run the programme and moderate its space.
PROMOTERS = {"staff_manager"}
ALLOWED = {
    "read": READERS,
    "edit_map": MAP_EDITORS,
    "comment": READERS,
    "promote": PROMOTERS,
    "run": RUNNERS,
}


def marker(code: str, what: str) -> str:
    return f"COHORT-{code}-{what}"


@dataclass(frozen=True)
class Place:
    code: str
    programme: Programme
    project_map: ProjectMap
    phase: Phase
    objective: Element
    feedback: Feedback
    session: Session
    candidate: Member


@dataclass(frozen=True)
class World:
    clients: dict[str, Client]
    places: dict[str, Place]


def _build_place(code: str, access_type: str, viewers: dict[str, Member]) -> Place:
    space = SpaceFactory(access_type=access_type, slug=f"cohort-matrix-{code.lower()}")
    for kind in ("space_member", "participant", "peer"):
        MembershipFactory(space=space, member=viewers[kind], role=SpaceRole.MEMBER)
    programme = Programme.objects.create(
        space=space, title=marker(code, "PROGRAMME"), owner=viewers["owner"]
    )
    session = Session.objects.create(
        programme=programme, number=1, date="2026-04-10", title=marker(code, "SESSION")
    )
    owner = viewers["owner"]
    project_map = services.add_participant(
        actor=owner,
        programme=programme,
        member=viewers["participant"],
        project_title=marker(code, "MAP"),
    )
    services.add_participant(
        actor=owner, programme=programme, member=viewers["peer"], project_title="隣の会社の計画"
    )
    phase = latest_phase(project_map)
    assert phase is not None
    objective = services.add_element(
        actor=owner, phase=phase, kind=ElementKind.OBJECTIVE, text="全員が毎日入力している状態"
    )
    services.update_phase_notes(
        actor=owner,
        phase=phase,
        happened="",
        results="",
        decisions="",
        insight=marker(code, "INSIGHT"),
    )
    feedback = services.add_feedback(actor=viewers["peer"], phase=phase, body="良い計画です")
    candidate = make_customer(email=f"candidate-{code.lower()}@matrix.example")
    MembershipFactory(space=space, member=candidate)
    return Place(code, programme, project_map, phase, objective, feedback, session, candidate)


def _staff(role: str) -> Member:
    member: Member = StaffFactory(staff_role=role)
    return member


def _make_viewers() -> dict[str, Member]:
    outsider: Member = MemberFactory()
    return {
        "outsider": outsider,
        "space_member": make_customer(),
        "participant": make_customer(),
        "peer": make_customer(),
        "owner": _staff("csm"),
        "staff_manager": _staff("administrator"),
        "staff_reader": _staff("marketing"),
    }


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        viewers = _make_viewers()
        Member.objects.filter(pk__in=[m.pk for m in viewers.values()]).update(language="en")
        places = {code: _build_place(code, kind, viewers) for code, kind in PLACES.items()}
        clients = {"anonymous": Client()}
        for kind, member in viewers.items():
            clients[kind] = Client(HTTP_ACCEPT_LANGUAGE="en")
            clients[kind].force_login(member)
        yield World(clients, places)
        transaction.set_rollback(True)


# ------------------------------------------------------------------------------------- pages

# Pages that show the programme or its map: (URL name, arguments, the marker they show).
READ_PAGES: dict[str, tuple[str, Any, str]] = {
    "programme": ("cohorts:programme-detail", lambda p: [p.programme.pk], "PROGRAMME"),
    "map": ("cohorts:map", lambda p: [p.project_map.pk], "MAP"),
    "diff": ("cohorts:map-diff", lambda p: [p.project_map.pk], "MAP"),
    "review": ("cohorts:map-review", lambda p: [p.project_map.pk], "INSIGHT"),
    "diagram": ("cohorts:phase-diagram", lambda p: [p.project_map.pk, 1], "MAP"),
}
# The diagram is also the fragment the map page swaps in, so a signed-out caller gets a 404
# there, not the sign-in page.
NOT_FOUND_WHEN_SIGNED_OUT = {"diagram"}
# Staff pages of one programme, for those who run it.
RUN_PAGES: dict[str, tuple[str, Any, str]] = {
    "manage": ("cohorts:programme-manage", lambda p: [p.programme.pk], "SESSION"),
    "edit": ("cohorts:programme-edit", lambda p: [p.programme.pk], "PROGRAMME"),
    "session": ("cohorts:session-edit", lambda p: [p.programme.pk, 1], "SESSION"),
}


def expected_status(viewer: str, need: str, *, staff_page: bool = False) -> int:
    if viewer == "anonymous":
        return 302
    if viewer in ALLOWED[need]:
        return 200
    if staff_page or viewer in READERS:
        return 403
    return 404


def _get(world: World, viewer: str, url: str) -> tuple[int, str]:
    response = world.clients[viewer].get(url)
    return response.status_code, response.content.decode(errors="replace")


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_programme_list_shows_a_programme_to_its_readers_only(
    world: World, viewer: str, place: str
) -> None:
    status, body = _get(world, viewer, reverse("cohorts:programme-list"))
    assert status == (302 if viewer == "anonymous" else 200)
    assert (marker(place, "PROGRAMME") in body) is (viewer in READERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", READ_PAGES)
def test_each_reading_page_shows_the_programme_to_its_readers_only(
    world: World, viewer: str, place: str, page: str
) -> None:
    url_name, args, what = READ_PAGES[page]
    status, body = _get(world, viewer, reverse(url_name, args=args(world.places[place])))
    expected = expected_status(viewer, "read")
    if viewer == "anonymous" and page in NOT_FOUND_WHEN_SIGNED_OUT:
        expected = 404
    assert status == expected, (viewer, place, page)
    assert (marker(place, what) in body) is (viewer in READERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", RUN_PAGES)
def test_the_staff_pages_of_a_programme_open_for_those_who_run_it(
    world: World, viewer: str, place: str, page: str
) -> None:
    url_name, args, what = RUN_PAGES[page]
    status, body = _get(world, viewer, reverse(url_name, args=args(world.places[place])))
    assert status == expected_status(viewer, "run", staff_page=True), (viewer, place, page)
    assert (marker(place, what) in body) is (viewer in RUNNERS)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_staff_list_and_the_new_programme_form_are_for_account_managers(
    world: World, viewer: str
) -> None:
    expected = expected_status(viewer, "run", staff_page=True)
    status, body = _get(world, viewer, reverse("cohorts:manage"))
    assert status == expected
    for place in PLACES:
        assert (marker(place, "PROGRAMME") in body) is (viewer in RUNNERS)
    status, body = _get(world, viewer, reverse("cohorts:programme-create"))
    assert status == expected
    assert ('name="title"' in body) is (viewer in RUNNERS)


# ------------------------------------------------------------------------------------ writes


def _post(world: World, viewer: str, url_name: str, args: list[Any], data: dict[str, Any]) -> int:
    return int(world.clients[viewer].post(reverse(url_name, args=args), data).status_code)


def _written_status(viewer: str, need: str, *, staff_page: bool = False) -> int:
    """A write that is allowed redirects back to its page."""
    status = expected_status(viewer, need, staff_page=staff_page)
    return 302 if status == 200 else status


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_participant_and_the_runners_edit_a_map(
    world: World, viewer: str, place: str
) -> None:
    p = world.places[place]
    note = marker(place, f"NOTE-{viewer}")
    status = _post(
        world, viewer, "cohorts:map-edit", [p.project_map.pk, "notes"], {"happened": note}
    )
    assert status == _written_status(viewer, "edit_map")
    assert Phase.objects.filter(pk=p.phase.pk, happened=note).exists() is (viewer in MAP_EDITORS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_reader_and_nobody_else_comments_on_a_map(
    world: World, viewer: str, place: str
) -> None:
    p = world.places[place]
    body = marker(place, f"FEEDBACK-{viewer}")
    status = _post(world, viewer, "cohorts:map-feedback", [p.project_map.pk], {"body": body})
    assert status == _written_status(viewer, "comment")
    assert Feedback.objects.filter(body=body).exists() is (viewer in READERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_runners_who_moderate_the_space_keep_feedback_as_knowledge(
    world: World, viewer: str, place: str
) -> None:
    p = world.places[place]
    status = _post(
        world,
        viewer,
        "cohorts:map-promote",
        [p.project_map.pk],
        {"phase": "1", "feedback": p.feedback.pk, "title": "計画の立て方"},
    )
    assert status == _written_status(viewer, "promote")
    assert KnowledgeCapture.objects.filter(feedback=p.feedback).exists() is (viewer in PROMOTERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_those_who_run_the_programme_change_it(world: World, viewer: str, place: str) -> None:
    p = world.places[place]
    pk = p.programme.pk
    runs = viewer in RUNNERS
    expected = _written_status(viewer, "run", staff_page=True)
    title = marker(place, f"RENAMED-{viewer}")
    details = {
        "title": title,
        "space": p.programme.space_id,
        "owner": p.programme.owner_id,
        "status": "running",
    }
    assert _post(world, viewer, "cohorts:programme-edit", [pk], details) == expected
    assert Programme.objects.filter(pk=pk, title=title).exists() is runs

    session = {"number": 2, "date": "2026-05-10", "title": marker(place, f"S2-{viewer}")}
    assert _post(world, viewer, "cohorts:session-add", [pk], session) == expected
    assert Session.objects.filter(title=session["title"]).exists() is runs

    moved = {"number": 1, "date": "2026-04-17", "title": marker(place, f"S1-{viewer}")}
    assert _post(world, viewer, "cohorts:session-edit", [pk, 1], moved) == expected
    assert Session.objects.filter(title=moved["title"]).exists() is runs

    account = CustomerAccountFactory()
    assert _post(world, viewer, "cohorts:company-add", [pk], {"account": account.pk}) == expected
    assert p.programme.accounts.filter(pk=account.pk).exists() is runs

    enrol = {"member": p.candidate.email, "project_title": "新しい計画"}
    assert _post(world, viewer, "cohorts:participant-add", [pk], enrol) == expected
    assert p.programme.participants.filter(member=p.candidate).exists() is runs


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_account_managers_create_a_programme(world: World, viewer: str) -> None:
    title = f"COHORT-NEW-{viewer}"
    details = {
        "title": title,
        "space": world.places["OPEN"].programme.space_id,
        "owner": world.places["OPEN"].programme.owner_id,
        "status": "planned",
    }
    assert _post(world, viewer, "cohorts:programme-create", [], details) == _written_status(
        viewer, "run", staff_page=True
    )
    assert Programme.objects.filter(title=title).exists() is (viewer in RUNNERS)


# -------------------------------------------------------------------------------------- API


def _api_status(viewer: str, need: str) -> int:
    if viewer == "anonymous":
        return 401
    return expected_status(viewer, need)


API_READS: dict[str, tuple[str, Any, str]] = {
    "api:get_programme": ("/api/cohorts/{}", lambda p: [p.programme.pk], "PROGRAMME"),
    "api:list_maps": ("/api/cohorts/{}/maps", lambda p: [p.programme.pk], "MAP"),
    "api:list_phases": ("/api/cohort-maps/{}/phases", lambda p: [p.project_map.pk], "INSIGHT"),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_lists_a_programme_for_its_readers_only(
    world: World, viewer: str, place: str
) -> None:
    status, body = _get(world, viewer, "/api/cohorts")
    assert status == (401 if viewer == "anonymous" else 200)
    assert (marker(place, "PROGRAMME") in body) is (viewer in READERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("operation", API_READS)
def test_each_api_read_answers_readers_only(
    world: World, viewer: str, place: str, operation: str
) -> None:
    path, args, what = API_READS[operation]
    status, body = _get(world, viewer, path.format(*args(world.places[place])))
    assert status == _api_status(viewer, "read"), (viewer, place, operation)
    assert (marker(place, what) in body) is (viewer in READERS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_sets_an_objective_status_for_map_editors_only(
    world: World, viewer: str, place: str
) -> None:
    p = world.places[place]
    response = world.clients[viewer].post(
        f"/api/cohort-maps/{p.project_map.pk}/objectives/{p.objective.pk}/status",
        {"status": ObjectiveStatus.AT_RISK},
        content_type="application/json",
    )
    assert response.status_code == _api_status(viewer, "edit_map")
    assert Element.objects.filter(pk=p.objective.pk, status=ObjectiveStatus.AT_RISK).exists() is (
        viewer in MAP_EDITORS
    )


# What this matrix asks, for tests/test_url_coverage.py.
EXERCISED_URL_NAMES = frozenset(
    {
        "cohorts:programme-list",
        "cohorts:manage",
        "cohorts:programme-create",
        "cohorts:map-edit",
        "cohorts:map-feedback",
        "cohorts:map-promote",
        "cohorts:session-add",
        "cohorts:company-add",
        "cohorts:participant-add",
        "api:list_programmes",
        "api:set_objective_status",
        *(url_name for url_name, _args, _what in READ_PAGES.values()),
        *(url_name for url_name, _args, _what in RUN_PAGES.values()),
        *API_READS,
    }
)
