from django.conf import settings

from config.celery import app


def test_every_periodic_task_names_a_registered_task() -> None:
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert sorted(scheduled - set(app.tasks)) == []
