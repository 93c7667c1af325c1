import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import ContentStatus, Tag
from kizuna.content.tests.factories import PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import Hold

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_author_edit_redirects_to_thread_and_keeps_history(client: Client) -> None:
    post = PostFactory(title="題名", body="旧本文")
    client.force_login(post.author)
    response = client.post(
        reverse("content:post-edit", args=[post.pk]),
        {"title": "題名", "body": "新本文", "tags": "", "edited_marker": "never"},
    )
    assert response["Location"] == reverse("content:post-detail", args=[post.pk])
    history = client.get(reverse("content:post-history", args=[post.pk])).content.decode()
    assert "- 旧本文" in history
    assert "+ 新本文" in history


def test_stale_edit_answers_conflict_and_keeps_the_text(client: Client) -> None:
    post = PostFactory(body="旧本文")
    client.force_login(post.author)
    url = reverse("content:post-edit", args=[post.pk])
    client.post(url, {"title": post.title, "body": "先の編集", "edited_marker": "never"})
    response = client.post(url, {"title": post.title, "body": "後の編集", "edited_marker": "never"})
    assert response.status_code == 409
    assert "Someone changed this while you were editing." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "先の編集"


def test_others_cannot_open_the_edit_page(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    assert client.get(reverse("content:post-edit", args=[post.pk])).status_code == 403


def test_held_post_edit_page_shows_the_reasons(client: Client) -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["Contains a blocked word"])
    client.force_login(post.author)
    html = client.get(reverse("content:post-edit", args=[post.pk])).content.decode()
    assert "Contains a blocked word" in html
    assert "Save and resubmit" in html


def test_edit_with_a_punctuation_only_tag_gets_a_form_error_and_changes_nothing(
    client: Client,
) -> None:
    # Another post already carries "!!!" under a generated address, as the old code allowed.
    PostFactory().tags.add(Tag.objects.create(name="!!!", slug="tag-0a1b2c3d"))
    post = PostFactory(title="題名", body="旧本文")
    client.force_login(post.author)
    response = client.post(
        reverse("content:post-edit", args=[post.pk]),
        {"title": "題名", "body": "新本文", "tags": "!!!", "edited_marker": "never"},
    )
    assert response.status_code == 400
    assert "“!!!” cannot be a tag: a tag needs at least one letter or digit." in (
        response.content.decode()
    )
    post.refresh_from_db()
    assert (post.body, list(post.tags.all())) == ("旧本文", [])
