"""Meetings and votes under R-DEC-*: quorum before a vote, the outcome against all serving members, secret ballots
that stay secret, and every bad vote refused with nothing recorded."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.meetings import selectors, services
from dongthuan.meetings.models import Ballot, ItemKind, OpenVote, Poll, VoterMark
from dongthuan.meetings.permissions import poll_for_voter
from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import BodyKind, Position, PositionTitle
from tests.conftest import restore_migration_data
from tests.factories import make_member

START = dt.date(2025, 7, 1)


def _body(world, size: int):
    """A standing committee of Trung Mỹ with ``size`` serving members (people[0] is its secretary)."""
    body = org_services.body_create(
        actor=None, organization=world.trung_my, kind=BodyKind.STANDING_COMMITTEE, name="Ban Thường vụ"
    )
    people = []
    for i in range(size):
        person = make_member(world.cell_two, f"Nguyễn Văn Ủy Viên {i + 1}")
        title = PositionTitle.SECRETARY if i == 0 else PositionTitle.STANDING_MEMBER
        org_services.position_assign(
            actor=None, person=person, organization=world.trung_my, body=body, title=title, start=START
        )
        people.append(person)
    return body, people


def _meeting(world, size: int, present: int, item_kind: str = ItemKind.DOCUMENT):
    body, people = _body(world, size)
    meeting = services.meeting_create(
        actor=None, body=body, title="Hội nghị Ban Thường vụ tháng 11", starts_at=timezone.now(), chair=people[0]
    )
    for person in people[:present]:
        services.attendance_set(actor=None, meeting=meeting, person=person, status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nghị quyết về xây dựng nông thôn mới", kind=item_kind)
    return meeting, item, people


def _poll(item, kind="open"):
    return services.poll_create(actor=None, item=item, question="Thông qua nghị quyết", kind=kind)


def _vote(poll, people, choices):
    for person, choice in zip(people, choices, strict=False):
        services.vote_cast(actor=None, poll=poll, person=person, choice=choice)


@pytest.mark.django_db
def test_r_dec_4_a_vote_cannot_open_without_quorum_and_says_how_many_more(world):
    meeting, item, people = _meeting(world, size=7, present=4)
    poll = _poll(item)
    with pytest.raises(DomainError) as refused:
        services.poll_open(actor=None, poll=poll)
    assert refused.value.messages == ["Chưa đủ số lượng: có mặt 4/7, cần ít nhất 5 (2/3); còn thiếu 1 thành viên."]
    assert refused.value.rule == "R-DEC-4"
    assert Poll.objects.get(pk=poll.pk).status == "draft"
    services.attendance_set(actor=None, meeting=meeting, person=people[4], status="present")
    assert services.poll_open(actor=None, poll=poll).status == "open"


@pytest.mark.django_db
def test_r_dec_4_quorum_follows_the_body_setting(world):
    meeting, item, _people = _meeting(world, size=7, present=4)
    meeting.body.settings = {"quorum": "1/2"}
    meeting.body.save()
    assert services.poll_open(actor=None, poll=_poll(item)).serving == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "present", "approvals", "passed"),
    [
        (7, 7, 4, True),
        (7, 7, 3, False),
        (7, 5, 4, True),  # counted against all 7, not the 5 present
        (8, 8, 4, False),  # a tie fails
        (8, 6, 5, True),
        (9, 6, 5, True),
        (9, 6, 4, False),  # 4 of 6 present approve: still not more than half of 9
    ],
)
def test_r_dec_1_outcome_counts_all_serving_members(world, size, present, approvals, passed):
    _meeting_, item, people = _meeting(world, size=size, present=present)
    poll = services.poll_open(actor=None, poll=_poll(item))
    choices = ["approve"] * approvals + ["reject"] * (present - approvals - 1) + ["abstain"]
    _vote(poll, people[:present], choices)
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert (poll.approve, poll.serving, poll.passed) == (approvals, size, passed)
    assert poll.approve + poll.reject + poll.abstain == present


@pytest.mark.django_db
def test_r_dec_3_a_member_who_left_the_body_is_not_counted_and_cannot_vote(world):
    meeting, item, people = _meeting(world, size=7, present=7)
    leaver = Position.objects.get(person=people[6], body=meeting.body)
    org_services.position_end(actor=None, position=leaver, end=timezone.localdate() - dt.timedelta(days=1))
    poll = services.poll_open(actor=None, poll=_poll(item))
    assert poll.serving == 6
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[6], choice="approve")
    assert refused.value.rule == "R-DEC-3"
    _vote(poll, people[:4], ["approve"] * 4)
    assert services.poll_close(actor=None, poll=poll, confirm_few=True).passed is True  # 4 of 6 serving


@pytest.mark.django_db
def test_r_dec_5_personnel_items_are_secret_and_cannot_be_open(world):
    _meeting_, item, _people = _meeting(world, size=7, present=7, item_kind=ItemKind.PERSONNEL)
    with pytest.raises(DomainError) as refused:
        _poll(item, kind="open")
    assert refused.value.message_dict == {"kind": ["Nội dung về công tác cán bộ phải bỏ phiếu kín (R-DEC-5)."]}
    assert refused.value.rule == "R-DEC-5"
    assert _poll(item, kind="secret").kind == "secret"


@pytest.mark.django_db
def test_r_dec_2_a_reserved_opinion_is_recorded(world):
    meeting, item, people = _meeting(world, size=7, present=7)
    opinion = services.opinion_add(actor=None, item=item, person=people[3], text="Chưa đồng ý lộ trình", reserved=True)
    assert opinion.reserved is True
    assert list(item.opinions.values_list("person__full_name", "reserved")) == [("Nguyễn Văn Ủy Viên 4", True)]


@pytest.mark.django_db
def test_open_vote_records_each_members_choice(world):
    _meeting_, item, people = _meeting(world, size=3, present=3)
    poll = services.poll_open(actor=None, poll=_poll(item))
    _vote(poll, people, ["approve", "reject", "abstain"])
    assert sorted(OpenVote.objects.filter(poll=poll).values_list("person__full_name", "choice")) == [
        ("Nguyễn Văn Ủy Viên 1", "approve"),
        ("Nguyễn Văn Ủy Viên 2", "reject"),
        ("Nguyễn Văn Ủy Viên 3", "abstain"),
    ]


def _refused(poll, person, choice="approve") -> str:
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=person, choice=choice)
    return " ".join(refused.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["open", "secret"])
def test_bad_votes_are_refused_and_nothing_is_recorded(world, kind):
    meeting, item, people = _meeting(world, size=7, present=6)
    poll = _poll(item, kind)
    assert _refused(poll, people[0]) == "Cuộc biểu quyết chưa mở."
    poll = services.poll_open(actor=None, poll=poll)
    services.vote_cast(actor=None, poll=poll, person=people[0], choice="approve")
    assert _refused(poll, people[0], "reject") == "Đồng chí đã bỏ phiếu."
    assert _refused(poll, people[6]) == "Đồng chí chưa được điểm danh có mặt tại hội nghị."
    assert _refused(poll, world.people["member"]) == "Đồng chí không phải thành viên đương nhiệm của Ban Thường vụ."
    assert _refused(poll, people[1], "maybe") == "Hãy chọn một phương án."
    other_meeting, other_item, _others = _meeting(world, size=3, present=3)
    other_poll = services.poll_open(actor=None, poll=_poll(other_item, kind))
    assert _refused(other_poll, people[1]) == "Đồng chí không phải thành viên đương nhiệm của Ban Thường vụ."
    poll = services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert _refused(poll, people[1]) == "Cuộc biểu quyết đã kết thúc."
    assert (poll.approve, poll.reject, poll.abstain) == (1, 0, 0)
    assert services.poll_close(actor=None, poll=poll, confirm_few=True).approve == 1  # closing twice is harmless
    recorded = (poll.seal.ballots if kind == "secret" else 0) + OpenVote.objects.count()
    assert recorded == 1


@pytest.mark.django_db
def test_secret_poll_cannot_tie_a_ballot_to_a_voter(world):
    """R-DEC-5: a secret ballot is a ciphertext apart from its voter's mark, counted from the sum, then deleted."""
    meeting, item, people = _meeting(world, size=7, present=7, item_kind=ItemKind.ELECTION)
    poll = services.poll_open(actor=None, poll=_poll(item, "secret"))
    choices = ["approve", "reject", "approve", "abstain", "approve", "reject", "approve"]
    _vote(poll, people, choices)
    assert selectors.turnout(poll) == 7
    assert Poll.objects.get(pk=poll.pk).approve is None  # no result before the chair closes the poll
    ids_while_open = set(VoterMark.objects.filter(poll=poll).values_list("id", flat=True))
    # While the poll is open a ballot is one ciphertext holding three slots, one per choice (7 on the meeting's
    # list: 3 bits a slot, up to 8 slots packed in one ciphertext); nothing else.
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "meetings_ballot")]
    assert sorted(columns) == ["ciphertext", "id", "poll_id"]
    assert {len(bytes(c)) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)} == {64}
    assert (poll.seal.slot_bits, poll.seal.slots_per_cipher) == (3, 8)
    assert {b.id.version for b in Ballot.objects.filter(poll=poll)} == {4}  # random ids, not sequences
    poll = services.poll_close(actor=None, poll=poll)
    assert (poll.approve, poll.reject, poll.abstain, poll.passed) == (4, 2, 1, True)
    # Counted from the sum, then deleted; closing rewrote the voter marks in a random order with new ids.
    assert Ballot.objects.filter(poll=poll).count() == 0
    assert VoterMark.objects.filter(poll=poll).count() == 7
    assert not set(VoterMark.objects.filter(poll=poll).values_list("id", flat=True)) & ids_while_open
    # No audit row was written per secret vote (an audit row would carry the voter and the time).
    assert not AuditEvent.objects.filter(action="vote").exists()


