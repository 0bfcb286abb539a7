"""A trigram index on people's folded names, so that a province-wide "name contains" search does not read the
whole people table: SQLite keeps an FTS5 trigram table in step with triggers; PostgreSQL uses pg_trgm."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE people_person_fts USING fts5("
    "search_name, content='people_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_person_fts_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER people_person_fts_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER people_person_fts_au AFTER UPDATE OF search_name ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO people_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "INSERT INTO people_person_fts(people_person_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS people_person_fts_ai",
    "DROP TRIGGER IF EXISTS people_person_fts_ad",
    "DROP TRIGGER IF EXISTS people_person_fts_au",
    "DROP TABLE IF EXISTS people_person_fts",
]
PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person USING gin (search_name gin_trgm_ops)",
]
PG_DOWN = ["DROP INDEX IF EXISTS person_search_name_trgm"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)
    elif vendor == "postgresql":
        _run(schema_editor, PG_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)
    elif vendor == "postgresql":
        _run(schema_editor, PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_sort_key_unindexed")]
    operations = [migrations.RunPython(forwards, backwards)]
