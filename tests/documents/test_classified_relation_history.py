"""A relation from an unclassified document to a classified one is recorded in the history of the unclassified
document, which everyone who may read that document's history (the admin's audit list, administrators included)
reads: it names the classified document by its number, not by its title."""

from __future__ import annotations

import datetime as dt

import pytest

from dongthuan.audit.models import AuditEvent
from dongthuan.documents import services
from dongthuan.documents.models import DocumentType
from dongthuan.organizations.services import term_create

SECRET_TITLE = "về công tác bảo vệ chính trị nội bộ"


@pytest.mark.django_db
def test_a_relation_to_a_classified_document_is_recorded_without_its_title(world, client):
    secretary = world.users["secretary"]
    kind = DocumentType.objects.get(name="Nghị quyết")
    term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    sections = [{"heading": "I.", "text": "Nội dung."}]
    secret = services.document_create(
        actor=secretary,
        organization=world.trung_my,
        doc_type=kind,
        title=SECRET_TITLE,
        sections=sections,
        classification="mat",
    )
    secret = services.document_issue(
        actor=secretary,
        document=secret,
        issued_on=dt.date(2026, 1, 5),
        place="Trung Mỹ",
        signer=None,
        signer_title="Bí thư",
    )
    plan = services.document_create(
        actor=secretary, organization=world.trung_my, doc_type=kind, title="kế hoạch thực hiện", sections=sections
    )
    services.relation_add(actor=secretary, source=plan, target=secret, kind="implements")
    event = AuditEvent.objects.for_object(plan).get(action="relation")
    assert event.changes == {"relation": [None, "thực hiện 01-NQ/ĐU (văn bản mật)"]}
    client.force_login(world.users["admin"])
    assert SECRET_TITLE not in client.get(f"/admin/audit/auditevent/{event.pk}/change/").content.decode()
