from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kizuna.search"
    label = "search"

    def ready(self) -> None:
        from kizuna.activity.dispatch import register_thread_consumer
        from kizuna.search.services import reindex_after_commit

        register_thread_consumer(reindex_after_commit)
