"""A meeting through its pages: convene, take attendance, add an item and a vote, members vote from their own
accounts, the chair's live panel shows turnout, then the result after closing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dongthuan.meetings.models import Meeting, Poll


def _post(client, url, data=None, follow=True):
    return client.post(url, data or {}, follow=follow)


@pytest.mark.django_db
def test_meeting_from_convening_to_result(client, world):
    committee = world.committee  # secretary, deputy, committee member serve on it
    client.force_login(world.users["office_staff"])
    response = _post(
        client,
        reverse("meetings:create", args=[committee.pk]),
        {
            "title": "Hội nghị Ban Chấp hành tháng 12",
            "kind": "regular",
            "starts_at": "05/12/2026 08:00",
            "chair": world.people["secretary"].pk,
            "clerk": world.people["office_staff"].pk,
            "guests": [world.people["office_staff"].pk],
        },
    )
    assert response.status_code == 200
    meeting = Meeting.objects.get(title="Hội nghị Ban Chấp hành tháng 12")
    assert sorted(meeting.attendance.values_list("person__full_name", "role")) == [
        ("Hoàng Thị Lan", "member"),
        ("Phạm Văn Bình", "member"),
        ("Vũ Đức Cường", "member"),
        ("Đỗ Thu Hà", "guest"),
    ]
    assert (meeting.chair, meeting.clerk) == (world.people["secretary"], world.people["office_staff"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Có mặt 0/3 thành viên đương nhiệm; cần 2 để biểu quyết." in page

    _post(
        client, reverse("meetings:item_add", args=[meeting.pk]), {"title": "Nghị quyết chuyên đề", "kind": "document"}
    )
    item = meeting.items.get()
    _post(client, reverse("meetings:poll_add", args=[meeting.pk, item.pk]), {"question": "Thông qua", "kind": "open"})
    poll = Poll.objects.get(item=item)
    response = _post(client, reverse("meetings:poll_open", args=[poll.pk]))
    assert "Chưa đủ số lượng: có mặt 0/3, cần ít nhất 2 (2/3); còn thiếu 2 thành viên." in response.content.decode()
    for role in ("secretary", "deputy"):
        _post(
            client,
            reverse("meetings:attendance", args=[meeting.pk, world.people[role].pk]),
            {"status": "present"},
        )
    _post(client, reverse("meetings:poll_open", args=[poll.pk]))
    assert Poll.objects.get(pk=poll.pk).status == "open"

    for role, choice in (("secretary", "approve"), ("deputy", "approve")):
        client.force_login(world.users[role])
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert 'value="approve"' in page
        _post(client, reverse("meetings:vote", args=[poll.pk]), {"choice": choice})
    again = _post(client, reverse("meetings:vote", args=[poll.pk]), {"choice": "reject"}).content.decode()
    assert "Đồng chí đã bỏ phiếu." in again
    client.force_login(world.users["committee_member"])  # invited but not marked present
    assert 'value="approve"' not in client.get(meeting.get_absolute_url()).content.decode()

    client.force_login(world.users["office_staff"])
    live = client.get(meeting.get_absolute_url() + "?part=live", HTTP_HX_REQUEST="true").content.decode()
    assert "Đã biểu quyết: 2" in live
    assert "Tán thành 2" not in live
    _post(client, reverse("meetings:poll_close", args=[poll.pk]))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Tán thành 2, không tán thành 0, không biểu quyết 0 — trên 3 thành viên đương nhiệm (cần 2)." in page
    assert "Thông qua" in page


@pytest.mark.django_db
def test_a_member_of_another_body_cannot_vote_and_nothing_is_recorded(client, world):
    from django.utils import timezone

    from dongthuan.meetings import selectors, services

    meeting = services.meeting_create(actor=None, body=world.committee, title="Họp", starts_at=timezone.now())
    for role in ("secretary", "deputy"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Bầu phó bí thư", kind="election")
    poll = services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Bầu", kind="secret")
    )
    client.force_login(world.users["other_secretary"])
    assert client.post(reverse("meetings:vote", args=[poll.pk]), {"choice": "approve"}).status_code == 404
    assert selectors.turnout(poll) == 0


@pytest.mark.django_db
def test_a_vote_from_a_phone_answers_in_place_with_few_queries(client, world, django_assert_num_queries):
    """The phone's ballot posts with htmx and gets a one-line answer; the vote costs a fixed number of queries."""
    from django.utils import timezone

    from dongthuan.meetings import services
    from dongthuan.meetings.models import Ballot, VoterMark

    meeting = services.meeting_create(actor=None, body=world.committee, title="Họp", starts_at=timezone.now())
    for role in ("secretary", "deputy"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nhân sự", kind="personnel")
    poll = services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Đồng ý", kind="secret")
    )
    client.force_login(world.users["secretary"])
    url = reverse("meetings:vote", args=[poll.pk])
    with django_assert_num_queries(10):
        response = client.post(url, {"choice": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Đã ghi nhận phiếu của đồng chí." in response.content.decode()
    again = client.post(url, {"choice": "reject"}, HTTP_HX_REQUEST="true").content.decode()
    assert "alert-danger" in again and "Đồng chí đã bỏ phiếu." in again
    assert Ballot.objects.filter(poll=poll).count() == VoterMark.objects.filter(poll=poll).count() == 1


@pytest.mark.django_db
def test_an_election_ballot_costs_the_queries_of_a_resolution(client, world, django_assert_num_queries):
    """The list a ballot is checked against is read from the seal's slots (fixed when the poll opened), so a ballot
    from a list costs the same ten queries as a yes/no ballot; a name off the list is still refused."""
    from django.utils import timezone

    from dongthuan.meetings import services
    from dongthuan.meetings.models import Ballot, VoterMark

    meeting = services.meeting_create(actor=None, body=world.committee, title="Họp", starts_at=timezone.now())
    for role in ("secretary", "deputy"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Bầu Bí thư", kind="election")
    poll = services.poll_create(
        actor=None, item=item, question="Bầu Bí thư", kind="secret", method="candidates", seats=1, elects="secretary"
    )
    listed = services.candidate_add(actor=None, poll=poll, person=world.people["deputy"])
    services.poll_open(actor=None, poll=poll)
    url = reverse("meetings:vote", args=[poll.pk])
    client.force_login(world.users["deputy"])
    refused = client.post(url, {"candidate": str(listed.pk + 1000)}, HTTP_HX_REQUEST="true").content.decode()
    assert "Phiếu có người không thuộc danh sách." in refused
    client.force_login(world.users["secretary"])
    with django_assert_num_queries(10):
        response = client.post(url, {"candidate": str(listed.pk)}, HTTP_HX_REQUEST="true")
    assert "Đã ghi nhận phiếu của đồng chí." in response.content.decode()
    assert Ballot.objects.filter(poll=poll).count() == VoterMark.objects.filter(poll=poll).count() == 1


@pytest.mark.django_db
def test_the_meeting_page_costs_the_same_queries_however_many_votes(client, world):
    """The chair's screen and its live part: a fixed number of queries whatever the number of items and polls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dongthuan.meetings import services

    meeting = services.meeting_create(actor=None, body=world.committee, title="Họp", starts_at=timezone.now())
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    client.force_login(world.users["secretary"])

    def queries(part: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(meeting.get_absolute_url() + part, HTTP_HX_REQUEST="true").status_code == 200
        return len(captured)

    people = [world.people[r] for r in ("secretary", "deputy", "committee_member")]
    item = services.item_add(actor=None, meeting=meeting, title="Nghị quyết", kind="document")
    services.poll_create(actor=None, item=item, question="Thông qua", kind="open")
    services.opinion_add(actor=None, item=item, person=people[1], text="Đồng ý")
    first = services.poll_create(actor=None, item=item, question="Tín nhiệm", kind="secret", method="confidence")
    services.candidate_add(actor=None, poll=first, person=people[2])
    queries()  # a process's first page also fills caches kept for its lifetime (content types): not counted
    one = (queries(), queries("?part=live"))
    for kind, method, seats in (
        ("election", "candidates", 2),
        ("confidence", "confidence", None),
        ("nomination", "nomination", None),
    ):
        extra = services.item_add(actor=None, meeting=meeting, title=kind, kind=kind)
        poll = services.poll_create(actor=None, item=extra, question=kind, kind="secret", method=method, seats=seats)
        for person in people:
            services.candidate_add(actor=None, poll=poll, person=person)
        services.opinion_add(actor=None, item=extra, person=people[0], text="Ý kiến", reserved=True)
    closed = services.poll_open(actor=None, poll=poll)
    services.vote_cast(actor=None, poll=closed, person=people[1], selection=[closed.candidates.first().pk])
    services.poll_close(actor=None, poll=closed, confirm_few=True)
    assert (queries(), queries("?part=live")) == one
