from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.urls import register_converter

from kizuna.core.converters import DatabaseIdConverter
from kizuna.core.japanese import register_sqlite_collation


class CoreConfig(AppConfig):
    name = "kizuna.core"
    label = "core"

    def ready(self) -> None:
        register_converter(DatabaseIdConverter, "id")
        connection_created.connect(
            register_sqlite_collation, dispatch_uid="kizuna-japanese-collation"
        )
