"""The engine-specific full-text index: GIN over the tsvector on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_CREATE = (
    "CREATE INDEX searchdoc_vector_gin ON search_searchdocument USING gin (search_vector)"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS searchdoc_vector_gin"
# Space-separated bigrams and morphemes; unicode61 splits on the spaces, porter stems Latin words.
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, answers, morphemes, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [migrations.RunPython(create, drop)]