@pytest.fixture
def levels(transactional_db):
    """The levels a data migration wrote, put back after an earlier transactional test's flush."""
    restore_migration_data()


@pytest.mark.django_db(transaction=True)
def test_a_double_vote_at_the_same_instant_is_refused_atomically(levels, world):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    meeting, item, people = _meeting(world, size=3, present=3, item_kind=ItemKind.ELECTION)
    poll = services.poll_open(actor=None, poll=_poll(item, "secret"))
    results: list[str] = []
    barrier = threading.Barrier(4)

    def vote():
        barrier.wait()
        try:
            services.vote_cast(actor=None, poll=poll, person=people[0], choice="approve")
            results.append("ok")
        except DomainError as refused:
            results.append(refused.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] + ["Đồng chí đã bỏ phiếu."] * 3
    assert Ballot.objects.filter(poll=poll).count() == VoterMark.objects.filter(poll=poll).count() == 1


@pytest.mark.django_db
def test_the_votes_on_a_draft_are_listed_on_the_documents_page(client, world):
    """Documents sits below meetings: the page shows the votes that meetings registered for it (R-DEC-1)."""
    from django.urls import reverse

    from dongthuan.documents import services as doc_services
    from dongthuan.documents.models import DocumentType

    meeting, _item, people = _meeting(world, size=3, present=3)
    draft = doc_services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.filter(abbreviation="NQ").first(),
        title="về chuyển đổi số",
        sections=[{"heading": "I. MỤC TIÊU", "text": "Số hóa hồ sơ."}],
    )
    item = services.item_add(actor=None, meeting=meeting, title="", document=draft)
    poll = services.poll_open(actor=None, poll=_poll(item))
    client.force_login(world.users["office_staff"])
    page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert "Hội nghị Ban Thường vụ tháng 11" in page and "Thông qua nghị quyết — Đang biểu quyết" in page
    _vote(poll, people, ["approve", "approve", "reject"])
    services.poll_close(actor=None, poll=poll)
    page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert "Thông qua nghị quyết — 2/3 tán thành, <strong>Thông qua</strong>" in page


