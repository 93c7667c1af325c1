"""What a tag name may be, and how a name finds the tag that already exists."""

import threading
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection

from kizuna.content import services
from kizuna.content.models import Post, PostType, Tag
from kizuna.content.validation import ContentError
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _create(tags: str, space: Space | None = None) -> Post:
    return services.create_post(
        author=MemberFactory(),
        space=space or SpaceFactory(),
        post_type=PostType.QUESTION,
        title="タグの確認",
        body="本文",
        tags=tags,
    )


@pytest.mark.parametrize("name", ["!!!", "・・・", "---", "___", "🎉"])
def test_a_tag_without_a_letter_or_digit_is_refused_and_nothing_is_written(name: str) -> None:
    with pytest.raises(ContentError) as error:
        _create(f"請求, {name}")

    assert error.value.message_dict == {
        "tags": [f"“{name}” cannot be a tag: a tag needs at least one letter or digit."]
    }
    assert not Post.objects.exists()
    assert not Tag.objects.exists()


def test_a_punctuation_only_tag_is_refused_each_time_it_is_tried() -> None:
    for _attempt in range(2):
        with pytest.raises(ContentError):
            _create("!!!")

    assert not Tag.objects.exists()


def test_a_name_reuses_the_tag_whatever_its_case_or_width() -> None:
    first = _create("Python")
    second = _create("ｐｙｔｈｏｎ")
    third = _create("PYTHON")

    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Python", "python")
    assert [list(post.tags.all()) for post in (first, second, third)] == [[tag], [tag], [tag]]


def test_a_name_is_stored_in_its_half_width_form() -> None:
    post = _create("ＡＰＩ連携、ｶﾞｲﾄﾞ")

    assert sorted(post.tags.values_list("name", "slug")) == [
        ("API連携", "api連携"),
        ("ガイド", "ガイド"),
    ]


def test_names_of_the_same_tag_count_once_in_a_post() -> None:
    post = _create("Python, ｐｙｔｈｏｎ, python, 請求, a, b, c")

    assert sorted(post.tags.values_list("slug", flat=True)) == ["a", "b", "c", "python", "請求"]


def test_a_name_reuses_the_tag_of_that_name_whose_address_differs() -> None:
    existing = Tag.objects.create(name="請求", slug="invoice")

    post = _create("請求")

    assert list(post.tags.all()) == [existing]
    assert Tag.objects.count() == 1


def test_an_edit_reuses_the_existing_tag() -> None:
    existing = Tag.objects.create(name="請求", slug="invoice")
    post = _create("API")

    edited = services.edit_post(
        editor=post.author, post=post, title=post.title, body=post.body, tags="api、請求"
    )

    assert sorted(edited.tags.values_list("pk", flat=True)) == sorted(
        [existing.pk, Tag.objects.get(slug="api").pk]
    )
    assert Tag.objects.count() == 2


def test_an_edit_with_a_punctuation_only_tag_is_refused_and_changes_nothing() -> None:
    post = _create("請求")

    with pytest.raises(ContentError) as error:
        services.edit_post(
            editor=post.author, post=post, title="新しい題名", body=post.body, tags="請求, !!!"
        )

    assert error.value.message_dict == {
        "tags": ["“!!!” cannot be a tag: a tag needs at least one letter or digit."]
    }
    post.refresh_from_db()
    assert post.title == "タグの確認"
    assert list(post.tags.values_list("name", flat=True)) == ["請求"]


def _at_once(actions: list[Callable[[], Post]]) -> list[Post]:
    """Run each action in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(actions))
    results: list[Post | BaseException] = [RuntimeError("did not run")] * len(actions)

    def run(index: int, action: Callable[[], Post]) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except BaseException as error:  # reported by the assertion below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    posts = [result for result in results if isinstance(result, Post)]
    assert posts == results
    return posts


@pytest.mark.django_db(transaction=True)
def test_members_tagging_at_once_with_a_new_name_share_one_tag() -> None:
    space = SpaceFactory()
    names = ["Kintone", "kintone", "ＫＩＮＴＯＮＥ", "KINTONE"]

    posts = _at_once([lambda name=name: _create(name, space) for name in names])

    tag = Tag.objects.get()
    assert tag.slug == "kintone"
    assert [list(post.tags.all()) for post in posts] == [[tag]] * len(names)
