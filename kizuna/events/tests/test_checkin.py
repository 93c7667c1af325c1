"""Check-in by a signed per-registration QR code, and from the staff registrants list."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from kizuna.activity.models import Activity, Verb
from kizuna.events import checkin
from kizuna.events.access import access_event
from kizuna.events.models import Attendance, Registration, RegistrationStatus
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _scan_path(registration: Registration, code: str | None = None) -> str:
    return reverse(
        "events:check-in", args=[registration.event_id, code or checkin.checkin_code(registration)]
    )


def _attended(registration: Registration) -> int:
    return Activity.objects.filter(
        verb=Verb.ATTENDED, actor=registration.member, object_id=registration.event_id
    ).count()


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(StaffFactory())
    return client


def test_the_code_is_signed_and_names_the_registration() -> None:
    registration = RegistrationFactory()

    code = checkin.checkin_code(registration)

    assert signing.loads(code, salt=checkin.CHECKIN_SALT) == {
        "r": registration.pk,
        "e": registration.event_id,
    }
    access = access_event(StaffFactory(), registration.event_id)
    assert checkin.registration_for_code(access, code) == registration


def test_a_confirmed_registrant_sees_their_qr_code(client: Client) -> None:
    registration = RegistrationFactory()
    client.force_login(registration.member)

    response = client.get(reverse("events:my-checkin-code", args=[registration.event_id]))

    assert response.status_code == 200
    assert 'class="segno"' in response.content.decode()
    assert response.context["qr_svg"] == checkin.checkin_qr_svg(registration)


def test_a_waitlisted_member_gets_no_code_yet(client: Client) -> None:
    registration = RegistrationFactory(status=RegistrationStatus.WAITLISTED)
    client.force_login(registration.member)

    response = client.get(reverse("events:my-checkin-code", args=[registration.event_id]))

    assert response.status_code == 200
    assert 'class="segno"' not in response.content.decode()


def test_staff_see_who_the_code_is_for_before_checking_in(staff_client: Client) -> None:
    registration = RegistrationFactory(member=MemberFactory(display_name="山田 花子"))

    response = staff_client.get(_scan_path(registration))

    assert response.status_code == 200
    assert "山田 花子" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_staff_check_a_member_in_by_their_code(staff_client: Client) -> None:
    registration = RegistrationFactory()

    response = staff_client.post(_scan_path(registration))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.attendance == Attendance.ATTENDED
    assert _attended(registration) == 1


def test_a_second_scan_changes_nothing(staff_client: Client) -> None:
    registration = RegistrationFactory()
    staff_client.post(_scan_path(registration))
    registration.refresh_from_db()
    first = registration.checked_in_at

    response = staff_client.post(_scan_path(registration), follow=True)

    registration.refresh_from_db()
    assert registration.checked_in_at == first
    assert _attended(registration) == 1
    assert "already checked in" in response.content.decode()


def test_a_space_host_checks_members_in() -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    host = MembershipFactory(space=space, role=SpaceRole.HOST).member
    registration = RegistrationFactory(event__space=space)

    result = checkin.check_in(
        actor=host,
        access=access_event(host, registration.event_id),
        registration_id=registration.pk,
    )

    assert result.already is False
    assert result.registration.checked_in_at is not None


def test_a_forged_code_is_refused_with_a_reason(staff_client: Client) -> None:
    registration = RegistrationFactory()
    forged = signing.dumps({"r": registration.pk, "e": registration.event_id}, salt="another")

    response = staff_client.post(_scan_path(registration, forged))

    assert response.status_code == 400
    assert "not a valid check-in code" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_code_for_another_event_is_refused(staff_client: Client) -> None:
    registration = RegistrationFactory()
    other_event = EventFactory()

    response = staff_client.post(
        reverse("events:check-in", args=[other_event.pk, checkin.checkin_code(registration)])
    )

    assert response.status_code == 400
    assert "different event" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_waitlisted_registration_is_not_checked_in(staff_client: Client) -> None:
    registration = RegistrationFactory(status=RegistrationStatus.WAITLISTED)

    response = staff_client.post(_scan_path(registration))

    assert response.status_code == 400
    assert "no confirmed seat" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_member_cannot_check_themself_in(client: Client) -> None:
    registration = RegistrationFactory()
    client.force_login(registration.member)

    opened = client.get(_scan_path(registration))
    posted = client.post(_scan_path(registration))

    assert opened.status_code == 403
    assert posted.status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_check_in_page_of_a_hidden_event_is_not_found(client: Client) -> None:
    registration = RegistrationFactory(event__space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())

    assert client.get(_scan_path(registration)).status_code == 404


def test_staff_check_in_from_the_registrants_list(staff_client: Client) -> None:
    registration = RegistrationFactory()
    back = "/somewhere/on/the/site/"

    response = staff_client.post(
        reverse("events:check-in-registration", args=[registration.event_id, registration.pk]),
        {"next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == back
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED
    assert registration.checked_in_at is not None


def test_a_member_cannot_use_the_staff_check_in_button(client: Client) -> None:
    registration = RegistrationFactory()
    client.force_login(MemberFactory())

    client.post(
        reverse("events:check-in-registration", args=[registration.event_id, registration.pk])
    )

    registration.refresh_from_db()
    assert registration.checked_in_at is None
