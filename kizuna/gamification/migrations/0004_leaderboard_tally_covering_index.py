from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gamification", "0003_leaderboard_tallies"),
        ("spaces", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="leaderboardtally",
            name="tally_period_space",
        ),
        migrations.AddIndex(
            model_name="leaderboardtally",
            index=models.Index(fields=["period", "space", "member", "points"], name="tally_board"),
        ),
    ]
