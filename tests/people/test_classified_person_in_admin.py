"""A classified person record is hidden from administrators not named on it, their name included (the person admin
does not list it). The rows that name that person — their posts, their attendance at meetings, the history of
their posts — must not list the name either."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dongthuan.meetings import services as meetings
from dongthuan.people import services


@pytest.mark.django_db
def test_the_admin_does_not_name_a_classified_person_through_their_posts_attendance_or_history(client, world):
    person = services.person_update(actor=None, person=world.people["committee_member"], classification="mat")
    meetings.meeting_create(actor=None, body=world.committee, title="Hội nghị Ban Chấp hành", starts_at=timezone.now())
    client.force_login(world.users["admin"])
    assert person.full_name not in client.get("/admin/people/person/").content.decode()
    shown = {
        url: person.full_name in client.get(url).content.decode()
        for url in ("/admin/organizations/position/", "/admin/meetings/attendance/", "/admin/audit/auditevent/")
    }
    assert shown == dict.fromkeys(shown, False)
