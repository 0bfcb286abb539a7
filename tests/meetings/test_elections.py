"""Elections in a meeting: the list checked when the poll opens (R-ELE-1), ballots that keep at most the seats,
winners and runoffs counted against all summoned (R-ELE-3), and ballots that still name no voter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dongthuan.core.errors import DomainError
from dongthuan.meetings import services
from dongthuan.meetings.models import Ballot, Candidate, ItemKind, VoterMark
from tests.meetings.test_votes import _meeting


def _election(world, size=10, present=10, seats=2, candidates=3):
    meeting, item, people = _meeting(world, size=size, present=present, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None, item=item, question="Bầu Ban Thường vụ", kind="secret", method="candidates", seats=seats
    )
    cands = [services.candidate_add(actor=None, poll=poll, person=p) for p in people[:candidates]]
    return meeting, poll, people, cands


@pytest.mark.django_db
def test_r_ele_1_the_list_is_checked_when_the_poll_opens(world):
    _meeting_, poll, people, _cands = _election(world, seats=4, candidates=4)
    with pytest.raises(DomainError) as refused:
        services.poll_open(actor=None, poll=poll)
    assert refused.value.rule == "R-ELE-1"
    assert refused.value.messages == ["Danh sách phải nhiều hơn số lượng cần bầu: cần ít nhất 5 người cho 4 chỗ."]
    services.candidate_add(actor=None, poll=poll, person=people[4])
    assert services.poll_open(actor=None, poll=poll).status == "open"


@pytest.mark.django_db
def test_r_ele_1_a_secretary_is_elected_from_a_list_that_may_equal_the_seat(world, settings):
    meeting, item, people = _meeting(world, size=10, present=10, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None, item=item, question="Bầu Bí thư", kind="secret", method="candidates", seats=1, elects="secretary"
    )
    services.candidate_add(actor=None, poll=poll, person=people[0])
    settings.ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS = False  # to confirm: then the surplus binds it too
    with pytest.raises(DomainError) as refused:
        services.poll_open(actor=None, poll=poll)
    assert refused.value.messages == ["Danh sách phải nhiều hơn số lượng cần bầu: cần ít nhất 2 người cho 1 chỗ."]
    settings.ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS = True
    assert services.poll_open(actor=None, poll=poll).status == "open"
    assert poll.elects == "secretary"


@pytest.mark.django_db
def test_r_ele_1_what_an_election_fills_is_chosen_when_it_is_created(client, world):
    meeting, item, people = _meeting(world, size=3, present=3, item_kind=ItemKind.ELECTION)
    client.force_login(world.users["office_staff"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<option value="inspection_chair">Bầu Chủ nhiệm Ủy ban Kiểm tra</option>' in page
    client.post(
        reverse("meetings:poll_add", args=[meeting.pk, item.pk]),
        {"question": "Bầu Phó Bí thư", "kind": "secret", "method": "candidates", "seats": "1", "elects": "bogus"},
    )
    assert not item.polls.exists()
    client.post(
        reverse("meetings:poll_add", args=[meeting.pk, item.pk]),
        {
            "question": "Bầu Phó Bí thư",
            "kind": "secret",
            "method": "candidates",
            "seats": "1",
            "elects": "deputy_secretary",
        },
    )
    assert list(item.polls.values_list("elects", "seats")) == [("deputy_secretary", 1)]


@pytest.mark.django_db
def test_election_must_be_secret(world):
    _meeting_, item, _people = _meeting(world, size=3, present=3, item_kind=ItemKind.ELECTION)
    with pytest.raises(DomainError):
        services.poll_create(actor=None, item=item, question="Bầu", kind="open", method="candidates", seats=1)


@pytest.mark.django_db
def test_r_ele_3_winners_need_more_than_half_of_all_summoned(world):
    _meeting_, poll, people, (a, b, c, d, e) = _election(world, size=10, present=9, seats=4, candidates=5)
    services.poll_open(actor=None, poll=poll)  # 10 serving members summoned, 9 present
    ballots = [[a, b, c, d]] * 6 + [[a, c, e]] * 2 + [[e]]
    for person, chosen in zip(people[:9], ballots, strict=True):
        services.vote_cast(actor=None, poll=poll, person=person, selection=[x.pk for x in chosen])
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection=[a.pk])
    assert refused.value.messages == ["Đồng chí đã bỏ phiếu."]
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    result = {x.pk: (x.votes, x.elected) for x in Candidate.objects.filter(poll=poll)}
    # 2 × votes must exceed the 10 summoned: 6 passes, 5 or fewer do not — the fourth seat stays empty.
    assert result == {a.pk: (8, True), b.pk: (6, True), c.pk: (8, True), d.pk: (6, True), e.pk: (3, False)}
    # The ballots were summed and deleted; their receipts and the voter marks stay.
    assert Ballot.objects.filter(poll=poll).count() == 0
    assert len(poll.seal.receipts) == poll.seal.ballots == VoterMark.objects.filter(poll=poll).count() == 9


@pytest.mark.django_db
def test_r_ele_3_tie_for_the_last_seat_sends_the_tied_to_another_round(client, world):
    _meeting_, poll, people, (a, b, c, d, e) = _election(world, size=10, present=10, seats=4, candidates=5)
    services.poll_open(actor=None, poll=poll)
    ballots = [[a, b, c, d]] * 5 + [[a, b, c, e]] * 5
    for person, chosen in zip(people, ballots, strict=True):
        services.vote_cast(actor=None, poll=poll, person=person, selection=[x.pk for x in chosen])
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    votes = {x.pk: (x.votes, x.elected) for x in Candidate.objects.filter(poll=poll)}
    assert votes == {a.pk: (10, True), b.pk: (10, True), c.pk: (10, True), d.pk: (5, False), e.pk: (5, False)}
    assert poll.runoff == []  # 5 of 10 is not more than half: nobody ties above the majority

    _m2, poll2, people2, (f, g, h, i, j) = _election(world, size=10, present=10, seats=4, candidates=5)
    services.poll_open(actor=None, poll=poll2)
    ballots = [[f, g, h, i]] * 4 + [[f, g, h, j]] * 4 + [[f, g, i, j]] * 2
    for person, chosen in zip(people2, ballots, strict=True):
        services.vote_cast(actor=None, poll=poll2, person=person, selection=[x.pk for x in chosen])
    poll2 = services.poll_close(actor=None, poll=poll2, confirm_few=True)
    assert sorted(poll2.runoff) == sorted([i.pk, j.pk])  # 6 and 6 for the last seat
    assert {x.pk: x.elected for x in Candidate.objects.filter(poll=poll2)} == {
        f.pk: True,
        g.pk: True,
        h.pk: True,
        i.pk: False,
        j.pk: False,
    }
    client.force_login(world.users["secretary"])
    page = client.get(_m2.get_absolute_url()).content.decode()
    assert "Tạo vòng bầu lại" in page
    # Another round between the tied, for the one seat left (no surplus rule between tied candidates).
    response = client.post(reverse("meetings:poll_runoff", args=[poll2.pk]), follow=True)
    assert "Đã tạo vòng bầu lại." in response.content.decode()
    runoff = poll2.next_rounds.get()
    assert (runoff.seats, runoff.question) == (1, "Bầu Ban Thường vụ – vòng 2")
    tied = {c.person_id: c for c in Candidate.objects.filter(poll=runoff)}
    assert set(tied) == {i.person_id, j.person_id}
    services.poll_open(actor=None, poll=runoff)
    for n, person in enumerate(people2):
        pick = tied[i.person_id] if n < 7 else tied[j.person_id]
        services.vote_cast(actor=None, poll=runoff, person=person, selection=[pick.pk])
    services.poll_close(actor=None, poll=runoff, confirm_few=True)
    assert Candidate.objects.get(pk=tied[i.person_id].pk).elected is True
    with pytest.raises(DomainError):
        services.poll_runoff(actor=None, poll=poll2)  # once only


@pytest.mark.django_db
def test_a_ballot_over_the_seats_or_off_the_list_is_refused(world):
    _meeting_, poll, people, cands = _election(world, seats=4, candidates=5)
    services.poll_open(actor=None, poll=poll)
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection=[c.pk for c in cands])
    assert refused.value.messages == ["Phiếu chọn 5 người, nhiều hơn số lượng cần bầu (4)."]
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection=[999999])
    assert refused.value.messages == ["Phiếu có người không thuộc danh sách."]
    assert Ballot.objects.count() == VoterMark.objects.count() == 0


@pytest.mark.django_db
def test_election_through_the_pages(client, world):
    meeting, poll, people, _cands = _election(world, size=3, present=3, seats=1, candidates=0)
    # R-ELE-1 for one seat on a committee: 30% of one seat is under one person, so the surplus is exactly one.
    client.force_login(world.users["secretary"])
    for person in people[:3]:
        client.post(reverse("meetings:candidate_add", args=[poll.pk]), {"person": person.pk})
    assert Candidate.objects.filter(poll=poll).count() == 3
    response = client.post(reverse("meetings:poll_open", args=[poll.pk]), follow=True)
    assert "Số dư vượt 30%: nhiều nhất 2 người cho 1 chỗ." in response.content.decode()
    Candidate.objects.filter(poll=poll, person=people[2]).delete()
    client.post(reverse("meetings:poll_open", args=[poll.pk]))
    poll.refresh_from_db()
    assert poll.status == "open"


@pytest.mark.django_db
def test_election_page_shows_the_list_the_ballot_and_the_result(client, world):
    meeting, poll, people, cands = _election(world, size=5, present=5, seats=4, candidates=5)
    services.poll_open(actor=None, poll=poll)
    client.force_login(world.users["secretary"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Bầu 4 người; mỗi phiếu chọn tối đa 4." in page
    for person in people:
        services.vote_cast(actor=None, poll=poll, person=person, selection=[c.pk for c in cands[:4]])
    services.poll_close(actor=None, poll=poll, confirm_few=True)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count("Trúng cử") == 4
    assert f"{cands[4].person.full_name}: 0/5" in page


@pytest.mark.django_db
def test_a_malformed_candidate_is_a_message_not_an_error(client, world):
    _meeting_, poll, _people, _cands = _election(world, size=5, present=5, seats=4, candidates=0)
    client.force_login(world.users["secretary"])
    response = client.post(reverse("meetings:candidate_add", args=[poll.pk]), {"person": "abc"}, follow=True)
    assert response.status_code == 200
    assert "Hãy chọn một người dự hội nghị." in response.content.decode()
    assert not Candidate.objects.filter(poll=poll).exists()
