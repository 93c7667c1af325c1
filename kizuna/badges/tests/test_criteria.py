from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kizuna.badges import criteria
from kizuna.badges.models import Badge, BadgeKind
from kizuna.content.models import Answer, ContentStatus, Post, PostType
from kizuna.identity.models import Interest, Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _post(author: Member, post_type: str = PostType.QUESTION, **fields: object) -> Post:
    return Post.objects.create(
        space=SpaceFactory(),
        author=author,
        post_type=post_type,
        title="質問",
        body="本文",
        **fields,
    )


def _answer(author: Member, post: Post | None = None, **fields: object) -> Answer:
    return Answer.objects.create(
        post=post or _post(MemberFactory()), author=author, body="回答", **fields
    )


def test_first_answer_needs_a_published_answer() -> None:
    member = MemberFactory()
    assert criteria.first_answer(member) is False
    _answer(member, status=ContentStatus.HELD)
    assert criteria.first_answer(member) is False
    _answer(member)
    assert criteria.first_answer(member) is True


def test_first_answer_ignores_answers_in_hidden_posts() -> None:
    member = MemberFactory()
    _answer(member, post=_post(MemberFactory(), status=ContentStatus.HIDDEN))
    assert criteria.first_answer(member) is False


def _accept(answer: Answer) -> None:
    Post.objects.filter(pk=answer.post_id).update(accepted_answer=answer)


def test_accepted_10_needs_ten_accepted_answers() -> None:
    member = MemberFactory()
    for _ in range(9):
        _accept(_answer(member))
    _answer(member)  # answered, not accepted
    assert criteria.accepted_10(member) is False
    _accept(_answer(member))
    assert criteria.accepted_10(member) is True


def test_accepted_10_does_not_count_hidden_answers() -> None:
    member = MemberFactory()
    for _ in range(9):
        _accept(_answer(member))
    _accept(_answer(member, status=ContentStatus.HIDDEN))
    assert criteria.accepted_10(member) is False


def test_first_question_needs_a_published_question() -> None:
    member = MemberFactory()
    _post(member, post_type=PostType.DISCUSSION)
    _post(member, status=ContentStatus.DELETED)
    assert criteria.first_question(member) is False
    _post(member)
    assert criteria.first_question(member) is True


def test_case_study_author_needs_a_published_case_study() -> None:
    member = MemberFactory()
    _post(member)
    _post(member, post_type=PostType.CASE_STUDY, status=ContentStatus.HELD)
    assert criteria.case_study_author(member) is False
    _post(member, post_type=PostType.CASE_STUDY)
    assert criteria.case_study_author(member) is True


def test_profile_complete_needs_every_part() -> None:
    member = MemberFactory(bio="自己紹介", company_name="株式会社例", job_role="CS")
    member.interests.add(Interest.objects.create(name="オンボーディング"))
    assert criteria.profile_complete(member) is False
    member.photo = SimpleUploadedFile("me.png", b"not really a png", content_type="image/png")
    member.save()
    assert criteria.profile_complete(member) is True


def test_one_year_member_counts_365_days() -> None:
    now = timezone.now()
    assert criteria.one_year_member(MemberFactory(date_joined=now - timedelta(days=364))) is False
    assert criteria.one_year_member(MemberFactory(date_joined=now - timedelta(days=365))) is True


def test_every_default_automatic_badge_names_a_known_criterion() -> None:

    keys = set(Badge.objects.filter(kind=BadgeKind.AUTOMATIC).values_list("criterion", flat=True))
    assert keys == set(criteria.CRITERIA)
