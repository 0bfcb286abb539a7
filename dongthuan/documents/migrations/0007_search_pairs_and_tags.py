"""The library's search as documents/search.py reads it: every document's text rebuilt as syllables, pairs of
neighbouring syllables and tags, with its number, type and title apart (``search_title``); on SQLite two FTS5
tables (text, title) holding only issued, unclassified documents, kept by triggers; on PostgreSQL a GIN index on the
title as on the text."""

import re
import unicodedata
from functools import lru_cache

from django.db import migrations, models

# Frozen as of this migration: the index texts as documents/search.py (``document_texts``, ``index_text``,
# ``syllables``) and core/text.py (``fold``) make them, copied so that a later change of the library's search never
# changes what this migration writes. Do not edit; a new index text needs a new migration.
JOIN = "q"
TAG = "zz"
SYLLABLE = re.compile(r"[^\W_]+")
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


@lru_cache(maxsize=65536)
def _fold_word(word):
    decomposed = unicodedata.normalize("NFD", word.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def fold(value):
    """No diacritics, "đ" → "d", lower case, single spaces."""
    return " ".join(_fold_word(word) for word in value.split())


def syllables(text):
    return SYLLABLE.findall(fold(text))


def index_text(*, organization_id, doc_type_id, year, field, parts):
    """A document's syllables, the pairs of neighbouring syllables, and its tags."""
    words = syllables(" ".join(p for p in parts if p))
    pairs = [a + JOIN + b for a, b in zip(words, words[1:], strict=False)]
    tags = [f"{TAG}org{organization_id}", f"{TAG}type{doc_type_id}"]
    if year:
        tags.append(f"{TAG}year{year}")
    if field:
        tags.append(f"{TAG}field{''.join(syllables(field))}")
    return " ".join(words + pairs + tags)


def document_texts(*, symbol, type_name, title, field, sections, organization_id, doc_type_id, year):
    """A document's ``search_title`` (number, type, title) and ``search_text`` (those, its field and its text)."""
    heading = [symbol, type_name, title]
    body = [field] + [f"{s['heading']} {s['text']}" for s in sections]

    def text(parts):
        return index_text(organization_id=organization_id, doc_type_id=doc_type_id, year=year, field=field, parts=parts)

    return text(heading), text(heading + body)


# Frozen as of this migration: migration 0003's SQLite statements (``SQLITE_UP``), which going back restores.
SQLITE_0003_UP = [
    "CREATE VIRTUAL TABLE documents_document_fts USING fts5("
    "search_text, content='documents_document', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER documents_document_fts_ai AFTER INSERT ON documents_document BEGIN "
    "INSERT INTO documents_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER documents_document_fts_ad AFTER DELETE ON documents_document BEGIN "
    "INSERT INTO documents_document_fts(documents_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER documents_document_fts_au AFTER UPDATE OF search_text ON documents_document BEGIN "
    "INSERT INTO documents_document_fts(documents_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO documents_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO documents_document_fts(documents_document_fts) VALUES ('rebuild')",
]

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
    statements = {"sqlite": SQLITE_DROP + SQLITE_0003_UP, "postgresql": PG_DOWN}.get(
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
