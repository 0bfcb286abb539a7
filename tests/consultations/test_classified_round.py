"""A round on a classified draft asks only those named on it: nobody else is sent its title, nor can open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from dongthuan.consultations import services
from dongthuan.core.models import AccessGrant
from dongthuan.documents import services as documents
from dongthuan.documents.models import Document, DocumentType
from dongthuan.people.models import Person

TITLE = "về phương án nhân sự khóa mới"


@pytest.mark.django_db
def test_a_classified_drafts_invitations_go_only_to_those_named_on_it(world, django_capture_on_commit_callbacks):
    secretary = world.users["secretary"]
    draft = documents.document_create(
        actor=secretary,  # named on it as its drafter
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title=TITLE,
        sections=[{"heading": "I. NỘI DUNG", "text": "Nội dung."}],
        classification="mat",
    )
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=str(draft.pk),
        user=world.users["deputy"],
        granted_by=secretary,
    )
    for role in ("secretary", "deputy", "committee_member", "member"):
        Person.objects.filter(pk=world.people[role].pk).update(email=f"{role}@example.vn")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            actor=secretary,
            document=draft,
            opens_on=today,
            closes_on=today + dt.timedelta(days=15),
            audiences=[("committee", world.trung_my), ("members", world.cell)],
        )
    # The committee member and the cell's member are in the audiences but not named: the round's page is a 404 to
    # them, and the letter would have told them the draft's title.
    assert sorted(m.to[0] for m in mail.outbox) == ["deputy@example.vn", "secretary@example.vn"]
    assert all(TITLE not in m.subject + m.body for m in mail.outbox)  # a letter can be forwarded
