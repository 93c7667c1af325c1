from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "kizuna.activity"
    label = "activity"

    def ready(self) -> None:
        from kizuna.activity import receivers  # noqa: F401
