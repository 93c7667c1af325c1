from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from kizuna.activity.models import Activity, Verb
from kizuna.content import services
from kizuna.content.models import ContentStatus, Post, PostType, Tag
from kizuna.content.validation import ContentError
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.models import Hold
from kizuna.moderation.rules import RuleDecision
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _create(**overrides: Any) -> Post:
    fields: dict[str, Any] = {
        "author": overrides.pop("author", None) or MemberFactory(),
        "space": overrides.pop("space", None) or SpaceFactory(),
        "post_type": PostType.QUESTION,
        "title": "請求書の発行方法",
        "body": "請求書を発行する手順を教えてください。",
    }
    fields.update(overrides)
    return services.create_post(**fields)


def test_create_post_publishes_and_renders_body() -> None:
    post = _create(body="**太字**")
    assert post.status == ContentStatus.PUBLISHED
    assert post.body_html == "<p><strong>太字</strong></p>\n"


def test_create_post_records_posted_activity() -> None:
    post = _create()
    activity = Activity.objects.get(verb=Verb.POSTED)
    assert (activity.object_type, activity.object_id, activity.space_id) == (
        "post",
        post.pk,
        post.space_id,
    )


def test_create_post_queues_indexing_and_fan_out_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        mock.patch("kizuna.search.tasks.index_post") as index_post,
        mock.patch("kizuna.notifications.tasks.fan_out_activity.delay") as fan_out,
        django_capture_on_commit_callbacks(execute=True),
    ):
        post = _create()
    index_post.delay.assert_called_once_with(post.pk)
    fan_out.assert_called_once_with(Activity.objects.get(verb=Verb.POSTED).pk)


def test_create_post_holds_when_a_rule_fires(django_capture_on_commit_callbacks: Any) -> None:
    decision = RuleDecision(is_held=True, reasons=["Possible promotion: 'buy now'"])
    with (
        mock.patch("kizuna.content.services.evaluate_content", return_value=decision),
        mock.patch("kizuna.notifications.tasks.fan_out_activity.delay") as fan_out,
        django_capture_on_commit_callbacks(execute=True),
    ):
        post = _create()
    assert post.status == ContentStatus.HELD
    hold = Hold.objects.get(post=post)
    assert (hold.reasons, hold.source) == (["Possible promotion: 'buy now'"], "rules")
    fan_out.assert_not_called()


def test_create_post_attaches_tags_by_name_reusing_existing_ones() -> None:
    existing = Tag.objects.create(name="API", slug="api")
    post = _create(tags="api、請求, 請求")
    assert sorted(tag.slug for tag in post.tags.all()) == ["api", "請求"]
    assert post.tags.get(slug="api") == existing


def test_create_post_refuses_more_than_five_tags() -> None:
    with pytest.raises(ContentError) as error:
        _create(tags="a,b,c,d,e,f")
    assert error.value.message_dict == {"tags": ["Use at most 5 tags."]}
    assert Post.objects.count() == 0


def test_create_post_refuses_empty_body() -> None:
    with pytest.raises(ContentError) as error:
        _create(body="   ")
    assert error.value.message_dict == {"body": ["Write something first."]}
    assert Post.objects.count() == 0


def test_announcement_is_refused_for_members() -> None:
    with pytest.raises(PermissionDenied):
        _create(post_type=PostType.ANNOUNCEMENT)
    assert Post.objects.count() == 0


def test_staff_may_announce() -> None:
    assert (
        _create(author=StaffFactory(), post_type=PostType.ANNOUNCEMENT).post_type == "announcement"
    )


def test_public_use_consent_is_kept_for_case_studies_only() -> None:
    case = _create(post_type=PostType.CASE_STUDY, public_use_consent=True)
    question = _create(post_type=PostType.QUESTION, public_use_consent=True)
    assert (case.public_use_consent, question.public_use_consent) == (True, False)


def test_non_member_cannot_post_in_private_space() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    with pytest.raises(PermissionDenied):
        _create(space=space, author=MemberFactory())
    assert Post.objects.count() == 0
    assert Activity.objects.count() == 0


def test_member_of_private_space_may_post() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    customer = make_customer()
    MembershipFactory(space=space, member=customer)
    assert _create(space=space, author=customer).space == space


def test_double_submission_with_the_same_token_creates_one_post() -> None:
    author = MemberFactory()
    space = SpaceFactory()
    first = _create(author=author, space=space, submission_token="tok-1")
    second = _create(author=author, space=space, submission_token="tok-1")
    assert second.pk == first.pk
    assert Post.objects.count() == 1


def test_same_token_from_another_member_is_a_new_post() -> None:
    _create(submission_token="tok-1")
    _create(submission_token="tok-1")
    assert Post.objects.count() == 2


def test_failed_submission_releases_its_token() -> None:
    author = MemberFactory()
    with pytest.raises(ContentError):
        _create(author=author, body="", submission_token="tok-2")
    assert _create(author=author, submission_token="tok-2").pk is not None


def test_mentions_record_only_members_who_can_read_the_post() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    author, reader = make_customer(), make_customer()
    outsider = MemberFactory()
    MembershipFactory(space=space, member=author)
    body = f"@[読者](member:{reader.pk}) @[部外者](member:{outsider.pk})"
    _create(space=space, author=author, body=body)
    activity = Activity.objects.get(verb=Verb.POSTED)
    assert activity.details["mentioned_member_ids"] == [reader.pk]
