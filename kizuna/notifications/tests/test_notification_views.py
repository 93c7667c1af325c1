import datetime

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import ContentStatus, Post, PostType
from kizuna.identity.models import Member
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.tests.factories import EnglishMemberFactory, make_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST_URL = reverse("notifications:notification-list")


def notify(member: Member, post: Post | None = None, **fields: object) -> Notification:
    post = post or make_post(title="Invoice question")
    return Notification.objects.create(
        recipient=member,
        kind=NotificationKind.REPLY,
        actor=EnglishMemberFactory(display_name="Aoi"),
        post=post,
        target_type="answer",
        **fields,
    )


@pytest.fixture
def member(client: Client) -> Member:
    member: Member = EnglishMemberFactory()
    client.force_login(member)
    return member


def test_the_list_shows_the_members_notifications_newest_first(
    client: Client, member: Member
) -> None:
    notify(member, make_post(title="First"))
    notify(member, make_post(title="Second"))
    notify(EnglishMemberFactory(), make_post(title="Someone else's"))
    html = client.get(LIST_URL).content.decode()
    assert html.index("Aoi answered “Second”") < html.index("Aoi answered “First”")
    assert "Someone else" not in html


def test_the_list_has_an_empty_state(client: Client, member: Member) -> None:
    html = client.get(LIST_URL).content.decode()
    assert "No notifications yet." in html


def test_the_list_needs_sign_in(client: Client) -> None:
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_does_not_name_a_post_the_member_can_no_longer_see(
    client: Client, member: Member
) -> None:
    notify(member, make_post(title="Secret plans", status=ContentStatus.HIDDEN))
    html = client.get(LIST_URL).content.decode()
    assert "Secret plans" not in html
    assert "Someone replied in “a post you cannot see”" in html


def test_a_redacted_notification_names_nobody_and_gives_only_the_day(
    client: Client, member: Member
) -> None:
    at = datetime.datetime(2025, 3, 4, 4, 27, tzinfo=datetime.UTC)  # 13:27 in Tokyo
    notification = notify(member, make_post(title="Secret plans", status=ContentStatus.HIDDEN))
    Notification.objects.filter(pk=notification.pk).update(created_at=at)
    html = client.get(LIST_URL).content.decode()
    assert "Someone replied in “a post you cannot see”" in html
    assert "Aoi" not in html
    assert '<time datetime="2025-03-04">2025-03-04</time>' in html
    assert "13:27" not in html and "04:27" not in html


def test_the_list_runs_a_fixed_number_of_queries(
    client: Client, member: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    notify(member)
    # session, member, customer check of the visibility rule, page count, unread count,
    # the page with actor, post and visibility in one query
    with django_assert_num_queries(6):
        client.get(LIST_URL)
    for _ in range(10):
        notify(member)
    with django_assert_num_queries(6):
        client.get(LIST_URL)


def test_the_list_with_htmx_returns_the_fragment(client: Client, member: Member) -> None:
    notify(member)
    html = client.get(LIST_URL, **HTMX).content.decode()
    assert html.startswith('<div id="notification-list">')
    assert "<html" not in html


def test_the_page_shows_the_unread_count_in_the_bell(client: Client, member: Member) -> None:
    notify(member)
    notify(member)
    html = client.get(LIST_URL).content.decode()
    assert '<span class="notification-count">2<' in html


def test_the_bell_loads_its_count_with_one_count_query(
    client: Client, member: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    notify(member)
    notify(member, read_at="2026-01-01T00:00:00Z")
    with django_assert_num_queries(3):  # session, member, count
        html = client.get(reverse("notifications:notification-bell")).content.decode()
    assert '<span class="notification-count">1<' in html


def test_other_pages_show_a_bell_that_loads_itself(client: Client, member: Member) -> None:
    html = client.get(reverse("spaces:space-list")).content.decode()
    assert f'hx-get="{reverse("notifications:notification-bell")}"' in html


def test_signed_out_visitors_see_no_bell(client: Client) -> None:
    html = client.get(reverse("spaces:space-list")).content.decode()
    assert "notification-bell" not in html


def test_mark_one_read_without_js_redirects_back(client: Client, member: Member) -> None:
    notification = notify(member)
    url = reverse("notifications:notification-read", args=[notification.pk])
    response = client.post(url, {"next": LIST_URL + "?page=1"})
    assert (response.status_code, response["Location"]) == (302, LIST_URL + "?page=1")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_read_ignores_a_foreign_next(client: Client, member: Member) -> None:
    notification = notify(member)
    url = reverse("notifications:notification-read", args=[notification.pk])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == LIST_URL


def test_mark_one_read_with_htmx_returns_the_item_and_the_bell(
    client: Client, member: Member
) -> None:
    notification = notify(member)
    notify(member)
    url = reverse("notifications:notification-read", args=[notification.pk])
    html = client.post(url, **HTMX).content.decode()
    assert html.startswith(f'<li id="notification-{notification.pk}" class="notification-item">')
    assert 'id="notification-bell"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="notification-count">1<' in html


def test_someone_elses_notification_cannot_be_marked_read(client: Client, member: Member) -> None:
    notification = notify(EnglishMemberFactory())
    url = reverse("notifications:notification-read", args=[notification.pk])
    assert client.post(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_without_js(client: Client, member: Member) -> None:
    notify(member)
    notify(member)
    response = client.post(reverse("notifications:notification-read-all"), follow=True)
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_mark_all_read_with_htmx_returns_the_list_and_an_empty_bell(
    client: Client, member: Member
) -> None:
    notify(member)
    html = client.post(reverse("notifications:notification-read-all"), **HTMX).content.decode()
    assert html.startswith('<div id="notification-list">')
    assert 'hx-swap-oob="true"' in html and "notification-count" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(
    client: Client, member: Member
) -> None:
    notification = notify(member)
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_of_a_hidden_post_goes_back_to_the_list(
    client: Client, member: Member
) -> None:
    notification = notify(member, make_post(status=ContentStatus.HIDDEN))
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response["Location"] == LIST_URL


def test_preferences_show_the_defaults(client: Client, member: Member) -> None:
    response = client.get(reverse("notifications:preferences"))
    form = response.context["form"]
    assert form.initial == {
        "reply": "immediate",
        "mention": "immediate",
        "accepted": "immediate",
        "followed": "daily_digest",
        "moderation": "immediate",
        "level_up": "immediate",
        "badge_earned": "daily_digest",
        "redemption": "immediate",
    }


def test_preferences_are_saved(client: Client, member: Member) -> None:
    data = {kind: EmailChannel.IMMEDIATE for kind in NotificationKind.values}
    data["followed"] = EmailChannel.OFF
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Your email preferences are saved." in response.content.decode()
    assert NotificationPreference.objects.get(member=member, kind="followed").email == "off"


def test_preferences_reject_an_unknown_channel(client: Client, member: Member) -> None:
    data = {kind: "carrier_pigeon" for kind in NotificationKind.values}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 400
    assert NotificationPreference.objects.count() == 0


def test_a_reply_to_a_discussion_is_not_called_an_answer(client: Client, member: Member) -> None:
    discussion = make_post(title="Roadmap talk")
    Post.objects.filter(pk=discussion.pk).update(post_type=PostType.DISCUSSION)
    discussion.refresh_from_db()
    notify(member, discussion)
    notify(member, make_post(title="How to export"))
    html = client.get(LIST_URL).content.decode()
    assert "Aoi replied in “Roadmap talk”" in html
    assert "Aoi answered “How to export”" in html
