"""Default points rules and levels (DOMAIN.md §7: Discourse/Khoros-like weights, seed 003 tiers)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from kizuna.gamification.migrations._defaults import DEFAULT_LEVELS, DEFAULT_RULES, ensure_defaults

def create_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ensure_defaults(apps)


def remove_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("gamification", "PointRule").objects.filter(key__in=DEFAULT_RULES).delete()
    apps.get_model("gamification", "Level").objects.filter(
        threshold__in=[row[2] for row in DEFAULT_LEVELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("gamification", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
