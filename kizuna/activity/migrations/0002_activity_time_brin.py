from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Rows arrive in time order and are never updated, so a BRIN index on the time column
# is a few pages for tens of millions of rows and prunes time-range scans (ADR 0005).
CREATE = "CREATE INDEX IF NOT EXISTS activity_time_brin ON activity_activity USING brin (occurred_at)"
DROP = "DROP INDEX IF EXISTS activity_time_brin"


def create_brin(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    else:
        schema_editor.execute("CREATE INDEX IF NOT EXISTS activity_time ON activity_activity (occurred_at)")


def drop_brin(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    else:
        schema_editor.execute("DROP INDEX IF EXISTS activity_time")


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]

    operations = [migrations.RunPython(create_brin, drop_brin)]
