from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from kizuna.content.models import ContentStatus, Post
from kizuna.search.models import SearchDocument
from kizuna.search.selectors import search_posts
from kizuna.search.tasks import index_post
from kizuna.search.tests.factories import indexed_post

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_missing_documents_and_drops_deleted_posts() -> None:
    kept = indexed_post("請求書の件", "")
    gone = indexed_post("請求書の削除", "")
    SearchDocument.objects.filter(post_id=kept.pk).delete()
    Post.objects.filter(pk=gone.pk).update(status=ContentStatus.DELETED)
    output = StringIO()
    call_command("reindex_search", stdout=output)
    assert list(SearchDocument.objects.values_list("post_id", flat=True)) == [kept.pk]
    assert search_posts(AnonymousUser(), "請求書").total == 1
    assert output.getvalue().startswith("Indexed 1 posts")


def test_index_post_task_picks_up_an_edited_title() -> None:
    post = indexed_post("請求書の件", "")
    Post.objects.filter(pk=post.pk).update(title="領収書の件")
    index_post.apply(args=[post.pk])
    assert search_posts(AnonymousUser(), "請求書").total == 0
    assert search_posts(AnonymousUser(), "領収書").total == 1
