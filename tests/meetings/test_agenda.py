"""A draft put before a meeting: only someone who may see it puts it on the agenda, and a classified draft's title
reaches only the people named on it — on the meeting's page, in the minutes and their Word and PDF copies, in the
history, the admin and a poll's default question; everyone else reads "Văn bản mật"."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import docx
import pypdf
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.documents import services as document_services
from dongthuan.documents.models import DocumentType
from dongthuan.meetings import agenda, services
from dongthuan.meetings.models import AgendaItem, Minutes, Poll

SECRET = "về phương án nhân sự khóa mới"
PLAIN = "về công tác dân vận"
SECRET_ITEM = "Nghị quyết về phương án nhân sự khóa mới"
SECTIONS = [{"heading": "I. NỘI DUNG", "text": "Nội dung."}]


def _draft(world, title: str, classification: str = ""):
    """A draft of Trung Mỹ, written by its secretary (named on it when it is classified)."""
    return document_services.document_create(
        actor=world.users["secretary"],
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(abbreviation="NQ"),
        title=title,
        sections=SECTIONS,
        classification=classification,
    )


def _meeting(world):
    meeting = services.meeting_create(
        actor=None,
        body=world.committee,
        title="Hội nghị Ban Chấp hành tháng 12",
        starts_at=dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC),
        chair=world.people["secretary"],
        clerk=world.people["office_staff"],
    )
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    return meeting


def _agenda(world):
    """The meeting with a classified draft (put there by the secretary, named on it) and an unclassified one."""
    meeting = _meeting(world)
    secret, plain = _draft(world, SECRET, "mat"), _draft(world, PLAIN)
    services.item_add(actor=world.users["secretary"], meeting=meeting, title="", document=secret)
    services.item_add(actor=world.users["office_staff"], meeting=meeting, title="", document=plain)
    return meeting, secret, plain


@pytest.mark.django_db
def test_a_draft_the_actor_may_not_see_is_refused_and_nothing_is_written(world):
    meeting = _meeting(world)
    secret = _draft(world, SECRET, "mat")
    audit = AuditEvent.objects.count()
    for actor in (world.users["office_staff"], world.users["deputy"], None):  # not named on it; the system
        with pytest.raises(DomainError) as refused:
            services.item_add(actor=actor, meeting=meeting, title="Nhân sự", document=secret)
        assert refused.value.message_dict == {
            "document": ["Đồng chí không có quyền xem dự thảo văn bản này nên không đưa được ra hội nghị."]
        }
    other = document_services.document_create(  # another commune's draft: its office cannot see it either
        actor=world.users["other_secretary"],
        organization=world.ba_hien,
        doc_type=DocumentType.objects.get(abbreviation="NQ"),
        title=PLAIN,
        sections=SECTIONS,
    )
    audit = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        services.item_add(actor=world.users["office_staff"], meeting=meeting, title="", document=other)
    assert list(refused.value.message_dict) == ["document"]
    assert (AgendaItem.objects.count(), AuditEvent.objects.count()) == (0, audit)

    item = services.item_add(actor=world.users["secretary"], meeting=meeting, title="", document=secret)
    assert (item.number, item.title, item.kind, item.document) == (1, None, "document", secret)


@pytest.mark.django_db
def test_an_item_has_a_title_or_a_draft(world):
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as refused:
        services.item_add(actor=None, meeting=meeting, title="  ")
    assert refused.value.messages == ["Hãy ghi nội dung hoặc chọn dự thảo văn bản."]
    assert AgendaItem.objects.count() == 0
    plain = services.item_add(actor=None, meeting=meeting, title="", document=_draft(world, PLAIN))
    assert (plain.title, agenda.public_title(plain)) == (None, "Nghị quyết về công tác dân vận")


@pytest.mark.django_db
def test_each_reader_gets_the_title_they_may_see(world):
    meeting, secret, plain = _agenda(world)
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("document__doc_type").order_by("number"))
    assert [i.title for i in items] == [None, None]  # nothing copied
    named = agenda.titles_for(world.users["secretary"], items)
    hidden = agenda.titles_for(world.users["deputy"], items)
    assert [named[i.pk] for i in items] == [SECRET_ITEM, "Nghị quyết về công tác dân vận"]
    assert [hidden[i.pk] for i in items] == ["Văn bản mật", "Nghị quyết về công tác dân vận"]
    assert [str(i) for i in items] == ["1. Văn bản mật", "2. Nghị quyết về công tác dân vận"]
    with translation.override("en"):
        assert agenda.public_title(items[0]) == "Classified document"
    # A title the office typed beside a classified draft is hidden with it.
    AgendaItem.objects.filter(pk=items[0].pk).update(title="Phương án nhân sự")
    items[0].refresh_from_db()
    assert agenda.titles_for(world.users["deputy"], items[:1]) == {items[0].pk: "Văn bản mật"}
    assert agenda.titles_for(world.users["secretary"], items[:1]) == {items[0].pk: "Phương án nhân sự"}
    # The history and its changes name the item as anyone may read it.
    added = AuditEvent.objects.filter(action="item_add").order_by("id")
    assert [e.changes["item"][1] for e in added] == ["1. Văn bản mật", "2. Nghị quyết về công tác dân vận"]


@pytest.mark.django_db
def test_the_meeting_page_names_a_classified_draft_only_to_those_named_on_it(client, world):
    meeting, secret, plain = _agenda(world)
    for role in ("office_staff", "deputy", "committee_member"):
        client.force_login(world.users[role])
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert SECRET not in page and SECRET.upper() not in page, role
        assert "1. Văn bản mật" in page and "2. Nghị quyết về công tác dân vận" in page
        assert reverse("documents:detail", args=[secret.pk]) not in page  # no link to it either
    client.force_login(world.users["secretary"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"1. {SECRET_ITEM}" in page
    assert reverse("documents:detail", args=[secret.pk]) in page
    # A poll created without a question takes the title anyone at the meeting may read.
    item = meeting.items.get(number=1)
    client.post(reverse("meetings:poll_add", args=[meeting.pk, item.pk]), {"kind": "open"})
    assert Poll.objects.get(item=item).question == "Văn bản mật"


@pytest.mark.django_db
def test_the_minutes_and_their_files_name_it_only_to_those_named_on_it(client, world):
    meeting, secret, plain = _agenda(world)
    minutes = services.minutes_generate(actor=world.users["secretary"], meeting=meeting)
    assert SECRET.upper() not in str(minutes.sections)  # what is stored is what anyone may read
    assert [(s["heading"], s.get("numeral")) for s in minutes.sections if s["key"].startswith("item-")] == [
        ("II. VĂN BẢN MẬT", "II"),
        ("III. NGHỊ QUYẾT VỀ CÔNG TÁC DÂN VẬN", "III"),
    ]
    services.meeting_close(actor=None, meeting=meeting)
    services.minutes_sign(actor=None, minutes=minutes)

    def read(role: str) -> tuple[str, list[str], str]:
        client.force_login(world.users[role])
        page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
        word = docx.Document(
            io.BytesIO(client.get(reverse("meetings:minutes_export", args=[meeting.pk, "docx"])).content)
        )
        pdf = pypdf.PdfReader(
            io.BytesIO(client.get(reverse("meetings:minutes_export", args=[meeting.pk, "pdf"])).content)
        )
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
        return page, [p.text for p in word.paragraphs if p.text], text

    page, lines, pdf = read("committee_member")
    assert "II. VĂN BẢN MẬT" in page and SECRET.upper() not in page
    assert "II. VĂN BẢN MẬT" in lines and not any(SECRET.upper() in line for line in lines)
    assert "II. VĂN BẢN MẬT" in pdf and SECRET.upper() not in pdf
    page, lines, pdf = read("secretary")
    heading = f"II. {SECRET_ITEM.upper()}"
    assert heading in page and heading in lines and heading in pdf
    assert "III. NGHỊ QUYẾT VỀ CÔNG TÁC DÂN VẬN" in lines


@pytest.mark.django_db
def test_the_admin_does_not_show_a_classified_drafts_title_to_an_administrator(client, world):
    meeting, secret, plain = _agenda(world)
    client.force_login(world.users["admin"])
    listing = client.get("/admin/meetings/agendaitem/").content.decode()
    assert "Văn bản mật" in listing and SECRET not in listing
    item = meeting.items.get(number=1)
    page = client.get(f"/admin/meetings/agendaitem/{item.pk}/change/").content.decode()
    assert page.count("Văn bản mật") >= 1 and SECRET not in page


@pytest.mark.django_db
def test_the_migration_clears_titles_copied_from_classified_drafts_and_their_minutes_headings(world):
    meeting = _meeting(world)
    secret, plain = _draft(world, SECRET, "mat"), _draft(world, PLAIN)
    copied = services.item_add(actor=world.users["secretary"], meeting=meeting, title="", document=secret)
    typed = services.item_add(actor=world.users["secretary"], meeting=meeting, title="Phương án", document=secret)
    kept = services.item_add(actor=None, meeting=meeting, title="", document=plain)
    # As the items and minutes were written before: the draft's title copied into the item and the heading.
    AgendaItem.objects.filter(pk=copied.pk).update(title=SECRET_ITEM)
    AgendaItem.objects.filter(pk=kept.pk).update(title="Nghị quyết về công tác dân vận")
    old = [
        {"key": "opening", "heading": "", "text": "Mở đầu"},
        {"key": "item-1", "heading": f"II. {SECRET_ITEM.upper()}", "text": "Thảo luận."},
        {"key": "item-2", "heading": "III. PHƯƠNG ÁN", "text": ""},
        {"key": "item-3", "heading": "IV. NGHỊ QUYẾT VỀ CÔNG TÁC DÂN VẬN", "text": ""},
    ]
    Minutes.objects.create(meeting=meeting, sections=old)
    migration = importlib.import_module("dongthuan.meetings.migrations.0009_agenda_item_title_from_draft")
    migration.clear_classified_titles(apps, None)
    assert list(AgendaItem.objects.order_by("number").values_list("title", flat=True)) == [
        None,
        "Phương án",  # typed by the office: kept, and shown only to those named on the draft
        "Nghị quyết về công tác dân vận",
    ]
    assert Minutes.objects.get(meeting=meeting).sections == [
        old[0],
        {"key": "item-1", "heading": "II. VĂN BẢN MẬT", "text": "Thảo luận.", "item": copied.pk, "numeral": "II"},
        {"key": "item-2", "heading": "III. VĂN BẢN MẬT", "text": "", "item": typed.pk, "numeral": "III"},
        old[3],
    ]
    minutes = Minutes.objects.get(meeting=meeting)
    assert [s["heading"] for s in agenda.minutes_sections(minutes, world.users["secretary"])] == [
        "",
        f"II. {SECRET_ITEM.upper()}",
        "III. PHƯƠNG ÁN",
        "IV. NGHỊ QUYẾT VỀ CÔNG TÁC DÂN VẬN",
    ]
    migration.restore_titles(apps, None)  # the way back gives every item a title again
    assert AgendaItem.objects.get(pk=copied.pk).title == SECRET_ITEM
