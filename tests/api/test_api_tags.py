"""Tags through the API: which names are tags, and that a tag nobody may read about stays unknown."""

import pytest

from kizuna.content.models import Follow, Post, Tag
from kizuna.content.tests.factories import TagFactory
from tests.api.conftest import error_of
from tests.api.forum_fixtures import Forum, delete

pytestmark = pytest.mark.django_db

REFUSAL = "“!!!” cannot be a tag: a tag needs at least one letter or digit."


def _legacy_punctuation_tag() -> Tag:
    """A "!!!" tag under a generated address, as the old code let the first use create."""
    tag: Tag = TagFactory(name="!!!", slug="tag-0a1b2c3d")
    return tag


def test_creating_a_post_with_a_punctuation_only_tag_is_refused(forum: Forum) -> None:
    _legacy_punctuation_tag()
    before = Post.objects.count()

    response = forum.client("member").post(
        "/api/spaces/open-forum/posts", {"title": "題名", "body": "本文", "tags": ["請求", "!!!"]}
    )

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"tags": [REFUSAL]}
    assert Post.objects.count() == before
    assert list(Tag.objects.values_list("name", flat=True)) == ["!!!"]


def test_editing_a_post_with_a_punctuation_only_tag_is_refused(forum: Forum) -> None:
    _legacy_punctuation_tag()

    response = forum.client("author").patch(
        f"/api/posts/{forum.public_post.pk}", {"body": "新しい本文", "tags": ["!!!"]}
    )

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"tags": [REFUSAL]}
    forum.public_post.refresh_from_db()
    assert forum.public_post.body != "新しい本文"
    assert not forum.public_post.tags.exists()


def test_a_post_reuses_an_existing_tag_by_its_name(forum: Forum) -> None:
    existing = TagFactory(name="請求", slug="invoice")

    created = forum.client("member").post(
        "/api/spaces/open-forum/posts", {"title": "題名", "body": "本文", "tags": ["請求"]}
    )
    edited = forum.client("author").patch(
        f"/api/posts/{forum.public_post.pk}", {"tags": ["請求", "ＣＳＶ"]}
    )

    assert created.json()["tags"] == [{"name": "請求", "slug": "invoice"}]
    assert edited.json()["tags"] == [
        {"name": "CSV", "slug": "csv"},
        {"name": "請求", "slug": "invoice"},
    ]
    assert Tag.objects.filter(name="請求").get() == existing


@pytest.mark.parametrize("who", ["outsider", "non_customer"])
def test_a_tag_used_only_where_the_caller_cannot_read_is_as_unknown_as_a_missing_one(
    forum: Forum, who: str
) -> None:
    forum.secret_post.tags.add(TagFactory(name="秘密", slug="secret-tag"))
    api = forum.client(who)

    responses = [
        api.post("/api/tags/secret-tag/follow"),
        api.post("/api/tags/no-such-tag/follow"),
        delete(api, "/api/tags/secret-tag/follow"),
        delete(api, "/api/tags/no-such-tag/follow"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert responses[0].content == responses[1].content
    assert responses[2].content == responses[3].content
    assert not Follow.objects.exists()


def test_a_tag_on_a_held_post_is_unknown_to_other_members(forum: Forum) -> None:
    forum.held_post.tags.add(TagFactory(name="保留", slug="held-tag"))

    member = forum.client("member").post("/api/tags/held-tag/follow")
    author = forum.client("author").post("/api/tags/held-tag/follow")

    assert (member.status_code, author.status_code) == (404, 200)
    assert list(Follow.objects.values_list("member_id", flat=True)) == [forum.author.pk]


def test_a_member_who_may_read_a_post_with_the_tag_follows_it(forum: Forum) -> None:
    tag = TagFactory(name="秘密", slug="secret-tag")
    forum.secret_post.tags.add(tag)

    response = forum.client("member").post("/api/tags/secret-tag/follow")

    assert response.json() == {"is_following": True}
    assert Follow.objects.get().tag == tag


def test_a_follower_who_lost_sight_of_the_tag_can_still_unfollow_it(forum: Forum) -> None:
    tag = TagFactory(name="秘密", slug="secret-tag")
    forum.secret_post.tags.add(tag)
    Follow.objects.create(member=forum.outsider, tag=tag)

    response = delete(forum.client("outsider"), "/api/tags/secret-tag/follow")

    assert response.json() == {"is_following": False}
    assert not Follow.objects.exists()
