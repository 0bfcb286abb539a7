"""An agenda item on a draft is named by the draft when it is shown (meetings/agenda.py), no longer by a copy of the
draft's title: the title becomes nullable, an item must have a title or a draft, and the titles that were copied
from classified drafts are cleared — with the headings the minutes drafted from them — so that they reach only the
people named on the draft. Self-contained: it carries its own copy of what it needs."""

from django.db import migrations, models

HIDDEN_HEADING = "VĂN BẢN MẬT"  # agenda.HIDDEN_TITLE, as the minutes (in Vietnamese) write it


def _copied(item, document):
    """The titles item_add used to copy from its draft (and the draft's own title alone)."""
    return item.title in (f"{document.doc_type.name} {document.title}", document.title)


def clear_classified_titles(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Minutes = apps.get_model("meetings", "Minutes")
    items = list(
        AgendaItem.objects.filter(document__isnull=False)
        .exclude(document__classification="")
        .select_related("document__doc_type")
    )
    for item in items:
        if item.title and _copied(item, item.document):
            item.title = None
            item.save(update_fields=["title"])
    by_meeting = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, {})[f"item-{item.number}"] = item.pk
    for minutes in Minutes.objects.filter(meeting_id__in=list(by_meeting)):
        hidden = by_meeting[minutes.meeting_id]
        sections = []
        for section in minutes.sections:
            pk = hidden.get(section.get("key"))
            if pk is not None:
                numeral = section.get("numeral") or section.get("heading", "").split(".", 1)[0].strip()
                section = {**section, "heading": f"{numeral}. {HIDDEN_HEADING}", "item": pk, "numeral": numeral}
            sections.append(section)
        if sections != minutes.sections:
            minutes.sections = sections
            minutes.save(update_fields=["sections"])


def restore_titles(apps, schema_editor):
    """Back to a title on every item (required before this migration): a draft's items take its title again."""
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    for item in AgendaItem.objects.filter(title__isnull=True).select_related("document__doc_type"):
        item.title = f"{item.document.doc_type.name} {item.document.title}"[:255]
        item.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0009_search_vectors"),
        ("meetings", "0008_seal_packing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agendaitem",
            name="title",
            field=models.CharField(blank=True, max_length=255, null=True, verbose_name="nội dung"),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("document__isnull", False),
                    models.Q(("title__isnull", False), models.Q(("title", ""), _negated=True)),
                    _connector="OR",
                ),
                name="agenda_item_title_or_document",
                violation_error_message="Hãy ghi nội dung hoặc chọn dự thảo văn bản.",
            ),
        ),
        migrations.RunPython(clear_classified_titles, restore_titles),
    ]
