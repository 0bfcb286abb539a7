"""The library's search as documents/search.py reads it: every document's text rebuilt as syllables, pairs of
neighbouring syllables and tags, with its number, type and title apart (``search_title``); on SQLite two FTS5
tables (text, title) holding only issued, unclassified documents, kept by triggers; on PostgreSQL a GIN index on the
title as on the text."""

from django.db import migrations, models

LIBRARY = "{row}.status = 'issued' AND {row}.classification = ''"


def _fts(table: str, column: str) -> list[str]:
    new, old = LIBRARY.format(row="new"), LIBRARY.format(row="old")
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({column}, content='documents_document', content_rowid='id', "
        "tokenize='unicode61')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON documents_document WHEN {new} BEGIN "
        f"INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON documents_document WHEN {old} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON documents_document BEGIN "
        f"INSERT INTO {table}({table}, rowid, {column}) SELECT 'delete', old.id, old.{column} WHERE {old}; "
        f"INSERT INTO {table}(rowid, {column}) SELECT new.id, new.{column} WHERE {new}; END",
        f"INSERT INTO {table}(rowid, {column}) SELECT id, {column} FROM documents_document "
        f"WHERE {LIBRARY.format(row='documents_document')}",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS documents_document_fts_ai",
    "DROP TRIGGER IF EXISTS documents_document_fts_ad",
    "DROP TRIGGER IF EXISTS documents_document_fts_au",
    "DROP TABLE IF EXISTS documents_document_fts",
    "DROP TRIGGER IF EXISTS documents_document_title_fts_ai",
    "DROP TRIGGER IF EXISTS documents_document_title_fts_ad",
    "DROP TRIGGER IF EXISTS documents_document_title_fts_au",
    "DROP TABLE IF EXISTS documents_document_title_fts",
]
PG_UP = [
    "CREATE INDEX IF NOT EXISTS document_search_title_tsv ON documents_document "
    "USING gin (to_tsvector('simple'::regconfig, search_title))"
]
PG_DOWN = ["DROP INDEX IF EXISTS document_search_title_tsv"]


def reindex(apps, schema_editor):
    from dongthuan.documents.search import document_texts

    Document = apps.get_model("documents", "Document")
    Version = apps.get_model("documents", "Version")
    for document in Document.objects.select_related("doc_type").iterator(chunk_size=500):
        version = (
            Version.objects.filter(pk=document.issued_version_id).first()
            if document.issued_version_id
            else Version.objects.filter(document=document).order_by("-number").first()
        )
        title, text = document_texts(
            symbol=document.symbol,
            type_name=document.doc_type.name,
            title=document.title,
            field=document.field,
            sections=version.sections if version else [],
            organization_id=document.organization_id,
            doc_type_id=document.doc_type_id,
            year=document.issued_on.year if document.issued_on else None,
        )
        Document.objects.filter(pk=document.pk).update(search_title=title, search_text=text)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)
    reindex(apps, schema_editor)
    statements = {
        "sqlite": _fts("documents_document_fts", "search_text") + _fts("documents_document_title_fts", "search_title"),
        "postgresql": PG_UP,
    }.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    import importlib

    before = importlib.import_module("dongthuan.documents.migrations.0003_full_text_search")
    statements = {"sqlite": SQLITE_DROP + before.SQLITE_UP, "postgresql": PG_DOWN}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_dissemination_members")]
    operations = [
        migrations.AddField(
            model_name="document",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
