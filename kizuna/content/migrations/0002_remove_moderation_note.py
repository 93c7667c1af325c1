"""The JSON `moderation_note` is gone: why content is held is moderation's Hold now, and a
moderator's decision is its resolved review item (moderation 0002 moved the data first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("moderation", "0002_hold"),
    ]

    operations = [
        migrations.RemoveField(model_name="answer", name="moderation_note"),
        migrations.RemoveField(model_name="post", name="moderation_note"),
    ]
