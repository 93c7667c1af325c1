"""The event journey: a member takes an in-person seat at a hybrid event, gets the reminder
email, is checked in by the organiser from the link in their QR code, answers the survey and
sees the attendance points on their recognition page.

Time never passes by waiting: the reminder task is called directly, and "the event day" is
the event's start moved to a few minutes ago in the database.
"""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.mail import link_sent_to, messages_to
from e2e.pages import LoginPage
from e2e.pages.recognition import MyRecognitionPage
from kizuna.events import tasks
from kizuna.events.checkin import checkin_url
from kizuna.events.followup_models import SurveyResponse
from kizuna.events.models import (
    Attendance,
    Event,
    EventFormat,
    Registration,
    RegistrationStatus,
    SeatKind,
)
from kizuna.events.tests.factories import EventFactory
from kizuna.gamification.models import PointRule
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

PASSWORD = "correct horse battery staple"


def sign_in(new_page: Callable[..., Page], email: str) -> Page:
    page = new_page()
    LoginPage(page).open_and_sign_in(email=email, password=PASSWORD)
    return page


def test_a_member_registers_is_reminded_checked_in_answers_the_survey_and_earns_points(
    new_page: Callable[..., Page], screenshot: Screenshot
) -> None:
    space = SpaceFactory(name="クラウド経費ナビ ユーザー会", slug="user-group")
    organiser = MemberFactory(display_name="佐藤 リーダー")
    member = MemberFactory(display_name="山田 花子", language="ja", time_zone="Asia/Tokyo")
    MembershipFactory(space=space, member=organiser, role=SpaceRole.HOST)
    MembershipFactory(space=space, member=member)
    event = EventFactory(
        space=space,
        title="LT大会：私の経費精算カイゼン",
        format=EventFormat.HYBRID,
        starts_at=timezone.now() + timedelta(hours=20),
        online_capacity=30,
        in_person_capacity=10,
        venue_name="ミライソフト本社 セミナールーム",
        venue_address="東京都千代田区大手町1-2-3",
    )
    event_path = reverse("events:event-detail", args=[event.pk])

    # The member takes an in-person seat.
    member_page = sign_in(new_page, member.email)
    member_page.goto(event_path)
    register_form = member_page.locator(f'form[action="{event_path}register/"]')
    register_form.locator(f'input[name="seat"][value="{SeatKind.IN_PERSON}"]').check()
    register_form.locator('button[type="submit"]').click()
    expect(member_page.locator(f'form[action="{event_path}cancel/"]')).to_be_visible()
    registration = Registration.objects.get(event=event, member=member)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.seat == SeatKind.IN_PERSON
    screenshot(member_page, "event-journey-registered")

    # The day before, beat's sweep sends the reminder with the way to the check-in code.
    tasks.send_due_event_reminders.apply()
    reminders = messages_to(member.email)
    assert len(reminders) == 1
    assert event.title in str(reminders[0].subject)
    assert event.venue_name in str(reminders[0].body)
    code_page_path = link_sent_to(
        member.email, path_containing=reverse("events:my-checkin-code", args=[event.pk])
    )

    # The event day: it started a few minutes ago, and the member shows their QR code.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    member_page.goto(code_page_path)
    qr = member_page.locator(".checkin-qr svg")
    expect(qr).to_be_visible()
    # The QR encodes the registration's signed check-in link (signed with a timestamp, so
    # each drawing differs); opening that link is what the organiser's phone camera does.
    screenshot(member_page, "event-journey-qr-code")

    organiser_page = sign_in(new_page, organiser.email)
    organiser_page.goto(urlsplit(checkin_url(registration)).path)
    expect(organiser_page.locator("main")).to_contain_text("山田 花子")
    check_in_button = organiser_page.locator('main form[method="post"] button[type="submit"]')
    check_in_button.click()
    # Once checked in, the page shows when, and offers no second check-in.
    expect(check_in_button).to_have_count(0)
    expect(organiser_page.locator("main .facts dt")).to_have_count(4)
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED
    assert registration.checked_in_at is not None
    screenshot(organiser_page, "event-journey-checked-in")

    # The member answers the survey.
    member_page.goto(reverse("events:event-survey", args=[event.pk]))
    survey = member_page.locator("main form.card")
    survey.locator('input[name="satisfaction"][value="5"]').check()
    survey.locator('input[name="recommend"][value="9"]').check()
    survey.locator('textarea[name="comment"]').fill("他社の運用ルールが具体的で参考になりました。")
    survey.locator('button[type="submit"]').click()
    expect(member_page).not_to_have_url(reverse("events:event-survey", args=[event.pk]))
    response = SurveyResponse.objects.get(registration=registration)
    assert (response.satisfaction, response.recommend) == (5, 9)

    # Attending paid its points, and the member sees them.
    attended_points = PointRule.objects.get(key="event_attended").points
    recognition = MyRecognitionPage(member_page).open()
    expect(recognition.points).to_have_text(str(attended_points))
    expect(recognition.ledger_rows.first).to_contain_text(f"+{attended_points}")
    screenshot(member_page, "event-journey-points")
    assert len(mail.outbox) == 1
