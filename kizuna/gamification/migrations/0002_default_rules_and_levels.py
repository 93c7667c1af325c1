"""Default points rules and levels (DOMAIN.md §7: Discourse/Khoros-like weights, seed 003 tiers)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# key: (points, daily cap)
DEFAULT_RULES: dict[str, tuple[int, int | None]] = {
    "signed_up": (10, None),
    "profile_completed": (20, None),
    "asked_question": (5, 25),
    "answered": (5, 50),
    "answer_accepted": (15, None),
    "accepted_an_answer": (2, None),
    "like_received": (1, 50),
    "event_attended": (20, None),
    "event_spoke": (50, None),
    "case_study_published": (50, None),
    "invited_customer_joined": (10, None),
    "idea_shipped": (30, None),
}

# (name_ja, name_en, threshold, colour)
DEFAULT_LEVELS = [
    ("ブロンズ", "Bronze", 0, "#a97142"),
    ("シルバー", "Silver", 100, "#8a9199"),
    ("ゴールド", "Gold", 500, "#b8860b"),
    ("プラチナ", "Platinum", 1500, "#4a7f99"),
]


def create_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    point_rule = apps.get_model("gamification", "PointRule")
    level = apps.get_model("gamification", "Level")
    for key, (points, cap) in DEFAULT_RULES.items():
        point_rule.objects.get_or_create(key=key, defaults={"points": points, "daily_cap": cap})
    for name_ja, name_en, threshold, colour in DEFAULT_LEVELS:
        level.objects.get_or_create(
            threshold=threshold,
            defaults={"name_ja": name_ja, "name_en": name_en, "colour": colour},
        )


def remove_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("gamification", "PointRule").objects.filter(key__in=DEFAULT_RULES).delete()
    apps.get_model("gamification", "Level").objects.filter(
        threshold__in=[row[2] for row in DEFAULT_LEVELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("gamification", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
