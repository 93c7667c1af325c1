from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Sum
from django.db.models.functions import TruncMonth

# Frozen here: what the leaderboards counted when the tallies were introduced.
TALLIED_KINDS = ("award", "reversal")
ALL_TIME = "all"


def tally_existing_entries(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Sum the ledger written before the tallies existed, all time and per local month."""
    entry = apps.get_model("gamification", "LedgerEntry")
    tally = apps.get_model("gamification", "LeaderboardTally")
    entries = entry.objects.filter(kind__in=TALLIED_KINDS)
    rows = [
        tally(member_id=member_id, space_id=space_id, period=ALL_TIME, points=total)
        for member_id, space_id, total in entries.values("member_id", "space_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "space_id", "total")
        .iterator()
    ]
    monthly = (
        entries.annotate(month=TruncMonth("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("member_id", "space_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "space_id", "month", "total")
    )
    rows += [
        tally(member_id=member_id, space_id=space_id, period=f"{month:%Y-%m}", points=total)
        for member_id, space_id, month, total in monthly.iterator()
    ]
    tally.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("gamification", "0002_default_rules_and_levels"),
        ("spaces", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LeaderboardTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=7)),
                ("points", models.IntegerField(default=0)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "space",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="spaces.space",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["period", "space"], name="tally_period_space")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("space__isnull", False)),
                        fields=("member", "space", "period"),
                        name="tally_member_space_period",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("space__isnull", True)),
                        fields=("member", "period"),
                        name="tally_member_no_space_period",
                    ),
                ],
            },
        ),
        migrations.RunPython(tally_existing_entries, migrations.RunPython.noop),
    ]
