"""Every write of a meeting: convening, attendance, agenda, opinions, polls and votes.

Votes follow the Party Statute exactly: a poll opens only with a quorum (R-DEC-4) of the body's serving members
(R-DEC-3); a resolution passes when approvals exceed half of all serving members (R-DEC-1); personnel items are
secret ballots that cannot become open votes (R-DEC-5). A secret vote writes no audit row and no time: the voter
mark and the anonymous ballot are written together, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.errors import DomainError
from dongthuan.core.services import normalize_text_fields, validate
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    Ballot,
    Candidate,
    Choice,
    ItemKind,
    Meeting,
    MeetingStatus,
    OpenVote,
    Opinion,
    Poll,
    PollKind,
    PollMethod,
    PollStatus,
    VoterMark,
)
from dongthuan.organizations.models import Body, Position
from dongthuan.people.models import Person
from dongthuan.rules import decisions, elections

# Stored with the record, in Vietnamese whatever the language of the person who clicked.
RUNOFF_QUESTION = "%(question)s – vòng %(round)s"
MEETING_FIELDS = ("body", "title", "kind", "starts_at", "place", "chair", "clerk", "status")


def serving_member_ids(body: Body, on: dt.date | None = None) -> set[int]:
    """R-DEC-3: the people holding a post in ``body`` on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return set(Position.objects.current(on).filter(body=body).values_list("person_id", flat=True))


def quorum(meeting: Meeting) -> decisions.Quorum:
    """R-DEC-4: serving members present now, against the body's quorum setting."""
    serving = serving_member_ids(meeting.body)
    present = Attendance.objects.filter(meeting=meeting, person_id__in=serving, status=AttendanceStatus.PRESENT).count()
    fraction = decisions.quorum_fraction((meeting.body.settings or {}).get("quorum"))
    return decisions.Quorum(serving=len(serving), present=present, fraction=fraction)


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    starts_at: dt.datetime,
    kind: str = "regular",
    place: str = "",
    chair: Person | None = None,
    clerk: Person | None = None,
    guests: list[Person] | None = None,
) -> Meeting:
    """Convene a meeting of ``body``: its serving members are invited as members, ``guests`` as guests."""
    meeting = Meeting(
        body=body, title=title, kind=kind, starts_at=starts_at, place=place, chair=chair, clerk=clerk, created_by=actor
    )
    normalize_text_fields(meeting)
    validate(meeting, exclude=["created_by"])
    meeting.save()
    members = serving_member_ids(body, timezone.localtime(starts_at).date())
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person_id=pk, role=AttendanceRole.MEMBER) for pk in sorted(members)]
        + [
            Attendance(meeting=meeting, person=p, role=AttendanceRole.GUEST)
            for p in (guests or [])
            if p.pk not in members
        ]
    )
    audit_record(actor=actor, action="create", obj=meeting, changes=diff({}, snapshot(meeting, MEETING_FIELDS)))
    return meeting


def _open_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if locked.status == MeetingStatus.CLOSED:
        raise DomainError(_("Hội nghị đã kết thúc."))
    return locked


@transaction.atomic
def attendance_set(*, actor: Any, meeting: Meeting, person: Person, status: str, reason: str = "") -> Attendance:
    """Record a person's presence, excuse, absence or departure; a present person opens the meeting."""
    meeting = _open_meeting(meeting)
    if status not in AttendanceStatus.values or status == AttendanceStatus.INVITED:
        raise DomainError({"status": [_("Trạng thái điểm danh không hợp lệ.")]})
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        raise DomainError(_("%(name)s không có trong danh sách triệu tập.") % {"name": person.full_name})
    before = {"status": row.status}
    row.status, row.reason, row.changed_at = status, reason, timezone.now()
    normalize_text_fields(row, ["reason"])
    row.save(update_fields=["status", "reason", "changed_at"])
    if status == AttendanceStatus.PRESENT and meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.OPEN
        meeting.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="attendance",
        obj=meeting,
        changes={"attendance": [f"{person.full_name}: {before['status']}", f"{person.full_name}: {status}"]},
    )
    return row


