from django.apps import AppConfig
from django.urls import register_converter

from kizuna.core.converters import DatabaseIdConverter


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"

    def ready(self) -> None:
        register_converter(DatabaseIdConverter, "id")
