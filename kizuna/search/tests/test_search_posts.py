from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kizuna.content.models import ContentStatus, Post, PostType, Tag
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.indexing import index_post
from kizuna.search.models import SearchDocument
from kizuna.search.selectors import search_posts
from kizuna.search.tests.factories import indexed_post, solve
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def titles(viewer: object, query: str, **filters: object) -> list[str]:
    results = search_posts(viewer, query, **filters)
    return [hit.document.title for hit in results.page]


def test_words_of_a_japanese_query_find_a_post_containing_them_apart() -> None:
    indexed_post("請求書を発行する手順", "経理担当向けの説明です。")
    indexed_post("ログインできない", "パスワードを忘れました。")
    assert titles(AnonymousUser(), "請求書 発行") == ["請求書を発行する手順"]


def test_two_character_query_finds_the_word_inside_longer_text() -> None:
    indexed_post("通知の設定画面はどこですか", "")
    indexed_post("請求書の宛名", "")
    assert titles(AnonymousUser(), "設定") == ["通知の設定画面はどこですか"]


def test_one_character_query_finds_it_at_any_position() -> None:
    indexed_post("日本語の表示", "")
    indexed_post("言語を変える", "")
    assert sorted(titles(AnonymousUser(), "語")) == ["日本語の表示", "言語を変える"]


def test_japanese_phrase_does_not_match_its_characters_apart() -> None:
    indexed_post("書類の請求について", "")
    assert titles(AnonymousUser(), "請求書") == []


def test_english_plural_finds_the_singular() -> None:
    indexed_post("How to send an invoice", "")
    assert titles(AnonymousUser(), "invoices") == ["How to send an invoice"]


def test_english_inflection_finds_the_base_form() -> None:
    indexed_post("CSVのexport", "")
    assert titles(AnonymousUser(), "exporting") == ["CSVのexport"]


def test_query_finds_words_in_published_answers() -> None:
    post = indexed_post("エラーが出ます", "")
    solve(post, "キャッシュを削除してください")
    assert titles(AnonymousUser(), "キャッシュ") == ["エラーが出ます"]


def test_a_clearly_better_match_outranks_a_newer_one() -> None:
    now = timezone.now()
    indexed_post(
        "請求書の発行手順",
        "請求書を発行するには設定画面から。",
        last_activity_at=now - timedelta(days=30),
    )
    indexed_post(
        "ダッシュボードの使い方", "ついでに請求書の発行にも触れます。", last_activity_at=now
    )
    assert titles(AnonymousUser(), "請求書 発行") == ["請求書の発行手順", "ダッシュボードの使い方"]


def test_equal_matches_are_ordered_newest_first() -> None:
    now = timezone.now()
    indexed_post("請求書", "", last_activity_at=now - timedelta(days=2))
    indexed_post("請求書", "", last_activity_at=now, body_html="")
    results = search_posts(AnonymousUser(), "請求書")
    dates = [hit.document.last_activity_at for hit in results.page]
    assert dates == sorted(dates, reverse=True)


def test_private_space_post_is_neither_listed_nor_counted_for_a_non_member() -> None:
    private = SpaceFactory(access_type=AccessType.PRIVATE)
    indexed_post("請求書の秘密", "", space=private)
    indexed_post("請求書の公開", "")
    results = search_posts(MemberFactory(), "請求書")
    assert [hit.document.title for hit in results.page] == ["請求書の公開"]
    assert results.total == 1


def test_held_post_is_found_only_by_its_author_and_moderators() -> None:
    space = SpaceFactory()
    author, moderator, other = MemberFactory(), MemberFactory(), MemberFactory()
    MembershipFactory(space=space, member=moderator, role=SpaceRole.MODERATOR)
    indexed_post("保留された請求書", "", space=space, author=author, status=ContentStatus.HELD)
    assert titles(author, "請求書") == ["保留された請求書"]
    assert titles(moderator, "請求書") == ["保留された請求書"]
    assert search_posts(other, "請求書").total == 0
    assert search_posts(AnonymousUser(), "請求書").total == 0


def test_visibility_is_read_live_even_when_the_document_is_stale() -> None:
    post = indexed_post("請求書の件", "")
    Post.objects.filter(pk=post.pk).update(status=ContentStatus.HIDDEN)
    assert search_posts(MemberFactory(), "請求書").total == 0


def test_deleted_post_leaves_the_index() -> None:
    post = indexed_post("請求書の件", "")
    Post.objects.filter(pk=post.pk).update(status=ContentStatus.DELETED)
    index_post(post.pk)
    assert not SearchDocument.objects.filter(post_id=post.pk).exists()


def test_indexing_twice_leaves_one_document() -> None:
    post = indexed_post("請求書の件", "")
    index_post(post.pk)
    assert SearchDocument.objects.filter(post_id=post.pk).count() == 1
    assert search_posts(AnonymousUser(), "請求書").total == 1


def test_filters_by_space_type_tag_solved_author_and_date() -> None:
    space, author = SpaceFactory(), MemberFactory()
    tag = Tag.objects.create(name="経理", slug="keiri")
    old = timezone.now() - timedelta(days=60)
    target = indexed_post(
        "請求書A", "", space=space, author=author, tags=[tag], last_activity_at=old
    )
    solve(target)
    indexed_post("請求書B", "", post_type=PostType.DISCUSSION)
    indexed_post("請求書C", "")
    viewer = AnonymousUser()
    assert titles(viewer, "請求書", space=space.pk) == ["請求書A"]
    assert titles(viewer, "請求書", post_type=PostType.DISCUSSION) == ["請求書B"]
    assert titles(viewer, "請求書", tag="keiri") == ["請求書A"]
    assert titles(viewer, "請求書", solved=True) == ["請求書A"]
    assert sorted(titles(viewer, "請求書", solved=False)) == ["請求書B", "請求書C"]
    assert titles(viewer, "請求書", author=author.pk) == ["請求書A"]
    assert titles(viewer, "請求書", date_to=(old + timedelta(days=1)).date()) == ["請求書A"]
    assert "請求書A" not in titles(viewer, "請求書", date_from=(old + timedelta(days=2)).date())


def test_snippet_escapes_the_text_and_marks_the_query() -> None:
    indexed_post("<script>請求書</script>", "本文に<b>請求書</b>とあります")
    hit = search_posts(AnonymousUser(), "請求書").page[0]
    assert hit.title_html == "&lt;script&gt;<mark>請求書</mark>&lt;/script&gt;"
    assert hit.snippet_html == "本文に&lt;b&gt;<mark>請求書</mark>&lt;/b&gt;とあります"


def test_second_page_holds_the_remaining_results() -> None:
    space = SpaceFactory()
    for number in range(3):
        indexed_post(f"請求書{number}", "", space=space)
    results = search_posts(AnonymousUser(), "請求書", page=2, per_page=2)
    assert results.total == 3
    assert results.page.number == 2
    assert len(list(results.page)) == 1


def test_empty_query_returns_nothing() -> None:
    indexed_post("請求書", "")
    assert search_posts(AnonymousUser(), "  、 ").total == 0


def test_count_stops_at_the_limit_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kizuna.search.selectors.COUNT_LIMIT", 2)
    space = SpaceFactory()
    for number in range(3):
        indexed_post(f"請求書{number}", "", space=space)
    results = search_posts(AnonymousUser(), "請求書")
    assert (results.total, results.is_total_capped) == (2, True)
