from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import ContentStatus, Revision
from kizuna.core.models import AuditEntry
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation import holds, services
from kizuna.moderation.models import Flag, Hold, MemberWarning, ReviewItem
from kizuna.moderation.rules import RuleDecision
from kizuna.moderation.selectors import moderation_decision
from kizuna.moderation.tasks import sweep_unqueued_holds
from kizuna.moderation.tests.factories import AnswerFactory, PostFactory, ReviewItemFactory
from kizuna.notifications.models import Notification
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def indexed() -> Iterator[mock.MagicMock]:
    with mock.patch("kizuna.search.tasks.index_post.delay") as delay:
        yield delay


def space_moderator(space: Space) -> Member:
    return MembershipFactory(space=space, role=SpaceRole.MODERATOR).member


def audit(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=f"moderation.{action}")


def test_approve_publishes_resolves_and_audits(
    django_capture_on_commit_callbacks: Any, indexed: mock.MagicMock
) -> None:
    item = ReviewItemFactory()
    moderator = space_moderator(item.space)
    Flag.objects.create(member=MemberFactory(), post=item.post, reason="spam")

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_item(actor=moderator, item=item, reason="宣伝ではない")

    item.refresh_from_db()
    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.PUBLISHED
    assert (item.status, item.action, item.resolved_by) == ("resolved", "approve", moderator)
    assert not Flag.objects.filter(status="open").exists()
    entry = audit("approve")
    assert (entry.actor, entry.target_id, entry.reason) == (
        moderator,
        str(item.post.pk),
        "宣伝ではない",
    )
    indexed.assert_called_once_with(item.post.pk)


