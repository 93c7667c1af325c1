from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.content.models import ContentStatus, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory, TagFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# the space, the page count, the posts with authors, their tags
QUERIES_ANONYMOUS_FEED = 4
# plus the session, the member, the policy lookups made once (membership, customer link)
QUERIES_MEMBER_FEED = 8


def feed_url(space: Space) -> str:
    return reverse("content:space-feed", args=[space.slug])


def test_feed_lists_published_posts_of_the_space(client: Client) -> None:
    space = SpaceFactory()
    PostFactory(space=space, title="公開の質問")
    PostFactory(title="別スペースの質問")
    html = client.get(feed_url(space)).content.decode()
    assert "公開の質問" in html
    assert "別スペースの質問" not in html


def test_feed_hides_held_posts_from_other_members(client: Client) -> None:
    space = SpaceFactory()
    PostFactory(space=space, title="保留中", status=ContentStatus.HELD)
    client.force_login(MemberFactory())
    assert "保留中" not in client.get(feed_url(space)).content.decode()


def test_feed_shows_own_held_post_with_badge(client: Client) -> None:
    post = PostFactory(title="自分の保留中", status=ContentStatus.HELD)
    client.force_login(post.author)
    html = client.get(feed_url(post.space)).content.decode()
    assert "自分の保留中" in html
    assert "Held for review" in html


def test_private_feed_shows_denial_page_to_non_members(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    PostFactory(space=space, title="秘密の質問")
    client.force_login(MemberFactory())
    response = client.get(feed_url(space))
    assert response.status_code == 403
    assert "秘密の質問" not in response.content.decode()


def test_private_feed_is_readable_by_customer_members(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    PostFactory(space=space, title="秘密の質問")
    customer = make_customer()
    MembershipFactory(space=space, member=customer)
    client.force_login(customer)
    assert "秘密の質問" in client.get(feed_url(space)).content.decode()


def test_feed_filters_by_type(client: Client) -> None:
    space = SpaceFactory()
    PostFactory(space=space, title="質問です", post_type=PostType.QUESTION)
    PostFactory(space=space, title="事例です", post_type=PostType.CASE_STUDY)
    html = client.get(feed_url(space), {"type": "case_study"}).content.decode()
    assert "事例です" in html
    assert "質問です" not in html


def test_feed_filters_by_tag(client: Client) -> None:
    space = SpaceFactory()
    tagged = PostFactory(space=space, title="タグ付き")
    tagged.tags.add(TagFactory(name="api", slug="api"))
    PostFactory(space=space, title="タグなし")
    html = client.get(feed_url(space), {"tag": "api"}).content.decode()
    assert "タグ付き" in html
    assert "タグなし" not in html


def test_feed_filter_by_a_tag_on_private_posts_only_looks_like_a_missing_tag(
    client: Client,
) -> None:
    space = SpaceFactory()
    PostFactory(space=space, title="公開の質問")
    secret = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    secret.tags.add(TagFactory(name="秘密のタグ", slug="secret-tag"))
    client.force_login(MemberFactory())
    pages = [
        client.get(feed_url(space), {"tag": slug}).content.decode()
        for slug in ("secret-tag", "no-such-tag")
    ]
    assert ["公開の質問" in html for html in pages] == [True, True]
    assert ["秘密のタグ" in html for html in pages] == [False, False]


def test_feed_filters_solved_questions(client: Client) -> None:
    space = SpaceFactory()
    solved = PostFactory(space=space, title="解決済み")
    solved.accepted_answer = AnswerFactory(post=solved)
    solved.save()
    PostFactory(space=space, title="未解決")
    html = client.get(feed_url(space), {"solved": "yes"}).content.decode()
    assert "解決済み" in html
    assert "未解決" not in html


def test_feed_sorts_by_newest(client: Client) -> None:
    space = SpaceFactory()
    older = PostFactory(space=space, title="古い投稿")
    PostFactory(space=space, title="新しい投稿")
    older.last_activity_at = timezone.now() + timezone.timedelta(hours=1)
    older.save()
    by_activity = client.get(feed_url(space)).content.decode()
    newest = client.get(feed_url(space), {"sort": "newest"}).content.decode()
    assert by_activity.index("古い投稿") < by_activity.index("新しい投稿")
    assert newest.index("新しい投稿") < newest.index("古い投稿")


def test_empty_feed_invites_the_first_question(client: Client) -> None:
    html = client.get(feed_url(SpaceFactory())).content.decode()
    assert "No posts yet. Ask the first question!" in html


def test_htmx_request_gets_the_list_alone(client: Client) -> None:
    space = SpaceFactory()
    PostFactory(space=space, title="一覧の投稿")
    html = client.get(feed_url(space), headers={"HX-Request": "true"}).content.decode()
    assert html.startswith('<div id="space-feed-list">')
    assert "一覧の投稿" in html
    assert "<html" not in html


def test_full_page_without_htmx_has_filters_and_layout(client: Client) -> None:
    html = client.get(feed_url(SpaceFactory())).content.decode()
    assert "<html" in html
    assert 'id="space-feed-list"' in html
    assert 'name="sort"' in html


def test_feed_is_paginated_twenty_per_page(client: Client) -> None:
    space = SpaceFactory()
    PostFactory.create_batch(21, space=space)
    html = client.get(feed_url(space)).content.decode()
    assert html.count('class="post-row"') == 20
    assert "Page 1 of 2" in html


def test_feed_query_count_does_not_grow_with_posts(
    client: Client, django_assert_num_queries: Any
) -> None:
    space = SpaceFactory()
    for post in PostFactory.create_batch(20, space=space):
        post.tags.add(TagFactory())
    with django_assert_num_queries(QUERIES_ANONYMOUS_FEED):
        assert client.get(feed_url(space)).status_code == 200


def test_space_page_includes_the_posts_section(client: Client) -> None:
    space = SpaceFactory()
    html = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert f'hx-get="{feed_url(space)}?embed=1"' in html


def test_space_page_embed_shows_five_posts_and_a_link_to_all(client: Client) -> None:
    space = SpaceFactory()
    PostFactory.create_batch(6, space=space)
    html = client.get(
        feed_url(space), {"embed": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert html.count('class="post-row"') == 5
    assert "See all posts" in html


def test_embed_offers_new_post_only_to_those_who_may_post(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    client.force_login(make_customer())  # reads the private space but has not joined it
    html = client.get(
        feed_url(space), {"embed": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert reverse("content:post-create", args=[space.slug]) not in html


def test_feed_query_count_for_a_signed_in_member(
    client: Client, django_assert_num_queries: Any
) -> None:
    space = SpaceFactory()
    member = make_customer()
    MembershipFactory(space=space, member=member)
    for post in PostFactory.create_batch(20, space=space):
        post.tags.add(TagFactory())
    client.force_login(member)
    with django_assert_num_queries(QUERIES_MEMBER_FEED):
        assert client.get(feed_url(space)).status_code == 200
