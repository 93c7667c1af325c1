import pytest
from django.core.exceptions import PermissionDenied

from kizuna.activity.models import Activity, Verb
from kizuna.content import services
from kizuna.content.models import Comment
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.content.validation import ContentError
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_comment_on_answer_is_saved_with_activity() -> None:
    answer = AnswerFactory()
    comment = services.create_comment(
        author=MemberFactory(), post=answer.post, answer=answer, body="助かりました"
    )
    assert (comment.answer_id, comment.body) == (answer.pk, "助かりました")
    assert Activity.objects.get(verb=Verb.COMMENTED).object_id == comment.pk


def test_comment_on_answer_of_another_post_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        services.create_comment(
            author=MemberFactory(), post=PostFactory(), answer=AnswerFactory(), body="x"
        )
    assert Comment.objects.count() == 0


def test_overlong_comment_is_refused() -> None:
    with pytest.raises(ContentError) as error:
        services.create_comment(author=MemberFactory(), post=PostFactory(), body="あ" * 5001)
    assert error.value.message_dict == {"body": ["The text is too long (at most 5000 characters)."]}
    assert Comment.objects.count() == 0


def test_locked_thread_refuses_comments() -> None:
    with pytest.raises(PermissionDenied):
        services.create_comment(author=MemberFactory(), post=PostFactory(is_locked=True), body="x")
    assert Comment.objects.count() == 0
