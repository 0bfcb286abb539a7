"""Votes on a list of people beyond elections: write-ins (R-ELE-2), nominations (R-ELE-5), confidence votes,
the cell secretary's third round (R-ELE-4); and paper ballots, printed and counted by two tellers."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from dongthuan.core.errors import DomainError
from dongthuan.meetings import selectors, services
from dongthuan.meetings.models import Ballot, Candidate, ItemKind, PaperTally, Poll, PollSeal, VoterMark
from tests.meetings.test_elections import _election
from tests.meetings.test_votes import _meeting


def _list_poll(world, method, item_kind, size=10, present=10, listed=3, **kw):
    meeting, item, people = _meeting(world, size=size, present=present, item_kind=item_kind)
    poll = services.poll_create(actor=None, item=item, question="Lấy ý kiến", kind="secret", method=method, **kw)
    cands = [services.candidate_add(actor=None, poll=poll, person=p) for p in people[:listed]]
    return meeting, poll, people, cands


@pytest.mark.django_db
def test_r_ele_2_a_write_in_needs_more_than_30_percent_of_delegates(world):
    _meeting_, poll, people, _cands = _election(world, size=10, seats=4, candidates=4)
    with pytest.raises(DomainError) as refused:
        services.candidate_add(actor=None, poll=poll, person=people[5], write_in=True, agree=3)
    assert refused.value.rule == "R-ELE-2"
    assert refused.value.messages == [
        "Nguyễn Văn Ủy Viên 6 không được đưa vào danh sách: 3/10 đại biểu đồng ý, cần trên 30% (R-ELE-2)."
    ]
    assert not Candidate.objects.filter(poll=poll, person=people[5]).exists()
    with pytest.raises(DomainError):
        services.candidate_add(actor=None, poll=poll, person=people[5], write_in=True, agree=11)
    admitted = services.candidate_add(actor=None, poll=poll, person=people[5], write_in=True, agree=4)
    assert (admitted.write_in, admitted.agree) == (True, 4)
    assert services.poll_open(actor=None, poll=poll).status == "open"  # 5 for 4 seats: R-ELE-1 holds


@pytest.mark.django_db
def test_r_ele_5_nominated_with_more_than_half_of_the_summoned(world):
    _m, poll, people, (a, b, c) = _list_poll(world, "nomination", ItemKind.NOMINATION, size=10, present=9)
    services.poll_open(actor=None, poll=poll)
    with pytest.raises(DomainError) as two:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection=[a.pk, b.pk])
    assert two.value.messages == ["Mỗi phiếu giới thiệu đúng một người (R-ELE-5)."]
    for person, chosen in zip(people[:9], [a] * 6 + [b] * 2 + [c], strict=True):
        services.vote_cast(actor=None, poll=poll, person=person, selection=[chosen.pk])
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert {x.pk: (x.votes, x.elected) for x in Candidate.objects.filter(poll=poll)} == {
        a.pk: (6, True),
        b.pk: (2, False),
        c.pk: (1, False),
    }
    assert (poll.passed, poll.runoff) == (True, [])
    with pytest.raises(DomainError):
        services.poll_runoff(actor=None, poll=poll)


@pytest.mark.django_db
def test_r_ele_5_without_a_majority_the_top_two_go_on_to_the_next_step(world):
    _m, poll, people, (a, b, c) = _list_poll(world, "nomination", ItemKind.NOMINATION, size=10, present=10)
    services.poll_open(actor=None, poll=poll)
    for person, chosen in zip(people, [a] * 5 + [b] * 3 + [c] * 2, strict=True):  # 5 of 10 is not above half
        services.vote_cast(actor=None, poll=poll, person=person, selection=[chosen.pk])
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert (poll.passed, sorted(poll.runoff)) == (False, sorted([a.pk, b.pk]))
    step = services.poll_runoff(actor=None, poll=poll)
    assert (step.method, step.question) == ("nomination", "Lấy ý kiến – vòng 2")
    assert sorted(step.candidates.values_list("person_id", flat=True)) == sorted([a.person_id, b.person_id])


@pytest.mark.django_db
def test_confidence_vote_counts_each_level_per_person(world):
    _m, poll, people, (a, b) = _list_poll(world, "confidence", ItemKind.CONFIDENCE, size=5, present=4, listed=2)
    services.poll_open(actor=None, poll=poll)
    with pytest.raises(DomainError) as partial:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection={str(a.pk): "high"})
    assert partial.value.messages == ["Hãy chọn mức tín nhiệm cho từng người trong danh sách."]
    with pytest.raises(DomainError):
        services.vote_cast(actor=None, poll=poll, person=people[0], selection={str(a.pk): "high", str(b.pk): "x"})
    assert VoterMark.objects.filter(poll=poll).count() == Ballot.objects.filter(poll=poll).count() == 0
    levels = [("high", "low"), ("high", "medium"), ("medium", "low"), ("high", "low")]
    for person, (la, lb) in zip(people, levels, strict=False):
        services.vote_cast(actor=None, poll=poll, person=person, selection={str(a.pk): la, str(b.pk): lb})
    services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert {x.pk: (x.high, x.medium, x.low) for x in Candidate.objects.filter(poll=poll)} == {
        a.pk: (3, 1, 0),
        b.pk: (0, 1, 3),
    }
    assert PollSeal.objects.get(poll=poll).counts == [3, 1, 0, 0, 1, 3]  # (a high, medium, low), (b high, medium, low)


@pytest.mark.django_db
def test_confidence_and_nomination_cannot_be_open_votes(world):
    _meeting_, item, _people = _meeting(world, size=3, present=3, item_kind=ItemKind.CONFIDENCE)
    with pytest.raises(DomainError) as refused:
        services.poll_create(actor=None, item=item, question="Tín nhiệm", kind="open", method="confidence")
    assert refused.value.rule == "R-DEC-5"


def _round(poll, people, chosen):
    services.poll_open(actor=None, poll=poll)
    for person, cand in zip(people, chosen, strict=False):
        services.vote_cast(actor=None, poll=poll, person=person, selection=[cand.pk])
    return services.poll_close(actor=None, poll=poll, confirm_few=True)


@pytest.mark.django_db
def test_r_ele_4_after_the_third_round_without_a_secretary_the_higher_level_appoints(world):
    _meeting_, item, people = _meeting(world, size=6, present=6, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None,
        item=item,
        question="Bầu bí thư chi bộ",
        kind="secret",
        method="candidates",
        seats=1,
        cell_secretary=True,
    )
    for p in people[:2]:  # a cell secretary may be elected from any list of one or more (no R-ELE-1 surplus)
        services.candidate_add(actor=None, poll=poll, person=p)
    for round_number in (1, 2, 3):
        if round_number > 1:
            assert selectors.next_round_problem(poll) is None
            poll = services.poll_runoff(actor=None, poll=poll)
        a, b = list(poll.candidates.order_by("person__sort_key", "id"))
        poll = _round(poll, people, [a, a, a, b, b, b])  # 3 of 6 each: nobody above half
        assert poll.passed is False
    assert selectors.next_round_problem(poll) == (
        "Sau 3 vòng không bầu được bí thư chi bộ: cấp ủy cấp trên chỉ định bí thư (R-ELE-4)."
    )
    with pytest.raises(DomainError) as refused:
        services.poll_runoff(actor=None, poll=poll)
    assert refused.value.rule == "R-ELE-4"
    assert Poll.objects.filter(item=item).count() == 3


@pytest.mark.django_db
def test_r_ele_4_a_secretary_elected_in_the_second_round_ends_it(world):
    _meeting_, item, people = _meeting(world, size=6, present=6, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None,
        item=item,
        question="Bầu bí thư chi bộ",
        kind="secret",
        method="candidates",
        seats=1,
        cell_secretary=True,
    )
    a = services.candidate_add(actor=None, poll=poll, person=people[0])
    poll = _round(poll, people, [a, a, a])  # 3 of 6: not elected
    poll = services.poll_runoff(actor=None, poll=poll)
    (a2,) = poll.candidates.all()
    poll = _round(poll, people, [a2] * 4)
    assert (poll.passed, selectors.next_round_problem(poll)) == (True, "Đã bầu đủ số lượng.")


def _paper_poll(world, method="choice", item_kind=ItemKind.DOCUMENT, size=10, present=9, listed=0, **kw):
    meeting, item, people = _meeting(world, size=size, present=present, item_kind=item_kind)
    poll = services.poll_create(
        actor=None,
        item=item,
        question="Thông qua nghị quyết",
        kind="secret",
        method=method,
        paper=True,
        tellers=people[1:3],
        **kw,
    )
    cands = [services.candidate_add(actor=None, poll=poll, person=p) for p in people[:listed]]
    return meeting, services.poll_open(actor=None, poll=poll), people, cands


@pytest.mark.django_db
def test_paper_poll_needs_two_tellers_present(world):
    _meeting_, item, people = _meeting(world, size=5, present=3)
    for tellers in ([people[1]], [people[1], people[4]]):  # one teller; a teller who is absent
        with pytest.raises(DomainError) as refused:
            services.poll_create(actor=None, item=item, question="Q", kind="secret", paper=True, tellers=tellers)
        assert refused.value.messages == ["Hãy chọn ít nhất hai người kiểm phiếu đang có mặt tại hội nghị."]
    assert not Poll.objects.filter(item=item).exists()


TOTALS = {"issued": "9", "received": "9", "invalid": "1"}


@pytest.mark.django_db
def test_two_tellers_must_agree_before_a_paper_result(world):
    _m, poll, people, _c = _paper_poll(world)
    first, second = people[1], people[2]
    with pytest.raises(DomainError) as electronic:
        services.vote_cast(actor=None, poll=poll, person=people[0], choice="approve")
    assert electronic.value.messages == ["Cuộc bỏ phiếu này dùng phiếu giấy."]
    with pytest.raises(DomainError) as not_teller:
        services.tally_enter(actor=None, poll=poll, teller=people[0], counts={})
    assert not_teller.value.messages == ["Đồng chí không thuộc ban kiểm phiếu của cuộc bỏ phiếu này."]
    with pytest.raises(DomainError) as inconsistent:
        services.tally_enter(
            actor=None,
            poll=poll,
            teller=first,
            counts={
                "issued": "9",
                "received": "10",
                "invalid": "0",
                "choices": {"approve": "10", "reject": "0", "abstain": "0"},
            },
        )
    assert inconsistent.value.messages == [
        "Số phiếu thu vào (10) nhiều hơn số phát ra (9).",
    ]
    with pytest.raises(DomainError) as sums:
        services.tally_enter(
            actor=None,
            poll=poll,
            teller=first,
            counts={**TOTALS, "choices": {"approve": "6", "reject": "1", "abstain": "0"}},
        )
    assert sums.value.messages == [
        "Tán thành, không tán thành và không biểu quyết cộng lại phải bằng số phiếu hợp lệ (8)."
    ]
    assert not PaperTally.objects.filter(poll=poll).exists()

    one = {**TOTALS, "choices": {"approve": "6", "reject": "1", "abstain": "1"}}
    assert services.tally_enter(actor=None, poll=poll, teller=first, counts=one) == []
    poll.refresh_from_db()
    assert poll.status == "open"
    other = {**TOTALS, "choices": {"approve": "5", "reject": "2", "abstain": "1"}}
    assert services.tally_enter(actor=None, poll=poll, teller=second, counts=other) == [
        "Tán thành: 6 ≠ 5",
        "Không tán thành: 1 ≠ 2",
    ]
    poll.refresh_from_db()
    assert (poll.status, poll.approve) == ("open", None)
    assert services.tally_enter(actor=None, poll=poll, teller=second, counts=one) == []  # after a recount
    poll.refresh_from_db()
    assert (poll.status, poll.approve, poll.reject, poll.abstain, poll.passed) == ("closed", 6, 1, 1, True)
    with pytest.raises(DomainError) as closed:
        services.tally_enter(actor=None, poll=poll, teller=first, counts=one)
    assert closed.value.messages == ["Cuộc biểu quyết đã kết thúc."]


@pytest.mark.django_db
def test_paper_election_ballots_print_and_tallies_name_the_differing_candidate(client, world):
    _m, poll, people, cands = _paper_poll(
        world, method="candidates", item_kind=ItemKind.ELECTION, size=10, present=9, listed=5, seats=4
    )
    client.force_login(world.users["office_staff"])  # an officer of Trung Mỹ
    response = client.get(reverse("meetings:ballots", args=[poll.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 10  # one ballot for each serving member
    texts = {" ".join(page.extract_text().split()) for page in pdf.pages}
    assert len(texts) == 1  # every ballot alike: nothing tells one from another
    text = texts.pop()
    assert "PHIẾU BẦU CỬ" in text and "Gạch ngang họ tên người không bầu; giữ lại không quá 4 người." in text
    assert all(c.person.full_name in text for c in cands)

    votes = {str(c.pk): str(n) for c, n in zip(cands, [8, 7, 6, 5, 3], strict=True)}
    counts = {**TOTALS, "votes": votes}
    services.tally_enter(actor=None, poll=poll, teller=people[1], counts=counts)
    wrong = {**counts, "votes": {**votes, str(cands[3].pk): "4"}}
    assert services.tally_enter(actor=None, poll=poll, teller=people[2], counts=wrong) == [
        "Nguyễn Văn Ủy Viên 4: 5 ≠ 4"
    ]
    services.tally_enter(actor=None, poll=poll, teller=people[2], counts=counts)
    assert {c.pk: (c.votes, c.elected) for c in Candidate.objects.filter(poll=poll)} == {
        cands[0].pk: (8, True),
        cands[1].pk: (7, True),
        cands[2].pk: (6, True),
        cands[3].pk: (5, False),  # 5 of 10 summoned is not more than half (R-ELE-3)
        cands[4].pk: (3, False),
    }


@pytest.mark.django_db
def test_the_tally_page_is_for_tellers_only(client, world):
    meeting, poll, people, _c = _paper_poll(world)
    url = reverse("meetings:tally", args=[poll.pk])
    client.force_login(world.users["office_staff"])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {**TOTALS, "choice-approve": "8", "choice-reject": "0", "choice-abstain": "0"}).status_code
        == 404
    )
    assert not PaperTally.objects.filter(poll=poll).exists()


@pytest.mark.django_db
def test_paper_poll_and_confidence_vote_through_the_pages(client, world):
    from django.utils import timezone

    meeting = services.meeting_create(actor=None, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    client.force_login(world.users["office_staff"])
    client.post(reverse("meetings:item_add", args=[meeting.pk]), {"title": "Lấy phiếu tín nhiệm", "kind": "confidence"})
    item = meeting.items.get()
    tellers = [world.people["secretary"].pk, world.people["deputy"].pk]
    client.post(
        reverse("meetings:poll_add", args=[meeting.pk, item.pk]),
        {
            "question": "Tín nhiệm (phiếu giấy)",
            "kind": "secret",
            "method": "confidence",
            "paper": "on",
            "tellers": tellers,
        },
    )
    client.post(
        reverse("meetings:poll_add", args=[meeting.pk, item.pk]),
        {"question": "Tín nhiệm", "kind": "secret", "method": "confidence"},
    )
    paper, online = Poll.objects.filter(item=item).order_by("id")
    assert (paper.paper, sorted(paper.tellers.values_list("pk", flat=True)), online.paper) == (
        True,
        sorted(tellers),
        False,
    )
    for poll in (paper, online):
        client.post(reverse("meetings:candidate_add", args=[poll.pk]), {"person": world.people["secretary"].pk})
    client.post(reverse("meetings:poll_open", args=[paper.pk]))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "In phiếu (PDF)" in page and "Nhập kết quả kiểm phiếu" not in page

    cand = paper.candidates.get()
    form = {
        "issued": "3",
        "received": "3",
        "invalid": "0",
        f"level-{cand.pk}-high": "2",
        f"level-{cand.pk}-medium": "1",
        f"level-{cand.pk}-low": "0",
    }
    url = reverse("meetings:tally", args=[paper.pk])
    client.force_login(world.users["secretary"])
    assert "Nhập kết quả kiểm phiếu" in client.get(meeting.get_absolute_url()).content.decode()
    assert "chờ người kiểm phiếu thứ hai" in client.post(url, form, follow=True).content.decode()
    client.force_login(world.users["deputy"])
    page = client.post(url, {**form, f"level-{cand.pk}-high": "1", f"level-{cand.pk}-medium": "2"}).content.decode()
    assert "Phạm Văn Bình – Tín nhiệm cao: 2 ≠ 1" in page
    page = client.post(url, form, follow=True).content.decode()
    assert "Hai bản kiểm phiếu khớp nhau: đã có kết quả." in page
    assert (Candidate.objects.get(pk=cand.pk).high, Candidate.objects.get(pk=cand.pk).medium) == (2, 1)

    client.force_login(world.users["office_staff"])
    client.post(reverse("meetings:poll_open", args=[online.pk]))
    (listed,) = online.candidates.all()
    client.force_login(world.users["committee_member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'name="level-{listed.pk}"' in page
    client.post(reverse("meetings:vote", args=[online.pk]), {f"level-{listed.pk}": "low"})
    assert VoterMark.objects.filter(poll=online).count() == 1
    (ciphertext,) = Ballot.objects.filter(poll=online).values_list("ciphertext", flat=True)
    assert len(bytes(ciphertext)) == 64  # three levels for one person, packed in one ciphertext
