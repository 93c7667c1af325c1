"""How the apps that write posts and answers keep the search index up to date."""

from django.db import transaction

from kizuna.search import indexing, tasks


def reindex_after_commit(post_id: int) -> None:
    """Mark the post in the caller's transaction and index it once that commits; the mark
    outlives a task that is lost or fails, and the sweep picks it up."""
    indexing.mark_stale(post_id)
    transaction.on_commit(lambda: tasks.index_post.delay(post_id), robust=True)
