from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import Post
from kizuna.content.tests.engagement_factories import (
    QuestionFactory,
    TagFactory,
    queries_for_one_get,
)
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("engagement:unanswered")


def test_csm_sees_waiting_questions_with_their_waiting_time(client: Client) -> None:
    question = QuestionFactory(title="請求書の宛名を変えたい")
    Post.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(StaffFactory(staff_role="csm"))
    html = client.get(URL).content.decode()
    assert "請求書の宛名を変えたい" in html
    assert '<span class="waiting-time">waiting 3\xa0days</span>' in html


def test_filter_by_space_and_tag_narrows_the_list(client: Client) -> None:
    tag = TagFactory()
    wanted = QuestionFactory(title="対象の質問")
    wanted.tags.add(tag)
    QuestionFactory(space=wanted.space, title="タグなしの質問")
    QuestionFactory(title="他のスペースの質問")
    client.force_login(StaffFactory(staff_role="csm"))
    response = client.get(URL, {"space": wanted.space.slug, "tag": tag.slug})
    assert [post.title for post in response.context["page"].object_list] == ["対象の質問"]


def test_empty_queue_says_nothing_is_waiting(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    html = client.get(URL).content.decode()
    assert "Every question has an answer. Nothing is waiting." in html


def test_filtered_empty_queue_says_nothing_matches(client: Client) -> None:
    QuestionFactory()
    tag = TagFactory()
    QuestionFactory(answer_count=1).tags.add(tag)
    client.force_login(StaffFactory(staff_role="csm"))
    html = client.get(URL, {"tag": tag.slug}).content.decode()
    assert "No question matches these filters." in html


def test_tag_filter_offers_only_tags_of_posts_the_host_may_read(client: Client) -> None:
    question = QuestionFactory()
    question.tags.add(TagFactory(name="見えるタグ"))
    QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE)).tags.add(
        TagFactory(name="秘密のタグ", slug="secret-tag")
    )
    client.force_login(MembershipFactory(space=question.space, role=SpaceRole.HOST).member)
    html = client.get(URL).content.decode()
    filtered = client.get(URL, {"tag": "secret-tag"})
    assert "見えるタグ" in html
    assert "秘密のタグ" not in html
    assert "秘密のタグ" not in filtered.content.decode()
    assert list(filtered.context["page"].object_list) == [question]


def test_host_sees_the_queue_of_their_space(client: Client) -> None:
    question = QuestionFactory()
    QuestionFactory(title="別スペース")
    host = MembershipFactory(space=question.space, role=SpaceRole.HOST).member
    client.force_login(host)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [question]


def test_ordinary_member_is_refused(client: Client) -> None:
    QuestionFactory(title="秘密の質問", space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    response = client.get(URL)
    assert response.status_code == 403
    assert "秘密の質問" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_queue_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    tag = TagFactory()
    QuestionFactory().tags.add(tag)
    client.force_login(StaffFactory(staff_role="csm"))
    one_question = queries_for_one_get(client, URL)
    for _ in range(11):
        QuestionFactory().tags.add(tag)
    with django_assert_num_queries(one_question):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 12
