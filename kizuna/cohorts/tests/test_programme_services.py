import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kizuna.cohorts import services
from kizuna.cohorts.models import ProgrammeStatus
from kizuna.cohorts.tests.factories import ProgrammeFactory, SessionFactory
from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_the_csm_edits_the_programme_and_hands_it_to_another_csm() -> None:
    programme = ProgrammeFactory(status=ProgrammeStatus.PLANNED)
    successor = StaffFactory(staff_role="csm")
    space = SpaceFactory()

    services.update_programme(
        actor=programme.owner,
        programme=programme,
        space=space,
        title="  第2期  ",
        owner=successor,
        description="半年間",
        status=ProgrammeStatus.RUNNING,
    )

    programme.refresh_from_db()
    assert (programme.title, programme.owner, programme.space) == ("第2期", successor, space)
    assert programme.status == ProgrammeStatus.RUNNING
    assert AuditEntry.objects.filter(action="cohorts.programme_updated").count() == 1


def test_a_programme_is_run_by_staff_and_edited_only_by_its_runners() -> None:
    programme = ProgrammeFactory()
    details = {
        "programme": programme,
        "space": programme.space,
        "title": "x",
        "description": "",
        "status": ProgrammeStatus.RUNNING,
    }

    with pytest.raises(services.CohortError):
        services.update_programme(actor=programme.owner, owner=MemberFactory(), **details)
    with pytest.raises(PermissionDenied):
        services.update_programme(
            actor=StaffFactory(staff_role="marketing"), owner=programme.owner, **details
        )
    with pytest.raises(services.CohortError):
        services.update_programme(
            actor=programme.owner, owner=programme.owner, **{**details, "status": "paused"}
        )


def test_a_session_is_renumbered_unless_the_number_is_taken() -> None:
    first = SessionFactory(number=1)
    second = SessionFactory(programme=first.programme, number=2)
    owner = first.programme.owner

    with pytest.raises(services.CohortError):
        services.update_session(
            actor=owner, session=second, number=1, date=second.date, title="第2回"
        )
    services.update_session(
        actor=owner, session=second, number=3, date=datetime.date(2026, 5, 1), title="第3回"
    )

    second.refresh_from_db()
    assert (second.number, second.date, second.title) == (3, datetime.date(2026, 5, 1), "第3回")


def test_enrolling_a_company_twice_enrols_it_once() -> None:
    programme = ProgrammeFactory()
    account = CustomerAccountFactory()

    services.enrol_account(actor=programme.owner, programme=programme, account=account)
    services.enrol_account(actor=programme.owner, programme=programme, account=account)

    assert list(programme.accounts.all()) == [account]
    assert AuditEntry.objects.filter(action="cohorts.account_enrolled").count() == 1
    with pytest.raises(PermissionDenied):
        services.enrol_account(actor=MemberFactory(), programme=programme, account=account)


def test_a_participant_must_read_the_space_and_brings_their_own_company() -> None:
    # A private space is read by customers; a member of no customer company is kept out.
    programme = ProgrammeFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    outsider = MemberFactory()
    customer = make_customer()

    with pytest.raises(services.CohortError) as refused:
        services.add_participant(
            actor=programme.owner, programme=programme, member=outsider, project_title="営業DX"
        )
    assert "member" in refused.value.message_dict

    project_map = services.add_participant(
        actor=programme.owner, programme=programme, member=customer, project_title="営業DX"
    )

    account = customer.account_link.account
    assert project_map.participant.account == account
    assert list(programme.accounts.all()) == [account]


def test_text_with_a_nul_character_is_refused_in_words() -> None:
    programme = ProgrammeFactory()
    member = MemberFactory()
    project_map = services.add_participant(
        actor=programme.owner, programme=programme, member=member, project_title="営業DX"
    )
    phase = project_map.phases.get()

    with pytest.raises(services.CohortError) as refused:
        services.update_phase_notes(
            actor=member, phase=phase, happened="a\x00b", results="", decisions="", insight=""
        )
    assert [error.code for error in refused.value.error_dict["happened"]] == ["nul"]
    with pytest.raises(services.CohortError):
        services.add_feedback(actor=member, phase=phase, body="\x00")
