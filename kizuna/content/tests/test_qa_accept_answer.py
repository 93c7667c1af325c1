from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from pytest_django import DjangoCaptureOnCommitCallbacks

from kizuna.activity.models import Activity, Verb
from kizuna.content import qa
from kizuna.content.models import ContentStatus, Post, PostType
from kizuna.content.tests.engagement_factories import AnswerFactory, QuestionFactory, answered
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_asker_accepts_an_answer_and_the_question_is_solved() -> None:
    question = QuestionFactory()
    answer = answered(question)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk
    assert question.solved_at is not None
    assert question.is_solved is True


def test_answer_by_a_customer_makes_the_question_peer_resolved() -> None:
    question = QuestionFactory()
    answer = answered(question, author=MemberFactory())
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    question.refresh_from_db()
    assert question.is_peer_resolved is True


def test_askers_own_answer_is_not_peer_resolved() -> None:
    question = QuestionFactory()
    answer = answered(question, author=question.author)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    question.refresh_from_db()
    assert (question.is_solved, question.is_peer_resolved) == (True, False)


def test_answer_by_staff_is_not_peer_resolved() -> None:
    question = QuestionFactory()
    answer = answered(question, author=StaffFactory(staff_role="csm"))
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    question.refresh_from_db()
    assert question.is_peer_resolved is False
    assert question.solved_at is not None


def test_accepting_another_answer_moves_the_mark() -> None:
    question = QuestionFactory()
    staff_answer = answered(question, author=StaffFactory(staff_role="csm"))
    peer_answer = answered(question)
    qa.accept_answer(actor=question.author, post=question, answer=staff_answer)
    first_solved_at = Post.objects.get(pk=question.pk).solved_at
    qa.accept_answer(actor=question.author, post=question, answer=peer_answer)
    question.refresh_from_db()
    assert question.accepted_answer_id == peer_answer.pk
    assert question.is_peer_resolved is True
    assert question.solved_at == first_solved_at


def test_accepting_the_same_answer_twice_records_one_activity() -> None:
    question = QuestionFactory()
    answer = answered(question)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    assert Activity.objects.filter(verb=Verb.ACCEPTED).count() == 1


def test_accepting_records_an_accepted_activity_on_the_answer() -> None:
    question = QuestionFactory()
    answer = answered(question)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    activity = Activity.objects.get(verb=Verb.ACCEPTED)
    assert (activity.actor_id, activity.object_type, activity.object_id, activity.space_id) == (
        question.author_id,
        "answer",
        answer.pk,
        question.space_id,
    )
    assert activity.details == {"post_id": question.pk, "is_peer_resolved": True}


def test_accepting_queues_notification_and_search_update_after_commit(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    question = QuestionFactory()
    answer = answered(question)
    with django_capture_on_commit_callbacks() as callbacks:
        qa.accept_answer(actor=question.author, post=question, answer=answer)
    assert len(callbacks) == 3


def test_space_moderator_accepts_for_the_asker_and_it_is_audited() -> None:
    question = QuestionFactory()
    answer = answered(question)
    moderator = MembershipFactory(space=question.space, role=SpaceRole.MODERATOR).member
    qa.accept_answer(actor=moderator, post=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_id) == (
        moderator.pk,
        "content.answer_accepted",
        str(question.pk),
    )


def test_asker_accepting_is_not_audited() -> None:
    question = QuestionFactory()
    qa.accept_answer(actor=question.author, post=question, answer=answered(question))
    assert not AuditEntry.objects.exists()


def test_another_member_cannot_accept_and_nothing_changes() -> None:
    question = QuestionFactory()
    answer = answered(question)
    with pytest.raises(PermissionDenied):
        qa.accept_answer(actor=MemberFactory(), post=question, answer=answer)
    question.refresh_from_db()
    assert (question.accepted_answer_id, question.solved_at, question.is_peer_resolved) == (
        None,
        None,
        False,
    )
    assert not Activity.objects.exists()


def test_the_answers_author_cannot_accept_their_own_answer_for_someone_else() -> None:
    question = QuestionFactory()
    answer = answered(question)
    with pytest.raises(PermissionDenied):
        qa.accept_answer(actor=answer.author, post=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_anonymous_cannot_accept() -> None:
    question = QuestionFactory()
    with pytest.raises(PermissionDenied):
        qa.accept_answer(actor=AnonymousUser(), post=question, answer=answered(question))


def test_answers_of_a_discussion_cannot_be_accepted() -> None:
    discussion = QuestionFactory(post_type=PostType.DISCUSSION)
    with pytest.raises(PermissionDenied):
        qa.accept_answer(actor=discussion.author, post=discussion, answer=answered(discussion))
    discussion.refresh_from_db()
    assert discussion.accepted_answer_id is None


def test_answer_of_another_question_cannot_be_accepted() -> None:
    question = QuestionFactory()
    elsewhere = AnswerFactory()
    with pytest.raises(qa.AcceptAnswerError):
        qa.accept_answer(actor=question.author, post=question, answer=elsewhere)
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_held_answer_cannot_be_accepted() -> None:
    question = QuestionFactory()
    answer = answered(question, status=ContentStatus.HELD)
    with pytest.raises(qa.AcceptAnswerError):
        qa.accept_answer(actor=question.author, post=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_unaccept_opens_the_question_again() -> None:
    question = QuestionFactory()
    qa.accept_answer(actor=question.author, post=question, answer=answered(question))
    qa.unaccept_answer(actor=question.author, post=question)
    question.refresh_from_db()
    assert (question.accepted_answer_id, question.solved_at, question.is_peer_resolved) == (
        None,
        None,
        False,
    )


def test_another_member_cannot_unaccept_and_nothing_changes() -> None:
    question = QuestionFactory()
    answer = answered(question)
    qa.accept_answer(actor=question.author, post=question, answer=answer)
    with pytest.raises(PermissionDenied):
        qa.unaccept_answer(actor=MemberFactory(), post=question)
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk


def test_time_to_first_answer_is_the_wait_until_the_first_answer() -> None:
    question = QuestionFactory()
    question.first_answer_at = question.created_at + timedelta(hours=3)
    assert qa.get_time_to_first_answer(question) == timedelta(hours=3)


def test_time_to_first_answer_is_none_while_unanswered() -> None:
    assert qa.get_time_to_first_answer(QuestionFactory()) is None
