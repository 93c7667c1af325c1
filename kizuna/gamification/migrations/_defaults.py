"""Default points rules and levels, shared by the data migration and the tests.

Frozen here (not imported from models) so the migration keeps meaning what it meant.
"""

from django.apps import apps as global_apps
from django.apps.registry import Apps

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



def ensure_defaults(apps: Apps = global_apps) -> None:
    """Create any default rule or level that is missing; existing rows are left as staff set them."""
    point_rule = apps.get_model("gamification", "PointRule")
    level = apps.get_model("gamification", "Level")
    for key, (points, cap) in DEFAULT_RULES.items():
        point_rule.objects.get_or_create(key=key, defaults={"points": points, "daily_cap": cap})
    for name_ja, name_en, threshold, colour in DEFAULT_LEVELS:
        level.objects.get_or_create(
            threshold=threshold,
            defaults={"name_ja": name_ja, "name_en": name_en, "colour": colour},
        )
