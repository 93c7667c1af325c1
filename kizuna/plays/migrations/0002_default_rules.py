"""The five community-touch play rules of seed 004, with the thresholds the issue gives them.

Titles are left empty so each reader sees the kind's label in their own language; staff may
give a rule a title of their own on the rules page.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DEFAULT_RULES = [
    {"kind": "no_ambassador", "tier": "high", "position": 1},
    {"kind": "no_recent_event", "tier": "low", "days": 90, "any_activity": False, "position": 2},
    {"kind": "contacts_not_joined", "tier": "tech", "percentage": None, "position": 3},
    {
        "kind": "champion_inactive",
        "tier": "",
        "days": 30,
        "window_days": 180,
        "minimum": 3,
        "position": 4,
    },
    {
        "kind": "renewal_engagement_falling",
        "tier": "",
        "days": 90,
        "window_days": 30,
        "percentage": 25,
        "position": 5,
    },
]


def create_default_rules(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    PlayRule = apps.get_model("plays", "PlayRule")
    for values in DEFAULT_RULES:
        if not PlayRule.objects.filter(kind=values["kind"]).exists():
            PlayRule.objects.create(**values)


class Migration(migrations.Migration):
    dependencies = [("plays", "0001_plays_and_rules")]

    operations = [migrations.RunPython(create_default_rules, migrations.RunPython.noop)]
