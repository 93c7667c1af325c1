import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def sum_existing_tallies(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """One total per member and period from the tallies, in one statement (SQLite and PostgreSQL)."""
    total = apps.get_model("gamification", "LeaderboardTotal")._meta.db_table
    tally = apps.get_model("gamification", "LeaderboardTally")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {total} (member_id, period, points, ceiling) "
            "SELECT member_id, period, SUM(points), "
            "SUM(CASE WHEN points > 0 THEN points ELSE 0 END) "
            f"FROM {tally} GROUP BY member_id, period"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gamification", "0004_leaderboard_tally_covering_index"),
        ("spaces", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LeaderboardTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=7)),
                ("points", models.IntegerField(default=0)),
                ("ceiling", models.IntegerField(default=0)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="leaderboardtally",
            name="tally_board",
        ),
        migrations.AddIndex(
            model_name="leaderboardtally",
            index=models.Index(
                fields=["period", "space", "-points", "member"], name="tally_space_board"
            ),
        ),
        migrations.AddField(
            model_name="leaderboardtotal",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="leaderboardtotal",
            index=models.Index(fields=["period", "-ceiling", "member"], name="total_board"),
        ),
        migrations.AddConstraint(
            model_name="leaderboardtotal",
            constraint=models.UniqueConstraint(
                fields=("member", "period"), name="total_member_period"
            ),
        ),
        migrations.RunPython(sum_existing_tallies, migrations.RunPython.noop),
    ]
