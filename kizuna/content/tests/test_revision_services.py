from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from kizuna.content import services
from kizuna.content.models import ContentStatus, Revision
from kizuna.content.selectors import list_revision_diffs
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.content.validation import ContentError
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.models import Hold, ReviewItem
from kizuna.moderation.rules import RuleDecision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HELD = RuleDecision(is_held=True, reasons=["Possible promotion: 'buy now'"])
CLEAN = RuleDecision()


def _edit(post: Any, editor: Any = None, **overrides: Any) -> Any:
    fields: dict[str, Any] = {"title": post.title, "body": "新しい本文"}
    fields.update(overrides)
    return services.edit_post(editor=editor or post.author, post=post, **fields)


def test_edit_keeps_previous_title_and_body_as_revision() -> None:
    post = PostFactory(title="旧タイトル", body="旧本文")
    _edit(post, title="新タイトル", body="新本文")
    revision = Revision.objects.get(post=post)
    assert (revision.title, revision.body, revision.editor_id) == (
        "旧タイトル",
        "旧本文",
        post.author_id,
    )


def test_edit_sets_edited_at_and_rerenders_body() -> None:
    post = _edit(PostFactory(), body="**強調**")
    assert post.edited_at is not None
    assert post.body_html == "<p><strong>強調</strong></p>\n"


def test_saving_unchanged_text_adds_no_revision() -> None:
    post = PostFactory(body="同じ")
    _edit(post, body="同じ")
    assert Revision.objects.count() == 0


def test_other_members_cannot_edit() -> None:
    post = PostFactory(body="元の本文")
    with pytest.raises(PermissionDenied):
        _edit(post, editor=MemberFactory())
    post.refresh_from_db()
    assert post.body == "元の本文"
    assert Revision.objects.count() == 0


def test_moderator_edit_is_audited() -> None:
    post = PostFactory()
    staff = StaffFactory()
    _edit(post, editor=staff, reason="typo")
    entry = AuditEntry.objects.get(action="content.post_edited")
    assert (entry.actor_id, entry.target_id, entry.reason) == (staff.pk, str(post.pk), "typo")


def test_stale_edit_is_refused_and_changes_nothing() -> None:
    post = PostFactory(body="元の本文")
    opened_at = post.edited_at
    _edit(post, body="先に保存した本文")
    with pytest.raises(ContentError) as error:
        _edit(post, body="後から保存", expected_edited_at=opened_at)
    assert error.value.code == "stale"
    post.refresh_from_db()
    assert post.body == "先に保存した本文"


def test_author_edit_that_passes_rules_publishes_held_post() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["x"])
    with mock.patch("kizuna.content.services.evaluate_content", return_value=CLEAN):
        post = _edit(post)
    assert post.status == ContentStatus.PUBLISHED
    assert not Hold.objects.filter(post=post).exists()


def test_author_edit_still_promotional_stays_held_and_resubmits() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["x"])
    with mock.patch("kizuna.content.services.evaluate_content", return_value=HELD):
        post = _edit(post)
    assert post.status == ContentStatus.HELD
    hold = Hold.objects.get(post=post)
    assert hold.reasons == ["Possible promotion: 'buy now'"]
    assert hold.resubmitted_at is not None
    assert ReviewItem.objects.get(post=post).reasons == ["Possible promotion: 'buy now'"]


def test_flag_hold_is_not_lifted_by_the_authors_edit() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="flags", reasons=["spam"])
    with mock.patch("kizuna.content.services.evaluate_content", return_value=CLEAN):
        post = _edit(post)
    assert post.status == ContentStatus.HELD
    assert Hold.objects.get(post=post).resubmitted_at is not None


def test_edit_of_published_post_that_turns_promotional_is_held() -> None:
    post = PostFactory()
    with mock.patch("kizuna.content.services.evaluate_content", return_value=HELD):
        post = _edit(post)
    assert post.status == ContentStatus.HELD


def test_history_diffs_show_added_and_removed_lines() -> None:
    post = PostFactory(title="題", body="一行目\n二行目")
    post = _edit(post, body="一行目\n三行目")
    (diff,) = list_revision_diffs(post)
    assert ("remove", "二行目") in diff.lines
    assert ("add", "三行目") in diff.lines
    assert diff.title_changed is False


def test_answer_edit_keeps_revision() -> None:
    answer = AnswerFactory(body="古い回答")
    services.edit_answer(editor=answer.author, answer=answer, body="新しい回答")
    assert Revision.objects.get(answer=answer).body == "古い回答"
    answer.refresh_from_db()
    assert answer.body == "新しい回答"
