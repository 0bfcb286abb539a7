"""R-DOC-1: the document types and abbreviations the product starts with (data; the office may add more)."""

from django.db import migrations

from dongthuan.rules.documents import DOCUMENT_TYPES


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
