"""Administrators configure the system; they do not read classified documents (README, Security). What hangs off a
classified document — its consultation rounds, their audiences, opinions, answers and letters, its dissemination
with the members asked, their confirmations and study sessions — is as secret as the document in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dongthuan.consultations import services as consultations
from dongthuan.consultations.models import Answer, Audience, Notice, Round
from dongthuan.consultations.models import Opinion as ConsultationOpinion
from dongthuan.core.models import AccessGrant
from dongthuan.documents import services as documents
from dongthuan.documents.models import (
    Acknowledgement,
    Dissemination,
    DisseminationMember,
    Document,
    DocumentType,
    StudySession,
)
from dongthuan.organizations.services import term_create

DRAFT = "về phương án nhân sự khóa mới"
ISSUED = "về công tác bảo vệ chính trị nội bộ"
OPINION = "Đề nghị bổ sung đồng chí Trần Văn Khải vào phương án"


def _classified(world):
    secretary = world.users["secretary"]
    kind = DocumentType.objects.get(name="Nghị quyết")
    sections = [{"heading": "I. NỘI DUNG", "text": "Nội dung."}]
    draft = documents.document_create(
        actor=secretary,
        organization=world.trung_my,
        doc_type=kind,
        title=DRAFT,
        sections=sections,
        classification="mat",
    )
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=str(draft.pk),
        user=world.users["member"],
        granted_by=secretary,
    )
    today = timezone.localdate()
    consultation = consultations.round_open(
        actor=secretary,
        document=draft,
        opens_on=today,
        closes_on=today + dt.timedelta(days=15),
        audiences=[("members", world.cell)],
    )
    Notice.objects.create(round=consultation, person=world.people["member"], kind="invitation")
    opinion = consultations.opinion_give(
        actor=world.users["member"], consultation=consultation, person=world.people["member"], text=OPINION
    )
    consultations.opinion_answer(actor=secretary, opinion=opinion, decision="accepted", reasoning="Tiếp thu.")
    term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    issued = documents.document_create(
        actor=secretary,
        organization=world.trung_my,
        doc_type=kind,
        title=ISSUED,
        sections=sections,
        classification="mat",
    )
    issued = documents.document_issue(
        actor=secretary,
        document=issued,
        issued_on=dt.date(2026, 1, 5),
        place="Trung Mỹ",
        signer=None,
        signer_title="Bí thư",
    )
    dissemination = documents.dissemination_create(actor=secretary, document=issued, organization=world.trung_my)
    documents.session_record(
        actor=secretary,
        dissemination=dissemination,
        organization=world.cell,
        held_on=today,
        attendees=[world.people["member"]],
    )
    return draft, issued


@pytest.mark.django_db
def test_the_admin_shows_nothing_of_a_classified_documents_rounds_or_dissemination_to_an_administrator_not_named(
    client, world
):
    _classified(world)
    client.force_login(world.users["admin"])
    rows = {
        "consultations/round": Round,
        "consultations/audience": Audience,
        "consultations/opinion": ConsultationOpinion,
        "consultations/answer": Answer,
        "consultations/notice": Notice,
        "documents/dissemination": Dissemination,
        "documents/disseminationmember": DisseminationMember,
        "documents/acknowledgement": Acknowledgement,
        "documents/studysession": StudySession,
    }
    shown = {}
    for path, model in rows.items():
        assert model.objects.exists(), path
        listing = client.get(f"/admin/{path}/").content.decode()
        change = client.get(f"/admin/{path}/{model.objects.first().pk}/change/")
        shown[path] = (
            any(text in listing for text in (DRAFT, ISSUED, OPINION, "Tiếp thu.")),
            change.status_code,
        )
    # Not listed, and the change page sends the administrator back to the index as for any record not in the list.
    assert shown == dict.fromkeys(rows, (False, 302))
