from celery import shared_task

from kizuna.search import indexing


@shared_task(acks_late=True, reject_on_worker_lost=True)
def index_post(post_id: int) -> None:
    """Bring a post's search document up to date after it was written, edited or moderated
    (a failure is logged and left for the sweep, never raised into the write)."""
    indexing.try_index_post(post_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def index_pending_posts() -> int:
    """Sweep: rebuild the documents whose indexing failed or never ran (periodic, idempotent)."""
    indexed, _failed = indexing.index_pending()
    return indexed