def _voting(world, kind: str) -> Poll:
    """An open poll of Trung Mỹ's committee (secretary, deputy, committee member, all present)."""
    meeting = services.meeting_create(actor=None, body=world.committee, title="Họp", starts_at=timezone.now())
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nghị quyết", kind=ItemKind.DOCUMENT)
    return services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Thông qua", kind=kind)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "expected"), [("open", 7), ("secret", 6)])
def test_a_vote_costs_a_fixed_number_of_queries(world, kind, expected):
    """The poll as the vote's page loads it (``permissions.poll_for_voter``: with its meeting, body and seal). The
    vote reads the poll's status and whether it is sealed in one locked query, checks the voter in one, then writes:
    an open vote, the chain's head and the audit row; a secret one, the voter mark and the ballot. The seal is not
    read again. (Inside a test's transaction the vote's own is a savepoint: two more.)"""
    poll = _voting(world, kind)
    ContentType.objects.get_for_model(Poll)  # the audit row's type, cached per process
    for role in ("secretary", "deputy"):
        user = world.users[role]
        person = user.person  # as the view has it
        loaded = poll_for_voter(user, poll.pk)
        with CaptureQueriesContext(connection) as captured:
            services.vote_cast(actor=user, poll=loaded, person=person, choice="approve")
        assert len(captured) == expected, [q["sql"] for q in captured]
        assert sum("meetings_pollseal" in q["sql"] for q in captured) == 1  # within the status query
    assert selectors.turnout(poll) == 2


@pytest.mark.django_db
def test_a_sealed_poll_turned_open_in_the_database_takes_no_open_vote(world):
    poll = _voting(world, "secret")
    Poll.objects.filter(pk=poll.pk).update(kind="open")  # what a database writer might do to read the choices
    user = world.users["secretary"]
    with pytest.raises(DomainError) as refused:
        services.vote_cast(
            actor=user, poll=poll_for_voter(user, poll.pk), person=world.people["secretary"], choice="approve"
        )
    assert refused.value.messages == ["Cuộc bỏ phiếu đã bị thay đổi ngoài phần mềm."]
    assert (OpenVote.objects.filter(poll=poll).count(), VoterMark.objects.filter(poll=poll).count()) == (0, 0)
