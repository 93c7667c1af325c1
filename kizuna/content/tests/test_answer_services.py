from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from kizuna.activity.models import Activity, Verb
from kizuna.content import services
from kizuna.content.models import Answer, ContentStatus
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import ReviewItem
from kizuna.moderation.rules import RuleDecision
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_first_answer_sets_count_and_first_answer_time() -> None:
    post = PostFactory()
    answer = services.create_answer(author=MemberFactory(), post=post, body="こうします")
    post.refresh_from_db()
    assert post.answer_count == 1
    assert post.first_answer_at is not None
    assert post.first_answer_at >= answer.created_at


def test_second_answer_keeps_first_answer_time() -> None:
    post = PostFactory()
    services.create_answer(author=MemberFactory(), post=post, body="一つ目")
    post.refresh_from_db()
    first = post.first_answer_at
    services.create_answer(author=MemberFactory(), post=post, body="二つ目")
    post.refresh_from_db()
    assert (post.answer_count, post.first_answer_at) == (2, first)


def test_answer_records_activity_and_queues_fan_out(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        mock.patch("kizuna.notifications.tasks.fan_out_activity.delay") as fan_out,
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = services.create_answer(author=MemberFactory(), post=PostFactory(), body="回答")
    activity = Activity.objects.get(verb=Verb.ANSWERED)
    assert (activity.object_type, activity.object_id) == ("answer", answer.pk)
    fan_out.assert_called_once_with(activity.pk)


def test_held_answer_does_not_count_and_is_queued() -> None:
    post = PostFactory()
    decision = RuleDecision(is_held=True, reasons=["blocked word"])
    with mock.patch("kizuna.content.services.evaluate_content", return_value=decision):
        answer = services.create_answer(author=MemberFactory(), post=post, body="回答")
    post.refresh_from_db()
    assert answer.status == ContentStatus.HELD
    assert (post.answer_count, post.first_answer_at) == (0, None)
    assert ReviewItem.objects.get(answer=answer).reasons == ["blocked word"]


def test_locked_thread_refuses_answers() -> None:
    post = PostFactory(is_locked=True)
    with pytest.raises(PermissionDenied):
        services.create_answer(author=MemberFactory(), post=post, body="回答")
    assert Answer.objects.count() == 0


def test_non_member_cannot_answer_in_private_space() -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    with pytest.raises(PermissionDenied):
        services.create_answer(author=MemberFactory(), post=post, body="回答")
    post.refresh_from_db()
    assert (Answer.objects.count(), post.answer_count) == (0, 0)


def test_double_submitted_answer_is_saved_once() -> None:
    post, author = PostFactory(), MemberFactory()
    first = services.create_answer(author=author, post=post, body="回答", submission_token="t")
    second = services.create_answer(author=author, post=post, body="回答", submission_token="t")
    post.refresh_from_db()
    assert (second.pk, post.answer_count) == (first.pk, 1)


def test_others_cannot_edit_an_answer() -> None:
    answer = AnswerFactory(body="元の回答")
    with pytest.raises(PermissionDenied):
        services.edit_answer(editor=MemberFactory(), answer=answer, body="改変")
    answer.refresh_from_db()
    assert answer.body == "元の回答"