@transaction.atomic
def item_add(
    *, actor: Any, meeting: Meeting, title: str, kind: str = ItemKind.TOPIC, description: str = ""
) -> AgendaItem:
    meeting = _open_meeting(meeting)
    number = (meeting.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    item = AgendaItem(meeting=meeting, number=number, title=title, kind=kind, description=description)
    normalize_text_fields(item)
    validate(item)
    item.save()
    audit_record(actor=actor, action="item_add", obj=meeting, changes={"item": [None, str(item)]})
    return item


@transaction.atomic
def opinion_add(*, actor: Any, item: AgendaItem, person: Person, text: str, reserved: bool = False) -> Opinion:
    """R-DEC-2: an opinion on an item; ``reserved`` keeps a minority opinion on record."""
    _open_meeting(item.meeting)
    if not Attendance.objects.filter(meeting=item.meeting_id, person=person).exists():
        raise DomainError(_("%(name)s không dự hội nghị này.") % {"name": person.full_name})
    opinion = Opinion(item=item, person=person, text=text, reserved=reserved)
    normalize_text_fields(opinion)
    validate(opinion)
    opinion.save()
    audit_record(
        actor=actor,
        action="opinion",
        obj=item.meeting,
        changes={"opinion": [None, f"{person.full_name}{' (bảo lưu)' if reserved else ''}: {opinion.text[:200]}"]},
    )
    return opinion


@transaction.atomic
def poll_create(
    *, actor: Any, item: AgendaItem, question: str, kind: str, method: str = PollMethod.CHOICE, seats: int | None = None
) -> Poll:
    """A vote on an item. R-DEC-5: personnel items are secret ballots, and cannot be open votes. An election
    (``method`` candidates) fills ``seats`` from a list of candidates."""
    _open_meeting(item.meeting)
    if kind not in PollKind.values:
        raise DomainError({"kind": [_("Hãy chọn hình thức biểu quyết.")]})
    if method not in PollMethod.values:
        raise DomainError({"method": [_("Hãy chọn cách bầu.")]})
    if method == PollMethod.CANDIDATES:
        if kind != PollKind.SECRET:
            raise DomainError({"kind": [_("Bầu cử phải bỏ phiếu kín (R-DEC-5).")]}, rule=decisions.R_DEC_5.id)
        if not seats or seats < 1:
            raise DomainError({"seats": [_("Nhập số lượng cần bầu (ít nhất 1).")]})
    else:
        seats = None
    if kind == PollKind.OPEN and decisions.must_be_secret(item.kind):
        raise DomainError(
            {"kind": [_("Nội dung về công tác cán bộ phải bỏ phiếu kín (R-DEC-5).")]}, rule=decisions.R_DEC_5.id
        )
    poll = Poll(item=item, question=question, kind=kind, method=method, seats=seats)
    normalize_text_fields(poll)
    validate(poll)
    poll.save()
    audit_record(actor=actor, action="poll_create", obj=item.meeting, changes={"poll": [None, poll.question]})
    return poll


@transaction.atomic
def candidate_add(*, actor: Any, poll: Poll, person: Person, write_in: bool = False) -> Candidate:
    """Put a person on an election's list while the poll is not open."""
    poll = _lock_poll(poll)
    if poll.method != PollMethod.CANDIDATES:
        raise DomainError(_("Cuộc biểu quyết này không bầu theo danh sách."))
    if poll.status != PollStatus.DRAFT:
        raise DomainError(_("Danh sách chỉ sửa được trước khi mở bầu cử."))
    if Candidate.objects.filter(poll=poll, person=person).exists():
        raise DomainError(_("%(name)s đã có trong danh sách.") % {"name": person.full_name})
    candidate = Candidate.objects.create(poll=poll, person=person, write_in=write_in)
    audit_record(
        actor=actor, action="candidate_add", obj=poll.item.meeting, changes={"candidate": [None, person.full_name]}
    )
    return candidate


@transaction.atomic
def poll_runoff(*, actor: Any, poll: Poll) -> Poll:
    """R-ELE-3: another round between the candidates tied for the last seat(s), for the seats still empty."""
    poll = _lock_poll(poll)
    if poll.status != PollStatus.CLOSED or not poll.runoff:
        raise DomainError(_("Không có ứng cử viên nào phải bầu lại."))
    if poll.next_rounds.exists():
        raise DomainError(_("Vòng bầu lại đã được tạo."))
    elected = Candidate.objects.filter(poll=poll, elected=True).count()
    rounds = 1 + sum(1 for _p in _rounds_before(poll))
    runoff = Poll.objects.create(
        item=poll.item,
        question=RUNOFF_QUESTION % {"question": poll.question, "round": rounds + 1},
        kind=PollKind.SECRET,
        method=PollMethod.CANDIDATES,
        seats=(poll.seats or 0) - elected,
        previous=poll,
    )
    tied = Candidate.objects.filter(pk__in=poll.runoff).select_related("person")
    Candidate.objects.bulk_create([Candidate(poll=runoff, person=c.person) for c in tied])
    audit_record(
        actor=actor,
        action="poll_create",
        obj=poll.item.meeting,
        changes={"poll": [None, runoff.question], "candidates": [None, ", ".join(c.person.full_name for c in tied)]},
    )
    return runoff


def _rounds_before(poll: Poll) -> list[Poll]:
    found = []
    while poll.previous_id is not None:
        poll = Poll.objects.get(pk=poll.previous_id)
        found.append(poll)
    return found


def _lock_poll(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("item__meeting__body").get(pk=poll.pk)


@transaction.atomic
def poll_open(*, actor: Any, poll: Poll) -> Poll:
    """Open a vote: only with a quorum (R-DEC-4). The serving members now are those the result counts (R-DEC-3)."""
    poll = _lock_poll(poll)
    meeting = _open_meeting(poll.item.meeting)
    if poll.status != PollStatus.DRAFT:
        raise DomainError(_("Cuộc biểu quyết này đã được mở."))
    if Poll.objects.filter(item__meeting=meeting, status=PollStatus.OPEN).exists():
        raise DomainError(_("Đang có một cuộc biểu quyết khác chưa kết thúc."))
    if poll.method == PollMethod.CANDIDATES and poll.previous_id is None:  # a runoff is between the tied only
        problem = elections.candidate_list_problem(poll.candidates.count(), poll.seats or 0)
        if problem:
            raise DomainError(problem, code="candidate_list", rule=elections.R_ELE_1.id)
    q = quorum(meeting)
    if not q.met:
        raise DomainError(q.message(), code="no_quorum", rule=decisions.R_DEC_4.id)
    poll.serving = q.serving
    poll.status = PollStatus.OPEN
    poll.opened_at = timezone.now()
    poll.save(update_fields=["serving", "status", "opened_at"])
    audit_record(
        actor=actor,
        action="poll_open",
        obj=meeting,
        changes={"poll": [None, poll.question], "quorum": [None, f"{q.present}/{q.serving}"]},
    )
    return poll


def _check_voter(poll: Poll, person: Person) -> None:
    if poll.status == PollStatus.DRAFT:
        raise DomainError(_("Cuộc biểu quyết chưa mở."), code="not_open")
    if poll.status == PollStatus.CLOSED:
        raise DomainError(_("Cuộc biểu quyết đã kết thúc."), code="closed")
    meeting = poll.item.meeting
    serving = Position.objects.current(timezone.localdate()).filter(body=meeting.body, person=person).exists()
    if not serving:
        raise DomainError(
            _("Đồng chí không phải thành viên đương nhiệm của %(body)s.") % {"body": meeting.body.name},
            code="not_member",
            rule=decisions.R_DEC_3.id,
        )
    present = Attendance.objects.filter(meeting=meeting, person=person, status=AttendanceStatus.PRESENT).exists()
    if not present:
        raise DomainError(_("Đồng chí chưa được điểm danh có mặt tại hội nghị."), code="not_present")


def _selection(poll: Poll, selection: list[Any] | None) -> list[int]:
    """The candidate ids kept on an election ballot: of this poll, each once, at most ``seats`` of them."""
    try:
        ids = sorted({int(pk) for pk in (selection or [])})
    except (TypeError, ValueError):
        raise DomainError({"selection": [_("Phiếu không hợp lệ.")]}) from None
    valid = set(Candidate.objects.filter(poll=poll).values_list("pk", flat=True))
    if not set(ids) <= valid:
        raise DomainError({"selection": [_("Phiếu có người không thuộc danh sách bầu cử.")]})
    if len(ids) > (poll.seats or 0):
        raise DomainError(
            {
                "selection": [
                    _("Phiếu chọn %(n)s người, nhiều hơn số lượng cần bầu (%(seats)s).")
                    % {"n": len(ids), "seats": poll.seats}
                ]
            }
        )
    return ids


def vote_cast(*, actor: Any, poll: Poll, person: Person, choice: str = "", selection: list[Any] | None = None) -> None:
    """Record a member's vote. A secret vote stores a ballot with no voter and marks the voter, atomically; a
    second vote is refused by the database's uniqueness ("Đồng chí đã bỏ phiếu"). In an election the ballot keeps
    the chosen candidates (at most as many as the seats)."""
    try:
        with transaction.atomic():
            poll = Poll.objects.select_related("item__meeting__body").get(pk=poll.pk)
            if poll.method == PollMethod.CANDIDATES:
                chosen = _selection(poll, selection)
            elif choice not in Choice.values:
                raise DomainError({"choice": [_("Hãy chọn một phương án.")]})
            _check_voter(poll, person)
            if poll.method == PollMethod.CANDIDATES:
                VoterMark.objects.create(poll=poll, person=person)
                Ballot.objects.create(poll=poll, selection=chosen)
            elif poll.kind == PollKind.SECRET:
                VoterMark.objects.create(poll=poll, person=person)
                Ballot.objects.create(poll=poll, choice=choice)
            else:
                vote = OpenVote.objects.create(poll=poll, person=person, choice=choice)
                audit_record(
                    actor=actor, action="vote", obj=poll, changes={person.full_name: [None, vote.get_choice_display()]}
                )
    except IntegrityError:
        raise DomainError(_("Đồng chí đã bỏ phiếu."), code="already_voted") from None


def turnout(poll: Poll) -> int:
    """How many have voted (shown live; the choices only after closing)."""
    if poll.kind == PollKind.SECRET or poll.method == PollMethod.CANDIDATES:
        return VoterMark.objects.filter(poll=poll).count()
    return OpenVote.objects.filter(poll=poll).count()


def _shuffle_secret_rows(poll: Poll) -> None:
    """Rewrite the poll's ballots and voter marks in random order with new random ids, so that the order in which
    the database stored them cannot pair a ballot with a voter."""
    rng = random.SystemRandom()
    choices = list(Ballot.objects.filter(poll=poll).values_list("choice", "selection"))
    voters = list(VoterMark.objects.filter(poll=poll).values_list("person_id", flat=True))
    rng.shuffle(choices)
    rng.shuffle(voters)
    Ballot.objects.filter(poll=poll).delete()
    VoterMark.objects.filter(poll=poll).delete()
    Ballot.objects.bulk_create([Ballot(id=uuid.uuid4(), poll=poll, choice=c, selection=sel) for c, sel in choices])
    VoterMark.objects.bulk_create([VoterMark(id=uuid.uuid4(), poll=poll, person_id=p) for p in voters])


def _close_election(actor: Any, poll: Poll) -> Poll:
    """R-ELE-3: count each candidate's ballots; elected with more than half of all summoned (the serving members
    when the poll opened); a tie across the last seat goes to another round between the tied."""
    candidates = list(Candidate.objects.filter(poll=poll).select_related("person"))
    votes = dict.fromkeys((c.pk for c in candidates), 0)
    for selection in Ballot.objects.filter(poll=poll).values_list("selection", flat=True):
        for pk in selection:
            votes[pk] += 1
    result = elections.election_result(votes, summoned=poll.serving or 0, seats=poll.seats or 0)
    for c in candidates:
        c.votes = votes[c.pk]
        c.elected = c.pk in result.elected
    Candidate.objects.bulk_update(candidates, ["votes", "elected"])
    poll.runoff = list(result.runoff)
    poll.passed = bool(result.elected)
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.save()
    names = {c.pk: c.person.full_name for c in candidates}
    audit_record(
        actor=actor,
        action="poll_close",
        obj=poll.item.meeting,
        changes={
            "poll": [None, poll.question],
            "elected": [None, ", ".join(names[pk] for pk in result.elected)],
            "runoff": [None, ", ".join(names[pk] for pk in result.runoff)],
        },
    )
    return poll


@transaction.atomic
def poll_close(*, actor: Any, poll: Poll) -> Poll:
    """Close a vote and count it: passes iff approvals > half of the serving members (R-DEC-1). Closing a closed
    poll changes nothing."""
    poll = _lock_poll(poll)
    if poll.status == PollStatus.CLOSED:
        return poll
    if poll.status == PollStatus.DRAFT:
        raise DomainError(_("Cuộc biểu quyết chưa mở."))
    if poll.kind == PollKind.SECRET:
        _shuffle_secret_rows(poll)
        rows = Ballot.objects.filter(poll=poll)
        marks = VoterMark.objects.filter(poll=poll).count()
        if rows.count() != marks:  # cannot happen: both are written in one transaction
            raise DomainError(_("Số phiếu không khớp số người đã bỏ phiếu; không thể kết thúc."))
    else:
        rows = OpenVote.objects.filter(poll=poll)  # type: ignore[assignment]
    if poll.method == PollMethod.CANDIDATES:
        return _close_election(actor, poll)
    counts = dict.fromkeys(Choice.values, 0)
    for choice in rows.values_list("choice", flat=True):
        counts[choice] += 1
    poll.approve, poll.reject, poll.abstain = counts["approve"], counts["reject"], counts["abstain"]
    poll.passed = decisions.passes(poll.approve, poll.serving or 0)
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.save()
    audit_record(
        actor=actor,
        action="poll_close",
        obj=poll.item.meeting,
        changes={
            "poll": [None, poll.question],
            "result": [None, f"{poll.approve}/{poll.serving} ({'thông qua' if poll.passed else 'không thông qua'})"],
        },
    )
    return poll
