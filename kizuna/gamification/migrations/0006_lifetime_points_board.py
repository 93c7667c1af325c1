from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Frozen here: the period key of the all-time tallies.
ALL_TIME = "all"


def drop_all_time_totals(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The all-time community board now ranks lifetime points; nothing reads these totals."""
    apps.get_model("gamification", "LeaderboardTotal").objects.filter(period=ALL_TIME).delete()


def sum_all_time_tallies(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Undo: the all-time totals again, from the all-time tallies (as migration 0005 did)."""
    total = apps.get_model("gamification", "LeaderboardTotal")._meta.db_table
    tally = apps.get_model("gamification", "LeaderboardTally")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {total} (member_id, period, points, ceiling) "
            "SELECT member_id, period, SUM(points), "
            "SUM(CASE WHEN points > 0 THEN points ELSE 0 END) "
            f"FROM {tally} WHERE period = %s GROUP BY member_id, period",
            [ALL_TIME],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gamification", "0005_leaderboard_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="memberbalance",
            index=models.Index(fields=["-lifetime_points", "member"], name="balance_board"),
        ),
        migrations.RunPython(drop_all_time_totals, sum_all_time_tallies),
    ]
