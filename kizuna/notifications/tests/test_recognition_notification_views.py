"""Recognition notices in the list, the bell, the API and the email settings page."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Member
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.tests.factories import EnglishMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST_URL = reverse("notifications:notification-list")


@pytest.fixture
def member(client: Client) -> Member:
    member: Member = EnglishMemberFactory()
    client.force_login(member)
    return member


def level_up(member: Member) -> Notification:
    return Notification.objects.create(
        recipient=member,
        kind=NotificationKind.LEVEL_UP,
        target_type="level",
        target_id=2,
        dedupe_key="level:2",
        details={"level_name_ja": "シルバー", "level_name_en": "Silver", "threshold": 100},
    )


def rejection(member: Member) -> Notification:
    return Notification.objects.create(
        recipient=member,
        kind=NotificationKind.REDEMPTION,
        target_type="redemption",
        target_id=7,
        dedupe_key="redemption:7:rejected",
        details={
            "status": "rejected",
            "reward_name": "Coffee ticket",
            "reason": "Out of stock at the supplier",
            "refunded_points": 1,
        },
    )


def test_the_list_shows_a_level_up_with_a_link_that_opens_it(
    client: Client, member: Member
) -> None:
    notification = level_up(member)
    page = client.get(LIST_URL).content.decode()
    assert "You reached the Silver level" in page
    assert reverse("notifications:notification-open", args=[notification.pk]) in page


def test_the_list_shows_a_rejection_with_its_reason(client: Client, member: Member) -> None:
    rejection(member)
    page = client.get(LIST_URL).content.decode()
    assert "“Coffee ticket” was declined; 1 point was returned to you" in page
    assert "Reason: Out of stock at the supplier" in page


def test_opening_a_level_up_marks_it_read_and_shows_the_members_progress(
    client: Client, member: Member
) -> None:
    notification = level_up(member)
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response["Location"] == "/recognition/me/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_badge_notice_goes_to_the_badge(client: Client, member: Member) -> None:
    notification = Notification.objects.create(
        recipient=member,
        kind=NotificationKind.BADGE_EARNED,
        target_type="badge_award",
        target_id=3,
        dedupe_key="badge_award:3",
        details={"badge_slug": "first-answer", "badge_name_en": "First answer"},
    )
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response["Location"] == "/badges/first-answer/"


def test_opening_a_redemption_notice_goes_to_the_members_redemptions(
    client: Client, member: Member
) -> None:
    notification = rejection(member)
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response["Location"] == "/rewards/mine/"


def test_someone_elses_recognition_notice_cannot_be_opened(client: Client, member: Member) -> None:
    notification = level_up(EnglishMemberFactory())
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response.status_code == 404


def test_recognition_notices_count_in_the_bell(client: Client, member: Member) -> None:
    level_up(member)
    rejection(member)
    response = client.get(reverse("notifications:notification-bell"))
    assert response.context["unread_count"] == 2


def test_the_settings_page_offers_each_recognition_kind(client: Client, member: Member) -> None:
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "I reached a new level" in page
    assert "I earned a badge" in page
    assert "Decisions on my reward redemptions" in page


def test_recognition_email_settings_are_saved(client: Client, member: Member) -> None:
    data = {kind: EmailChannel.IMMEDIATE for kind in NotificationKind.values}
    data[NotificationKind.LEVEL_UP] = EmailChannel.OFF
    client.post(reverse("notifications:preferences"), data)
    assert member.notification_preferences.get(kind="level_up").email == EmailChannel.OFF


def test_the_api_lists_a_recognition_notice_with_its_target(client: Client, member: Member) -> None:
    level_up(member)
    response = client.get("/api/notifications")
    [item] = response.json()["items"]
    assert (item["kind"], item["text"]) == ("level_up", "You reached the Silver level")
    assert (item["target_type"], item["target_id"]) == ("level", 2)
