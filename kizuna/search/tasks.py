from celery import shared_task

from kizuna.search import indexing


@shared_task(acks_late=True, reject_on_worker_lost=True)
def index_post(post_id: int) -> None:
    """Bring a post's search document up to date after it was written, edited or moderated."""
    indexing.index_post(post_id)
