from django.contrib.postgres.operations import CreateCollation
from django.db import migrations, models

from kizuna.core.japanese import JAPANESE_COLLATION, JAPANESE_COLLATION_ICU_LOCALE


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_member_privacy_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="name_reading",
            field=models.CharField(blank=True, max_length=120, verbose_name="reading of the name"),
        ),
        # PostgreSQL only (the operation skips other databases); SQLite registers the same
        # order per connection in kizuna.core.apps.
        CreateCollation(
            JAPANESE_COLLATION, provider="icu", locale=JAPANESE_COLLATION_ICU_LOCALE
        ),
    ]