def test_hide_requires_a_reason_the_author_can_read(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()
    moderator = StaffFactory(staff_role="moderator")

    with pytest.raises(ValidationError):
        services.hide_item(actor=moderator, item=item, reason=" ")
    services.hide_item(actor=moderator, item=item, reason="Off topic for this space")

    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.HIDDEN
    decision = moderation_decision(item.post)
    assert decision is not None
    assert decision["reason"] == "Off topic for this space"
    assert audit("hide").reason == "Off topic for this space"


def test_delete_marks_the_content_deleted(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()

    services.delete_item(actor=StaffFactory(), item=item, reason="spam")

    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.DELETED
    assert audit("delete").target_id == str(item.post.pk)


def test_resolving_twice_with_the_same_action_is_harmless(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()
    staff = StaffFactory()
    services.approve_item(actor=staff, item=item)

    services.approve_item(actor=staff, item=item)

    assert AuditEntry.objects.filter(action="moderation.approve").count() == 1


def test_a_resolved_item_cannot_be_resolved_differently(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()
    staff = StaffFactory()
    services.approve_item(actor=staff, item=item)

    with pytest.raises(ValidationError):
        services.hide_item(actor=staff, item=item, reason="late")

    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.PUBLISHED


def test_edit_keeps_the_previous_text_as_a_revision(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory(post__title="【期間限定】割引", post__body="お問い合わせはこちら")
    staff = StaffFactory()

    services.edit_item_content(
        actor=staff, item=item, title="製品の紹介", body="機能の説明", reason="宣伝部分を削除"
    )

    item.post.refresh_from_db()
    assert (item.post.title, item.post.body) == ("製品の紹介", "機能の説明")
    revision = Revision.objects.get(post=item.post)
    assert (revision.title, revision.body, revision.reason, revision.editor) == (
        "【期間限定】割引",
        "お問い合わせはこちら",
        "宣伝部分を削除",
        staff,
    )
    assert audit("edit").reason == "宣伝部分を削除"


def test_edit_of_an_answer(indexed: mock.MagicMock) -> None:
    answer = AnswerFactory(status=ContentStatus.HELD)
    item = ReviewItem.objects.create(space=answer.post.space, answer=answer, source="rule")

    services.edit_item_content(actor=StaffFactory(), item=item, title="", body="直した", reason="r")

    answer.refresh_from_db()
    assert answer.body == "直した"
    assert Revision.objects.get(answer=answer).body == "管理画面から変更できます。"


def test_lock_and_unlock_the_thread(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()
    staff = StaffFactory()

    services.lock_post(actor=staff, item=item, reason="荒れているため")
    item.post.refresh_from_db()
    assert item.post.is_locked
    services.unlock_post(actor=staff, item=item)
    item.post.refresh_from_db()

    assert not item.post.is_locked
    assert audit("lock").reason == "荒れているため"
    assert audit("unlock").actor == staff


def test_move_to_a_space_the_moderator_may_post_in(indexed: mock.MagicMock) -> None:
    item = ReviewItemFactory()
    moderator = space_moderator(item.space)
    destination = SpaceFactory()
    answer = AnswerFactory(post=item.post, status=ContentStatus.HELD)
    answer_item = ReviewItem.objects.create(space=item.space, answer=answer, source="rule")
    old_space_id = item.space_id

    services.move_post(actor=moderator, item=item, to_space=destination, reason="場所違い")

    item.post.refresh_from_db()
    answer_item.refresh_from_db()
    assert item.post.space == destination
    assert answer_item.space == destination
    assert audit("move").details["from_space"] == old_space_id


def test_move_refuses_a_space_the_moderator_cannot_see(indexed: mock.MagicMock) -> None:

    item = ReviewItemFactory()
    moderator = space_moderator(item.space)
    hidden = SpaceFactory(access_type=AccessType.PRIVATE)

    with pytest.raises(ValidationError):
        services.move_post(actor=moderator, item=item, to_space=hidden, reason="x")

    item.post.refresh_from_db()
    assert item.post.space == item.space
    assert not AuditEntry.objects.filter(action="moderation.move").exists()


def test_warn_the_author_leaves_an_in_app_message() -> None:
    item = ReviewItemFactory()
    staff = StaffFactory()

    warning = services.warn_author(actor=staff, item=item, message="宣伝投稿はご遠慮ください")

    assert MemberWarning.objects.get() == warning
    assert (warning.member, warning.message) == (item.post.author, "宣伝投稿はご遠慮ください")
    assert audit("warn").target_id == str(item.post.author_id)


def test_staff_suspend_the_author_with_reason_and_duration() -> None:
    item = ReviewItemFactory()
    staff = StaffFactory(staff_role="moderator")

    services.suspend_author(actor=staff, item=item, reason="繰り返しの宣伝", duration_note="30日")

    author = Member.objects.get(pk=item.post.author_id)
    assert not author.is_active
    entry = audit("suspend")
    assert (entry.reason, entry.details["duration"]) == ("繰り返しの宣伝", "30日")


def test_space_moderators_cannot_suspend() -> None:
    item = ReviewItemFactory()

    with pytest.raises(PermissionDenied):
        services.suspend_author(actor=space_moderator(item.space), item=item, reason="x")

    assert Member.objects.get(pk=item.post.author_id).is_active
    assert not AuditEntry.objects.exists()


def test_staff_accounts_cannot_be_suspended_from_the_queue() -> None:
    item = ReviewItemFactory(post__author=StaffFactory(staff_role="marketing"))

    with pytest.raises(ValidationError):
        services.suspend_author(actor=StaffFactory(), item=item, reason="x")

    assert Member.objects.get(pk=item.post.author_id).is_active


ACTIONS = [
    lambda actor, item: services.approve_item(actor=actor, item=item),
    lambda actor, item: services.hide_item(actor=actor, item=item, reason="r"),
    lambda actor, item: services.delete_item(actor=actor, item=item, reason="r"),
    lambda actor, item: services.edit_item_content(
        actor=actor, item=item, title="t", body="b", reason="r"
    ),
    lambda actor, item: services.lock_post(actor=actor, item=item, reason="r"),
    lambda actor, item: services.move_post(
        actor=actor, item=item, to_space=SpaceFactory(), reason="r"
    ),
    lambda actor, item: services.warn_author(actor=actor, item=item, message="m"),
    lambda actor, item: services.suspend_author(actor=actor, item=item, reason="r"),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["member", "moderator_elsewhere", "non_moderating_staff"])
def test_actions_are_denied_to_non_moderators_and_change_nothing(
    action: Callable[[Member, ReviewItem], object], who: str
) -> None:
    item = ReviewItemFactory()
    actor = {
        "member": lambda: MembershipFactory(space=item.space).member,
        "moderator_elsewhere": lambda: space_moderator(SpaceFactory()),
        "non_moderating_staff": lambda: StaffFactory(staff_role="sales"),
    }[who]()
    before = PostFactory._meta.model.objects.values().get(pk=item.post.pk)

    with pytest.raises(PermissionDenied):
        action(actor, item)

    assert PostFactory._meta.model.objects.values().get(pk=item.post.pk) == before
    item.refresh_from_db()
    assert item.status == "open"
    assert not AuditEntry.objects.exists()
    assert not MemberWarning.objects.exists()
    assert not Revision.objects.exists()


def test_hold_for_review_then_resubmit_marks_the_item_resubmitted() -> None:
    post = PostFactory(status=ContentStatus.HELD)

    first = holds.hold_for_review(target=post, reasons=["a"])
    again = holds.hold_for_review(target=post, reasons=["b"])

    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.status, again.reasons) == ("resubmitted", ["b"])


def test_sweep_queues_held_content_that_nobody_queued() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["理由"])
    PostFactory()

    assert holds.sweep_unqueued_holds() == 1
    assert holds.sweep_unqueued_holds() == 0
    assert ReviewItem.objects.get().reasons == ["理由"]
    assert ReviewItem.objects.get().post == post


def test_approving_a_held_post_tells_its_author_and_fans_out(
    django_capture_on_commit_callbacks: Any, indexed: mock.MagicMock
) -> None:

    item = ReviewItemFactory()
    activity = Activity.objects.create(
        actor=item.post.author, verb=Verb.POSTED, object_type="post", object_id=item.post.pk
    )
    with (
        mock.patch("kizuna.notifications.tasks.fan_out_activity.delay") as fan_out,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.approve_item(actor=StaffFactory(), item=item, reason="OK")

    fan_out.assert_called_once_with(activity.pk)
    notification = Notification.objects.get(recipient=item.post.author)
    assert notification.details == {"outcome": "approved", "reason": "OK"}


def test_hiding_an_answer_recounts_the_thread(indexed: mock.MagicMock) -> None:
    post = PostFactory(answer_count=1)
    answer = AnswerFactory(post=post)
    item = ReviewItem.objects.create(space=post.space, answer=answer, source="flag")

    services.hide_item(actor=StaffFactory(), item=item, reason="abusive")

    post.refresh_from_db()
    assert post.answer_count == 0


def test_a_flag_hold_is_marked_so_an_edit_does_not_release_it() -> None:
    post = PostFactory()

    for _ in range(3):
        services.flag_content(member=MemberFactory(), target=post, reason="spam")

    post.refresh_from_db()
    assert Hold.objects.get(post=post).source == Hold.Source.FLAGS


def test_the_authors_edit_still_held_marks_the_item_resubmitted() -> None:
    item = ReviewItemFactory()

    holds.judge(item.post, RuleDecision(is_held=True, reasons=["新しい理由"]), edited=True)

    item.refresh_from_db()
    assert (item.status, item.reasons) == ("resubmitted", ["新しい理由"])


def test_the_authors_edit_that_publishes_closes_the_rule_item() -> None:
    item = ReviewItemFactory()

    holds.judge(item.post, RuleDecision(), edited=True)

    item.refresh_from_db()
    assert item.post.status == ContentStatus.PUBLISHED
    assert (item.status, item.action) == ("resolved", "dismiss")
    assert audit("dismiss").target_id == str(item.post.pk)


def test_only_the_warned_member_marks_a_warning_read() -> None:
    item = ReviewItemFactory()
    warning = services.warn_author(actor=StaffFactory(), item=item, message="注意")

    with pytest.raises(PermissionDenied):
        services.mark_warning_read(member=MemberFactory(), warning=warning)
    services.mark_warning_read(member=item.post.author, warning=warning)

    assert warning.read_at is not None


def test_sweep_task_runs_the_sweep() -> None:

    PostFactory(status=ContentStatus.HELD)

    assert sweep_unqueued_holds() == 1
