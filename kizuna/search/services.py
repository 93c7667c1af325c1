"""How the search index follows the writes that change a thread: `reindex_after_commit` is
registered with the activity dispatcher (`thread_changed`), so no writer imports search."""

from django.db import transaction

from kizuna.search import indexing, tasks


def reindex_after_commit(post_id: int) -> None:
    """Mark the post in the caller's transaction and index it once that commits; the mark
    outlives a task that is lost or fails, and the sweep picks it up."""
    indexing.mark_stale(post_id)
    transaction.on_commit(lambda: tasks.index_post.delay(post_id), robust=True)
