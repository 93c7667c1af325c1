"""Notifications through the API: one's own only, the bell's count, and no hidden titles."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kizuna.identity.models import ApiKey, Member
from kizuna.notifications.models import Notification, NotificationKind
from tests.api.conftest import error_of
from tests.api.forum_fixtures import SECRET_TITLE, Forum, count_queries

pytestmark = pytest.mark.django_db


def _notify(forum: Forum, recipient: Member, post: Any, **fields: Any) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind=NotificationKind.REPLY,
        actor=forum.author,
        post=post,
        target_type="answer",
        target_id=1,
        **fields,
    )


def test_member_lists_their_notifications_newest_first(forum: Forum) -> None:
    older = _notify(forum, forum.member, forum.public_post)
    newer = _notify(forum, forum.member, forum.secret_post)
    _notify(forum, forum.outsider, forum.public_post)

    body = forum.client("member").get("/api/notifications").json()

    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["count"] == 2
    assert body["unread_count"] == 2
    assert "請求書を発行する手順" in body["items"][1]["text"]


def test_notification_about_a_post_no_longer_visible_names_nothing(forum: Forum) -> None:
    at = datetime.datetime(2025, 3, 4, 4, 27, 15, tzinfo=datetime.UTC)
    notification = _notify(forum, forum.outsider, forum.secret_post)
    Notification.objects.filter(pk=notification.pk).update(created_at=at)

    response = forum.client("outsider").get("/api/notifications")

    item = response.json()["items"][0]
    assert item["post_id"] is None
    assert item["target_id"] is None
    assert item["actor"] is None
    assert item["created_at"] == "2025-03-04T00:00:00Z"
    assert forum.author.name not in item["text"]
    assert SECRET_TITLE not in response.content.decode()


def test_unread_count_and_unread_filter(forum: Forum) -> None:
    _notify(forum, forum.member, forum.public_post)
    _notify(forum, forum.member, forum.public_post, read_at=timezone.now())
    api = forum.client("member")

    assert api.get("/api/notifications/unread-count").json() == {"unread_count": 1}
    assert api.get("/api/notifications", unread="true").json()["count"] == 1


def test_mark_one_read(forum: Forum) -> None:
    notification = _notify(forum, forum.member, forum.public_post)

    response = forum.client("member").post(f"/api/notifications/{notification.pk}/read")

    assert response.status_code == 200
    assert response.json()["is_unread"] is False
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404_and_stays_unread(forum: Forum) -> None:
    notification = _notify(forum, forum.outsider, forum.public_post)

    response = forum.client("member").post(f"/api/notifications/{notification.pk}/read")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(forum: Forum) -> None:
    for _ in range(3):
        _notify(forum, forum.member, forum.public_post)
    other = _notify(forum, forum.outsider, forum.public_post)

    response = forum.client("member").post("/api/notifications/read-all")

    assert response.json() == {"marked": 3}
    other.refresh_from_db()
    assert other.read_at is None


def test_notification_list_query_count_does_not_grow(
    forum: Forum, django_assert_num_queries: Any
) -> None:
    api = forum.client("member")
    _notify(forum, forum.member, forum.public_post)
    api.get("/api/notifications")
    baseline = count_queries(lambda: api.get("/api/notifications"))
    for _ in range(5):
        _notify(forum, forum.member, forum.secret_post)

    with django_assert_num_queries(baseline):
        response = api.get("/api/notifications")

    assert response.json()["count"] == 6


def test_read_scope_cannot_mark_read(forum: Forum, key_client: Any, staff: Member) -> None:
    notification = _notify(forum, staff, forum.public_post)
    api = key_client(staff, [ApiKey.Scope.NOTIFICATIONS_READ])

    listed = api.get("/api/notifications")
    marked = api.post(f"/api/notifications/{notification.pk}/read")

    assert listed.json()["count"] == 1
    assert marked.status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None
