"""A classified draft put on a meeting's agenda by someone named on it: the agenda item and its poll are seen by
everyone invited, so neither may carry the draft's title to those not named on it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dongthuan.documents import services as documents
from dongthuan.documents.models import DocumentType
from dongthuan.meetings import services
from dongthuan.meetings.agenda import stored_title

TITLE = "về phương án nhân sự khóa mới"


@pytest.mark.django_db
def test_a_classified_drafts_title_is_not_on_the_agenda_of_those_not_named_on_it(client, world):
    secretary = world.users["secretary"]
    draft = documents.document_create(
        actor=secretary,  # named on it as its drafter
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title=TITLE,
        sections=[{"heading": "I.", "text": "Nội dung."}],
        classification="mat",
    )
    meeting = services.meeting_create(actor=secretary, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    item = services.item_add(actor=secretary, meeting=meeting, title="", document=draft)
    services.poll_create(actor=secretary, item=item, question=stored_title(item), kind="open")  # as the page does
    services.minutes_generate(actor=secretary, meeting=meeting)
    client.force_login(world.users["committee_member"])  # invited to the meeting, not named on the draft
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert TITLE not in client.get(meeting.get_absolute_url()).content.decode()
