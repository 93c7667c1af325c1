"""Automatic badge criteria: one small function per key, each answering "has this member earned it?".

Criteria count only what is published (content held, hidden or deleted earns nothing)
and never look at which space the content is in. `events_attended_5` and `speaker` are
answered by the events app, which sits above badges and hands them over from its
`AppConfig.ready()` (`register_criterion`), so badges imports nothing of events.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kizuna.content.models import Answer, ContentStatus, Post, PostType
from kizuna.identity.models import Member
from kizuna.identity.services import profile_completion

Criterion = Callable[[Member], bool]

ACCEPTED_ANSWERS_FOR_BADGE = 10
EVENTS_ATTENDED_FOR_BADGE = 5
MEMBERSHIP_AGE_FOR_BADGE = timedelta(days=365)


def _published_answers(member: Member) -> QuerySet[Answer]:
    return Answer.objects.filter(
        author=member, status=ContentStatus.PUBLISHED, post__status=ContentStatus.PUBLISHED
    )


def first_answer(member: Member) -> bool:
    return _published_answers(member).exists()


def accepted_10(member: Member) -> bool:
    accepted = _published_answers(member).filter(accepted_for__isnull=False)
    return accepted.count() >= ACCEPTED_ANSWERS_FOR_BADGE


def first_question(member: Member) -> bool:
    return Post.objects.filter(
        author=member, post_type=PostType.QUESTION, status=ContentStatus.PUBLISHED
    ).exists()


def case_study_author(member: Member) -> bool:
    return Post.objects.filter(
        author=member, post_type=PostType.CASE_STUDY, status=ContentStatus.PUBLISHED
    ).exists()


def profile_complete(member: Member) -> bool:
    return bool(profile_completion(member)["percent"] == 100)


def one_year_member(member: Member) -> bool:
    return member.date_joined <= timezone.now() - MEMBERSHIP_AGE_FOR_BADGE


CRITERIA: dict[str, Criterion] = {
    "first_answer": first_answer,
    "accepted_10": accepted_10,
    "first_question": first_question,
    "case_study_author": case_study_author,
    "profile_complete": profile_complete,
    "one_year_member": one_year_member,
}


def register_criterion(key: str, criterion: Criterion) -> None:
    """Answer `key` with `criterion`; an app above badges calls it from its ready()."""
    CRITERIA[key] = criterion
