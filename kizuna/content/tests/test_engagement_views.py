import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import Bookmark, Follow, Reaction
from kizuna.content.tests.engagement_factories import (
    AnswerFactory,
    QuestionFactory,
    TagFactory,
    queries_for_one_get,
)
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_like_without_htmx_redirects_back_to_the_page_it_came_from(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("engagement:post-react", args=[post.pk]), {"next": "/spaces/somewhere/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/spaces/somewhere/")
    post.refresh_from_db()
    assert post.reaction_count == 1


def test_like_ignores_a_next_address_on_another_site(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("engagement:post-react", args=[post.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_like_with_htmx_returns_the_button_fragment_with_the_new_count(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.post(reverse("engagement:post-react", args=[post.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div id="reaction-post-{post.pk}"')
    assert "<html" not in html
    assert '<span class="reaction-count">1</span>' in html
    assert reverse("engagement:post-unreact", args=[post.pk]) in html
    assert 'aria-pressed="true"' in html


def test_unlike_with_htmx_offers_like_again(client: Client) -> None:
    post = QuestionFactory()
    member = MemberFactory()
    Reaction.objects.create(member=member, post=post)
    post.reaction_count = 1
    post.save()
    client.force_login(member)
    html = client.post(reverse("engagement:post-unreact", args=[post.pk]), **HTMX).content.decode()
    assert '<span class="reaction-count">0</span>' in html
    assert reverse("engagement:post-react", args=[post.pk]) in html
    assert not Reaction.objects.exists()


def test_like_own_post_with_htmx_answers_400_with_the_reason(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(post.author)
    response = client.post(reverse("engagement:post-react", args=[post.pk]), **HTMX)
    assert response.status_code == 400
    assert "You cannot like your own post." in response.content.decode()
    assert not Reaction.objects.exists()


def test_like_own_post_without_htmx_redirects_with_the_reason(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(post.author)
    response = client.post(
        reverse("engagement:post-react", args=[post.pk]), {"next": "/spaces/"}, follow=True
    )
    assert "You cannot like your own post." in response.content.decode()
    assert not Reaction.objects.exists()


def test_like_an_answer_with_htmx_returns_the_answer_button(client: Client) -> None:
    answer = AnswerFactory()
    client.force_login(MemberFactory())
    html = client.post(
        reverse("engagement:answer-react", args=[answer.pk]), **HTMX
    ).content.decode()
    assert html.startswith(f'<div id="reaction-answer-{answer.pk}"')
    assert '<span class="reaction-count">1</span>' in html


def test_anonymous_like_is_sent_to_sign_in(client: Client) -> None:
    post = QuestionFactory()
    response = client.post(reverse("engagement:post-react", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Reaction.objects.exists()


def test_like_on_a_private_post_of_another_space_is_not_found(client: Client) -> None:
    post = QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    response = client.post(reverse("engagement:post-react", args=[post.pk]), **HTMX)
    assert response.status_code == 404
    assert post.title not in response.content.decode()
    assert not Reaction.objects.exists()


def test_like_by_get_is_not_allowed(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(MemberFactory())
    assert client.get(reverse("engagement:post-react", args=[post.pk])).status_code == 405
    assert not Reaction.objects.exists()


def test_bookmark_with_htmx_returns_the_bookmarked_button(client: Client) -> None:
    post = QuestionFactory()
    member = MemberFactory()
    client.force_login(member)
    html = client.post(reverse("engagement:post-bookmark", args=[post.pk]), **HTMX).content.decode()
    assert html.startswith(f'<div id="bookmark-post-{post.pk}"')
    assert "Bookmarked" in html
    assert reverse("engagement:post-unbookmark", args=[post.pk]) in html
    assert Bookmark.objects.filter(member=member, post=post).exists()


def test_bookmark_without_htmx_redirects_with_a_message(client: Client) -> None:
    post = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("engagement:post-bookmark", args=[post.pk]), {"next": "/bookmarks/"}, follow=True
    )
    assert response.redirect_chain == [("/bookmarks/", 302)]
    assert "Saved to your bookmarks." in response.content.decode()


def test_follow_space_with_htmx_returns_the_following_button(client: Client) -> None:
    space = SpaceFactory()
    member = MemberFactory()
    client.force_login(member)
    html = client.post(
        reverse("engagement:space-follow", args=[space.slug]), **HTMX
    ).content.decode()
    assert html.startswith(f'<div id="follow-space-{space.pk}"')
    assert f"Following {space.name}" in html
    assert Follow.objects.filter(member=member, space=space).exists()


def test_follow_tag_without_htmx_redirects_back(client: Client) -> None:
    tag = TagFactory()
    QuestionFactory().tags.add(tag)
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("engagement:tag-follow", args=[tag.slug]), {"next": "/spaces/"})
    assert (response.status_code, response["Location"]) == (302, "/spaces/")
    assert Follow.objects.filter(member=member, tag=tag).exists()


def test_unfollow_post_with_htmx_offers_follow_again(client: Client) -> None:
    post = QuestionFactory()
    member = MemberFactory()
    Follow.objects.create(member=member, post=post)
    client.force_login(member)
    html = client.post(reverse("engagement:post-unfollow", args=[post.pk]), **HTMX).content.decode()
    assert "Follow this thread" in html
    assert not Follow.objects.exists()


def test_follow_private_space_as_non_member_is_not_found(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    client.force_login(MemberFactory())
    response = client.post(reverse("engagement:space-follow", args=[space.slug]))
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_tag_only_on_posts_one_may_not_read_is_not_found_like_a_missing_one(
    client: Client,
) -> None:
    tag = TagFactory(slug="secret-tag")
    QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE)).tags.add(tag)
    client.force_login(MemberFactory())
    responses = [
        client.post(reverse(f"engagement:tag-{action}", args=[slug]), **HTMX)
        for action in ("follow", "unfollow")
        for slug in ("secret-tag", "no-such-tag")
    ]
    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    # The same page, once the per-response CSRF tokens and the address itself are set aside.
    pages = [
        re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()).replace(slug, "")
        for response, slug in zip(responses[:2], ("secret-tag", "no-such-tag"), strict=True)
    ]
    assert pages[0] == pages[1]
    assert not Follow.objects.exists()


def test_follower_who_lost_sight_of_a_tag_can_still_unfollow_it(client: Client) -> None:
    tag = TagFactory()
    QuestionFactory(space=SpaceFactory(access_type=AccessType.PRIVATE)).tags.add(tag)
    member = MemberFactory()
    Follow.objects.create(member=member, tag=tag)
    client.force_login(member)
    html = client.post(reverse("engagement:tag-unfollow", args=[tag.slug]), **HTMX).content.decode()
    assert f"Follow #{tag.name}" in html
    assert not Follow.objects.exists()


def test_bookmarks_page_lists_saved_threads(client: Client) -> None:
    member = MemberFactory()
    post = QuestionFactory(title="請求書の再発行")
    Bookmark.objects.create(member=member, post=post)
    client.force_login(member)
    html = client.get(reverse("engagement:bookmarks")).content.decode()
    assert "請求書の再発行" in html


def test_bookmarks_page_has_an_empty_state(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(reverse("engagement:bookmarks")).content.decode()
    assert "You have no bookmarks yet." in html


def test_bookmarks_page_asks_anonymous_people_to_sign_in(client: Client) -> None:
    response = client.get(reverse("engagement:bookmarks"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_bookmarks_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    member = MemberFactory()
    Bookmark.objects.create(member=member, post=QuestionFactory())
    client.force_login(member)
    one_bookmark = queries_for_one_get(client, reverse("engagement:bookmarks"))
    for _ in range(9):
        Bookmark.objects.create(member=member, post=QuestionFactory())
    with django_assert_num_queries(one_bookmark):
        response = client.get(reverse("engagement:bookmarks"))
    assert len(response.context["page"].object_list) == 10
