"""R-DOC-1: the document types and abbreviations the product starts with (data; the office may add more)."""

from django.db import migrations

# Frozen as of this migration: a copy of the list in rules/documents.py (DOCUMENT_TYPES) as it was when the migration
# was written, so that a later change of that list (which the office may extend in the admin) never changes what
# this migration adds or removes. Do not edit; a new list needs a new migration.
DOCUMENT_TYPES = [
    ("Nghị quyết", "NQ"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Kết luận", "KL"),
    ("Quy chế", "QC"),
    ("Quy định", "QĐ"),
    ("Thông tri", "TT"),
    ("Hướng dẫn", "HD"),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Kế hoạch", "KH"),
    ("Chương trình", "CTr"),
    ("Đề án", "ĐA"),
    ("Tờ trình", "TTr"),
    ("Công văn", "CV"),
    ("Biên bản", "BB"),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (name, abbreviation) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})


def remove_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(name__in=[name for name, _abbr in DOCUMENT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_versions_numbering")]
    operations = [migrations.RunPython(add_types, remove_types)]
