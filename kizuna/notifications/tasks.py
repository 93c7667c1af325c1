from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def fan_out_activity(activity_id: int) -> None:
    """Turn one activity (an answer, a mention, an accepted answer …) into notifications."""
