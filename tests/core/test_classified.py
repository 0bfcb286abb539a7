"""Classified records (Mật, Tối mật, Tuyệt mật) are seen only by the people named on them: not in another page's
choices, not in the admin's lists (administrators included), and names are given only by those already named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.core.models import AccessGrant
from dongthuan.documents import services as document_services
from dongthuan.documents.models import Document, DocumentType
from dongthuan.meetings import services as meeting_services

SECRET_TITLE = "về phương án nhân sự khóa mới"
OPEN_TITLE = "về công tác dân vận"


def _drafts(world):
    kind = DocumentType.objects.filter(abbreviation="NQ").first()
    sections = [{"heading": "I. NỘI DUNG", "text": "Nội dung."}]
    secret = document_services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=kind,
        title=SECRET_TITLE,
        sections=sections,
        classification="mat",
    )
    plain = document_services.document_create(
        actor=None, organization=world.trung_my, doc_type=kind, title=OPEN_TITLE, sections=sections
    )
    return secret, plain


def _name(document, user):
    return AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document), object_id=str(document.pk), user=user
    )


def _meeting(world):
    return meeting_services.meeting_create(
        actor=None,
        body=world.committee,
        title="Hội nghị Ban Chấp hành",
        kind="regular",
        starts_at=dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC),
    )


@pytest.mark.django_db
def test_a_classified_draft_is_offered_on_the_agenda_only_to_those_named_on_it(client, world):
    secret, plain = _drafts(world)
    meeting = _meeting(world)
    _name(secret, world.users["secretary"])
    client.force_login(world.users["office_staff"])  # manages the meeting, not named on the draft
    response = client.get(meeting.get_absolute_url())
    choices = [d.pk for d in response.context["item_form"].fields["document"].queryset]
    assert choices == [plain.pk]
    assert SECRET_TITLE not in response.content.decode()
    # Posting its id anyway is refused as an unknown choice, and nothing is added.
    response = client.post(reverse("meetings:item_add", args=[meeting.pk]), {"kind": "document", "document": secret.pk})
    assert meeting.items.count() == 0
    client.force_login(world.users["secretary"])
    choices = [d.pk for d in client.get(meeting.get_absolute_url()).context["item_form"].fields["document"].queryset]
    assert sorted(choices) == sorted([secret.pk, plain.pk])


@pytest.mark.django_db
def test_the_admin_lists_no_classified_document_version_or_audit_row_to_an_administrator_not_named(client, world):
    secret, plain = _drafts(world)
    admin = world.users["admin"]
    client.force_login(admin)
    version = secret.versions.get()
    pages = {
        "/admin/documents/document/": SECRET_TITLE,
        "/admin/documents/version/": SECRET_TITLE,
        "/admin/audit/auditevent/": SECRET_TITLE,
    }
    for url, title in pages.items():
        page = client.get(url).content.decode()
        assert title not in page, url
    assert OPEN_TITLE in client.get("/admin/documents/document/").content.decode()
    assert OPEN_TITLE in client.get("/admin/audit/auditevent/").content.decode()
    row = AuditEvent.objects.for_object(secret).get()
    for url in (
        f"/admin/documents/document/{secret.pk}/change/",
        f"/admin/documents/version/{version.pk}/change/",
        f"/admin/audit/auditevent/{row.pk}/change/",
    ):
        assert client.get(url).status_code == 302, url  # not in the admin's queryset: sent back to the index
    assert client.get(f"/admin/documents/document/{plain.pk}/change/").status_code == 200
    _name(secret, admin)
    for url in pages:
        assert SECRET_TITLE in client.get(url).content.decode(), url
    assert client.get(f"/admin/documents/document/{secret.pk}/change/").status_code == 200
