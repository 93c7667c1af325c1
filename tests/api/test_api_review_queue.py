"""The review queue and flags through the API: scoped to moderated spaces, audited, reasoned."""

from typing import Any

import pytest

from kizuna.content.models import ContentStatus, Post
from kizuna.core.models import AuditEntry
from kizuna.identity.models import ApiKey
from kizuna.moderation.models import Flag, MemberWarning, ReviewItem
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory
from tests.api.conftest import error_of
from tests.api.forum_fixtures import Forum, count_queries, make_post

pytestmark = pytest.mark.django_db


def _queue(post: Post) -> ReviewItem:
    return ReviewItem.objects.create(
        space=post.space, post=post, source=ReviewItem.Source.RULE, reasons=["campaign"]
    )


def test_moderator_lists_the_pending_queue(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").get("/api/review-queue")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == item.pk
    assert body["items"][0]["kind"] == "post"
    assert body["items"][0]["reasons"] == ["campaign"]


def test_moderator_sees_no_items_of_spaces_they_do_not_moderate(forum: Forum) -> None:
    other = SpaceFactory(access_type=AccessType.OPEN)
    _queue(make_post(other, forum.author, status=ContentStatus.HELD))

    response = forum.client("moderator").get("/api/review-queue")

    assert response.json()["count"] == 0


def test_plain_member_is_refused_the_queue(forum: Forum) -> None:
    _queue(forum.held_post)

    response = forum.client("member").get("/api/review-queue")

    assert response.status_code == 403
    assert error_of(response)["code"] == "moderate"


def test_queue_query_count_does_not_grow(forum: Forum, django_assert_num_queries: Any) -> None:
    api = forum.client("moderator")
    _queue(forum.held_post)
    api.get("/api/review-queue")
    baseline = count_queries(lambda: api.get("/api/review-queue"))
    for _ in range(5):
        _queue(make_post(forum.closed_space, forum.author, status=ContentStatus.HELD))

    with django_assert_num_queries(baseline):
        response = api.get("/api/review-queue")

    assert response.json()["count"] == 6


def test_moderator_approves_a_held_post(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").post(f"/api/review-queue/{item.pk}/approve", {})

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert response.json()["action"] == "approve"
    forum.held_post.refresh_from_db()
    assert forum.held_post.status == ContentStatus.PUBLISHED


def test_hide_without_reason_gets_422_and_changes_nothing(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").post(f"/api/review-queue/{item.pk}/hide", {"reason": " "})

    assert response.status_code == 422
    assert "reason" in error_of(response)["fields"]
    forum.held_post.refresh_from_db()
    assert forum.held_post.status == ContentStatus.HELD
    assert not AuditEntry.objects.filter(action__startswith="moderation.").exists()


def test_moderator_hides_with_a_reason_that_is_audited(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").post(
        f"/api/review-queue/{item.pk}/hide", {"reason": "宣伝です"}
    )

    assert response.status_code == 200
    assert response.json()["content_status"] == "hidden"
    assert AuditEntry.objects.filter(reason="宣伝です").exists()


def test_member_cannot_act_on_an_item_and_it_is_404(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("member").post(
        f"/api/review-queue/{item.pk}/delete", {"reason": "消す"}
    )

    assert response.status_code == 404
    forum.held_post.refresh_from_db()
    assert forum.held_post.status == ContentStatus.HELD


def test_moderator_locks_moves_and_warns(forum: Forum) -> None:
    item = _queue(forum.held_post)
    api = forum.client("moderator")

    locked = api.post(f"/api/review-queue/{item.pk}/lock", {"reason": "荒れています"})
    moved = api.post(
        f"/api/review-queue/{item.pk}/move", {"to_space": "closed-forum", "reason": "別の場所"}
    )
    warned = api.post(f"/api/review-queue/{item.pk}/warn", {"message": "宣伝は控えてください"})

    assert locked.status_code == moved.status_code == warned.status_code == 200
    assert moved.json()["space"] == "closed-forum"
    forum.held_post.refresh_from_db()
    assert forum.held_post.is_locked
    assert forum.held_post.space == forum.closed_space
    assert MemberWarning.objects.get().member == forum.author


def test_move_to_an_unknown_space_gets_422(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").post(
        f"/api/review-queue/{item.pk}/move", {"to_space": "nowhere", "reason": "x"}
    )

    assert response.status_code == 422
    assert "to_space" in error_of(response)["fields"]


def test_space_moderator_cannot_suspend(forum: Forum) -> None:
    item = _queue(forum.held_post)

    response = forum.client("moderator").post(
        f"/api/review-queue/{item.pk}/suspend", {"reason": "spam"}
    )

    assert response.status_code == 403
    forum.author.refresh_from_db()
    assert forum.author.is_active


def test_read_scope_cannot_act(forum: Forum, key_client: Any, staff: Any) -> None:
    item = _queue(forum.held_post)
    api = key_client(staff, [ApiKey.Scope.MODERATION_READ])

    listed = api.get("/api/review-queue")
    acted = api.post(f"/api/review-queue/{item.pk}/approve", {})

    assert listed.json()["count"] == 1
    assert acted.status_code == 403
    assert error_of(acted)["code"] == "missing_scope"


def test_member_flags_a_post(forum: Forum) -> None:
    response = forum.client("member").post(
        "/api/flags", {"kind": "post", "id": forum.public_post.pk, "reason": "spam"}
    )

    assert response.status_code == 201
    assert response.json()["status"] == "open"
    assert Flag.objects.get().member == forum.member


def test_flagging_a_post_one_cannot_see_is_404(forum: Forum) -> None:
    response = forum.client("outsider").post(
        "/api/flags", {"kind": "post", "id": forum.secret_post.pk, "reason": "spam"}
    )

    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_flag_with_an_unknown_reason_gets_422(forum: Forum) -> None:
    response = forum.client("member").post(
        "/api/flags", {"kind": "post", "id": forum.public_post.pk, "reason": "boring"}
    )

    assert response.status_code == 422
    assert not Flag.objects.exists()


def test_flagging_past_the_rate_limit_gets_429_in_the_envelope(forum: Forum, settings: Any) -> None:
    settings.KIZUNA_RATE_LIMITS = {"flag": (0, 3600)}

    response = forum.client("member").post(
        "/api/flags", {"kind": "post", "id": forum.public_post.pk, "reason": "spam"}
    )

    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert not Flag.objects.exists()
