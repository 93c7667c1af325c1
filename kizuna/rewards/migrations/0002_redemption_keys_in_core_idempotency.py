"""A redemption's idempotency key moves to core's IdempotencyKey, the one mechanism every
repeatable write uses; a retry of a redemption made before the move still gets it back."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SCOPE = "rewards.redemption"
BATCH = 1000


def keys_to_core(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    redemption_model = apps.get_model("rewards", "Redemption")
    key_model = apps.get_model("core", "IdempotencyKey")
    rows = redemption_model.objects.values_list("pk", "member_id", "idempotency_key")
    key_model.objects.bulk_create(
        [
            key_model(scope=SCOPE, actor_id=member_id, key=key, result_id=pk)
            for pk, member_id, key in rows
        ],
        batch_size=BATCH,
    )


def keys_back(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    redemption_model = apps.get_model("rewards", "Redemption")
    key_model = apps.get_model("core", "IdempotencyKey")
    keys = key_model.objects.filter(scope=SCOPE, result_id__isnull=False)
    for key, result_id in keys.values_list("key", "result_id").iterator(chunk_size=BATCH):
        redemption_model.objects.filter(pk=result_id).update(idempotency_key=key)
    keys.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_idempotency_key"),
        ("rewards", "0001_reward_and_redemption"),
    ]

    operations = [
        # Nullable first, so that undoing the move can add the column back before refilling it.
        migrations.AlterField(
            model_name="redemption",
            name="idempotency_key",
            field=models.CharField(max_length=128, null=True, unique=True),
        ),
        migrations.RunPython(keys_to_core, keys_back),
        migrations.RemoveField(model_name="redemption", name="idempotency_key"),
    ]
