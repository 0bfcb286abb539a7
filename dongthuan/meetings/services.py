"""Every write of a meeting: convening, attendance, agenda, opinions, polls and votes.

Votes follow the Party Statute exactly: a poll opens only with a quorum (R-DEC-4) of the body's serving members
(R-DEC-3); a resolution passes when approvals exceed half of all serving members (R-DEC-1); personnel items are
secret ballots that cannot become open votes (R-DEC-5). A secret vote writes no audit row and no time: the voter
mark and the anonymous, encrypted ballot are written together, and nothing else. A secret poll is sealed when it
opens (``sealing``): its private key exists only as shares sealed to its tellers' codes (or, without tellers, to the
server's seal key, which is not in the database), and its count is the decryption of the sum of the ballots.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import uuid
from collections.abc import Mapping, Sequence
from typing import TypeAlias, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.errors import (
    AccessError,
    ConflictError,
    ErrorCode,
    InputError,
    QuorumError,
    RuleError,
    SecrecyError,
    StateError,
)
from dongthuan.core.services import normalize_text_fields, validate
from dongthuan.core.text import nfc
from dongthuan.core.types import Actor, JSONValue
from dongthuan.documents.models import Document
from dongthuan.documents.permissions import can_view_document
from dongthuan.meetings import sealing
from dongthuan.meetings.agenda import stored_title
from dongthuan.meetings.models import (
    LIST_METHODS,
    TALLY_TOTALS,
    AgendaItem,
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    Ballot,
    Candidate,
    Choice,
    Confidence,
    Elects,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    OpenVote,
    Opinion,
    PaperTally,
    Poll,
    PollKind,
    PollMethod,
    PollSeal,
    PollStatus,
    SealMode,
    SealShare,
    VoterMark,
)
from dongthuan.meetings.selectors import (
    few_ballots_problem,
    meeting_day,
    next_round_problem,
    quorum,
    rounds_before,
    seal_threshold,
    serving_member_ids,
)
from dongthuan.organizations.models import Body, Position
from dongthuan.people.models import Person
from dongthuan.rules import decisions, elections

# What a voter sends for a list's ballot: the candidates' ids, or a level per candidate's id (a confidence vote).
Selection: TypeAlias = "Mapping[str, str] | Sequence[str | int] | None"
# A ballot's checked content: a choice, the ids chosen, or a level per id.
Chosen: TypeAlias = "str | list[int] | dict[str, str]"


class Counts(TypedDict, total=False):
    """A poll's count (``empty_counts``): choices for a decision, votes per candidate for an election or
    nomination, levels per person for a confidence vote; and the ballots issued, returned and invalid on paper."""

    choices: dict[str, int]
    votes: dict[str, int]
    levels: dict[str, dict[str, int]]
    issued: int
    received: int
    invalid: int


# Stored with the record, in Vietnamese whatever the language of the person who clicked.
RUNOFF_QUESTION = "%(question)s – vòng %(round)s"
MEETING_FIELDS = ("body", "title", "kind", "starts_at", "place", "chair", "clerk", "status")
# A secret electronic poll sealed by tellers names at least three, so that one missing teller never loses the count.
SEAL_MIN_TELLERS = 3
UNFINISHED = (PollStatus.OPEN, PollStatus.COUNTING)


def _account(actor: Actor) -> User | None:
    """The account that makes a write, for the columns that name one (none for the system)."""
    return actor if isinstance(actor, User) else None


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
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
        body=body,
        title=title,
        kind=kind,
        starts_at=starts_at,
        place=place,
        chair=chair,
        clerk=clerk,
        created_by=_account(actor),
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
        raise StateError(_("Hội nghị đã kết thúc."), code=ErrorCode.MEETING_CLOSED)
    return locked


@transaction.atomic
def attendance_set(*, actor: Actor, meeting: Meeting, person: Person, status: str, reason: str = "") -> Attendance:
    """Record a person's presence, excuse, absence or departure; a present person opens the meeting."""
    meeting = _open_meeting(meeting)
    if status not in AttendanceStatus.values or status == AttendanceStatus.INVITED:
        raise InputError({"status": [_("Trạng thái điểm danh không hợp lệ.")]}, code=ErrorCode.ATTENDANCE_STATUS)
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        raise InputError(
            _("%(name)s không có trong danh sách triệu tập.") % {"name": person.full_name}, code=ErrorCode.NOT_INVITED
        )
    if Poll.objects.filter(item__meeting=meeting, kind=PollKind.SECRET, status=PollStatus.OPEN).exists():
        # Who comes and goes while a secret poll is open could be set beside the turnout.
        raise SecrecyError(
            _("Đang bỏ phiếu kín: điểm danh chỉ thay đổi được sau khi kết thúc bỏ phiếu."),
            code=ErrorCode.SECRET_POLL_OPEN,
        )
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
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    kind: str = ItemKind.TOPIC,
    description: str = "",
    document: Document | None = None,
) -> AgendaItem:
    """An agenda item; a draft document to decide goes with kind "document" (the body's own organisation's, and one
    the actor may see: a classified draft only by someone named on it; the system — no account — only an
    unclassified one). The draft names the item when it is shown (``agenda``): its title is not copied."""
    meeting = _open_meeting(meeting)
    if document is not None:
        visible = can_view_document(actor, document) if actor is not None else not document.is_classified
        if not visible:
            raise AccessError(
                {"document": [_("Đồng chí không có quyền xem dự thảo văn bản này nên không đưa được ra hội nghị.")]},
                code=ErrorCode.NOT_ALLOWED,
            )
        if document.organization_id != meeting.body.organization_id or document.status != "draft":
            raise InputError(
                {"document": [_("Chỉ đưa ra hội nghị dự thảo văn bản của chính tổ chức.")]},
                code=ErrorCode.DRAFT_ELSEWHERE,
            )
        kind = ItemKind.DOCUMENT
    number = (meeting.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        number=number,
        title=(title or "").strip() or None,
        kind=kind,
        description=description,
        document=document,
    )
    normalize_text_fields(item)
    validate(item)
    item.save()
    audit_record(
        actor=actor, action="item_add", obj=meeting, changes={"item": [None, f"{number}. {stored_title(item)}"]}
    )
    return item


@transaction.atomic
def opinion_add(*, actor: Actor, item: AgendaItem, person: Person, text: str, reserved: bool = False) -> Opinion:
    """R-DEC-2: an opinion on an item; ``reserved`` keeps a minority opinion on record."""
    _open_meeting(item.meeting)
    if not Attendance.objects.filter(meeting=item.meeting_id, person=person).exists():
        raise InputError(_("%(name)s không dự hội nghị này.") % {"name": person.full_name}, code=ErrorCode.NOT_INVITED)
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
    *,
    actor: Actor,
    item: AgendaItem,
    question: str,
    kind: str,
    method: str = PollMethod.CHOICE,
    seats: int | None = None,
    paper: bool = False,
    tellers: list[Person] | None = None,
    cell_secretary: bool = False,
    elects: str = Elects.COMMITTEE,
) -> Poll:
    """A vote on an item. R-DEC-5: personnel items are secret ballots, and cannot be open votes. An election
    (``method`` candidates) fills ``seats`` from a list; a nomination (R-ELE-5) names one person per ballot; a
    confidence vote rates each person on the list high, medium or low. A ``paper`` poll is printed and counted by
    two ``tellers`` or more, present at the meeting."""
    meeting = _open_meeting(item.meeting)
    if kind not in PollKind.values:
        raise InputError({"kind": [_("Hãy chọn hình thức biểu quyết.")]}, code=ErrorCode.POLL_KIND)
    if method not in PollMethod.values:
        raise InputError({"method": [_("Hãy chọn cách bầu.")]}, code=ErrorCode.POLL_METHOD)
    if method in LIST_METHODS and kind != PollKind.SECRET:
        raise RuleError(
            {"kind": [_("Bầu cử, giới thiệu và lấy phiếu tín nhiệm phải bỏ phiếu kín (R-DEC-5).")]},
            rule=decisions.R_DEC_5.id,
            code=ErrorCode.MUST_BE_SECRET,
        )
    if method == PollMethod.CANDIDATES:
        if not seats or seats < 1:
            raise InputError({"seats": [_("Nhập số lượng cần bầu (ít nhất 1).")]}, code=ErrorCode.POLL_SEATS)
        if elects not in Elects.values:
            raise InputError({"elects": [_("Hãy chọn bầu vào đâu.")]}, code=ErrorCode.POLL_ELECTS)
    elif method == PollMethod.NOMINATION:
        seats = 1
    else:
        seats = None
    if kind == PollKind.OPEN and decisions.must_be_secret(item.kind):
        raise RuleError(
            {"kind": [_("Nội dung về công tác cán bộ phải bỏ phiếu kín (R-DEC-5).")]},
            rule=decisions.R_DEC_5.id,
            code=ErrorCode.MUST_BE_SECRET,
        )
    teller_list = list({p.pk: p for p in (tellers or [])}.values())
    if paper and kind != PollKind.SECRET:
        raise InputError({"paper": [_("Chỉ bỏ phiếu kín mới in phiếu giấy.")]}, code=ErrorCode.PAPER_ONLY_SECRET)
    if kind == PollKind.SECRET and (paper or teller_list):
        present = set(
            Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values_list(
                "person_id", flat=True
            )
        )
        if paper and (len(teller_list) < 2 or any(p.pk not in present for p in teller_list)):
            raise InputError(
                {"tellers": [_("Hãy chọn ít nhất hai người kiểm phiếu đang có mặt tại hội nghị.")]},
                code=ErrorCode.POLL_TELLERS,
            )
        if not paper and (len(teller_list) < SEAL_MIN_TELLERS or any(p.pk not in present for p in teller_list)):
            raise InputError(
                {
                    "tellers": [
                        _(
                            "Bỏ phiếu điện tử có ban kiểm phiếu: chọn ít nhất %(n)s người đang có mặt, để thiếu một "
                            "người vẫn mở được niêm phong."
                        )
                        % {"n": SEAL_MIN_TELLERS}
                    ]
                },
                code=ErrorCode.POLL_TELLERS,
            )
    else:
        teller_list = []
    poll = Poll(
        item=item,
        question=question,
        kind=kind,
        method=method,
        seats=seats,
        paper=paper,
        cell_secretary=cell_secretary and method == PollMethod.CANDIDATES,
        elects=elects if method == PollMethod.CANDIDATES else Elects.COMMITTEE,
    )
    normalize_text_fields(poll)
    validate(poll)
    poll.save()
    poll.tellers.set(teller_list)
    audit_record(actor=actor, action="poll_create", obj=item.meeting, changes={"poll": [None, poll.question]})
    return poll


@transaction.atomic
def candidate_add(
    *, actor: Actor, poll: Poll, person: Person, write_in: bool = False, agree: int | None = None
) -> Candidate:
    """Put a person on a poll's list while the poll is not open. A write-in (a nominee the convening committee
    did not propose) joins an election's list only if more than 30% of the delegates agree (R-ELE-2); ``agree``
    is the count of delegates who agreed, against the body's serving members."""
    poll = _lock_poll(poll)
    if poll.method not in LIST_METHODS:
        raise InputError(_("Cuộc biểu quyết này không bầu theo danh sách."), code=ErrorCode.NOT_A_LIST)
    if poll.status != PollStatus.DRAFT:
        raise StateError(_("Danh sách chỉ sửa được trước khi mở bỏ phiếu."), code=ErrorCode.NOT_DRAFT)
    if Candidate.objects.filter(poll=poll, person=person).exists():
        raise ConflictError(
            _("%(name)s đã có trong danh sách.") % {"name": person.full_name}, code=ErrorCode.ALREADY_LISTED
        )
    if write_in:
        delegates = len(serving_member_ids(poll.item.meeting.body, meeting_day(poll.item.meeting)))
        if agree is None or agree < 0 or agree > delegates:
            raise InputError(
                {"agree": [_("Nhập số đại biểu đồng ý (từ 0 đến %(n)s).") % {"n": delegates}]},
                rule=elections.R_ELE_2.id,
                code=ErrorCode.WRITE_IN_AGREE,
            )
        if not elections.write_in_admitted(agree, delegates):
            raise RuleError(
                _("%(name)s không được đưa vào danh sách: %(agree)s/%(n)s đại biểu đồng ý, cần trên 30%% (R-ELE-2).")
                % {"name": person.full_name, "agree": agree, "n": delegates},
                code=ErrorCode.WRITE_IN_REFUSED,
                rule=elections.R_ELE_2.id,
            )
    candidate = Candidate.objects.create(poll=poll, person=person, write_in=write_in, agree=agree if write_in else None)
    audit_record(
        actor=actor,
        action="candidate_add",
        obj=poll.item.meeting,
        changes={"candidate": [None, person.full_name + (f" (đề cử thêm, {agree} đồng ý)" if write_in else "")]},
    )
    return candidate


@transaction.atomic
def poll_runoff(*, actor: Actor, poll: Poll) -> Poll:
    """The next round: between the candidates tied for the last seat(s), or — when seats are left and nobody tied
    — between those not elected, for the seats still empty (R-ELE-3, R-ELE-4); in a nomination, between the top two
    (R-ELE-5)."""
    poll = _lock_poll(poll)
    problem = next_round_problem(poll)
    if problem:
        rule = elections.R_ELE_4.id if poll.cell_secretary else None
        raise StateError(problem, code=ErrorCode.NO_NEXT_ROUND, rule=rule)
    if poll.next_rounds.exists():
        raise ConflictError(_("Vòng bầu lại đã được tạo."), code=ErrorCode.RUNOFF_EXISTS)
    elected = Candidate.objects.filter(poll=poll, elected=True).count()
    rounds = 1 + len(rounds_before(poll))
    runoff = Poll.objects.create(
        item=poll.item,
        question=RUNOFF_QUESTION % {"question": poll.question, "round": rounds + 1},
        kind=PollKind.SECRET,
        method=poll.method,
        seats=(poll.seats or 0) - elected,
        previous=poll,
        paper=poll.paper,
        cell_secretary=poll.cell_secretary,
        elects=poll.elects,
    )
    runoff.tellers.set(poll.tellers.all())
    going_on = Candidate.objects.filter(poll=poll).select_related("person")
    going_on = going_on.filter(pk__in=poll.runoff) if poll.runoff else going_on.exclude(elected=True)
    Candidate.objects.bulk_create([Candidate(poll=runoff, person=c.person) for c in going_on])
    audit_record(
        actor=actor,
        action="poll_create",
        obj=poll.item.meeting,
        changes={
            "poll": [None, runoff.question],
            "candidates": [None, ", ".join(c.person.full_name for c in going_on)],
        },
    )
    return runoff


def _lock_poll(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("item__meeting__body").get(pk=poll.pk)


@transaction.atomic
def poll_open(*, actor: Actor, poll: Poll) -> Poll:
    """Open a vote: only with a quorum (R-DEC-4). The serving members now are those the result counts (R-DEC-3)."""
    poll = _lock_poll(poll)
    meeting = _open_meeting(poll.item.meeting)
    if poll.status != PollStatus.DRAFT:
        raise StateError(_("Cuộc biểu quyết này đã được mở."), code=ErrorCode.ALREADY_OPEN)
    if Poll.objects.filter(item__meeting=meeting, status__in=UNFINISHED).exists():
        raise ConflictError(_("Đang có một cuộc biểu quyết khác chưa kết thúc."), code=ErrorCode.OTHER_POLL_OPEN)
    # R-ELE-1 governs the list for a committee; a cell secretary is elected from a list of one or more, and a
    # later round is between those left.
    if poll.method == PollMethod.CANDIDATES and poll.previous_id is None and not poll.cell_secretary:
        problem = elections.candidate_list_problem(
            poll.candidates.count(), poll.seats or 0, surplus=elections.surplus_required(poll.elects)
        )
        if problem:
            raise RuleError(problem, code=ErrorCode.CANDIDATE_LIST, rule=elections.R_ELE_1.id)
    elif poll.method in LIST_METHODS and not poll.candidates.exists():
        raise InputError(_("Danh sách chưa có ai."), code=ErrorCode.CANDIDATE_LIST)
    q = quorum(meeting)
    if not q.met:
        raise QuorumError(q.message(), code=ErrorCode.NO_QUORUM, rule=decisions.R_DEC_4.id)
    if poll.kind == PollKind.SECRET and not poll.paper:
        _seal(poll)
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
    """The poll is open, and ``person`` serves on the body today (R-DEC-3) and is present: one query for both."""
    if poll.status == PollStatus.DRAFT:
        raise StateError(_("Cuộc biểu quyết chưa mở."), code=ErrorCode.NOT_OPEN)
    if poll.status != PollStatus.OPEN:
        raise StateError(_("Cuộc biểu quyết đã kết thúc."), code=ErrorCode.POLL_CLOSED)
    meeting = poll.item.meeting
    serving_now = Position.objects.current(meeting_day(meeting)).filter(body=meeting.body_id, person=person)
    present = Attendance.objects.filter(meeting=meeting, person=person, status=AttendanceStatus.PRESENT)
    found = (
        Person.objects.filter(pk=person.pk)
        .annotate(serving=Exists(serving_now), present=Exists(present))
        .values("serving", "present")
        .first()
    ) or {"serving": False, "present": False}
    if not found["serving"]:
        raise RuleError(
            _("Đồng chí không phải thành viên đương nhiệm của %(body)s.") % {"body": meeting.body.name},
            code=ErrorCode.NOT_MEMBER,
            rule=decisions.R_DEC_3.id,
        )
    if not found["present"]:
        raise StateError(_("Đồng chí chưa được điểm danh có mặt tại hội nghị."), code=ErrorCode.NOT_PRESENT)


def _listed(poll: Poll) -> set[int]:
    """The ids on the poll's list: read from the seal's slots once the poll is sealed (the list is fixed when it
    opens, and the slots are checked against the seal's MAC before the ballot is written), else from the list."""
    try:
        seal = poll.seal
    except PollSeal.DoesNotExist:
        seal = None
    if seal is not None and seal.public_key is not None and seal.slots:
        return {int(str(slot).split(":")[0]) for slot in seal.slots}
    return set(Candidate.objects.filter(poll=poll).values_list("pk", flat=True))


def _selection(poll: Poll, selection: Selection) -> Chosen:
    """What an electronic ballot keeps, checked against the poll's list: in an election the candidate ids chosen
    (each once, at most ``seats``); in a nomination exactly one id; in a confidence vote a level for every person
    on the list."""
    valid = _listed(poll)
    twice = InputError({"selection": [_("Phiếu ghi tên một người hai lần; hãy chọn lại.")]}, code=ErrorCode.TWICE)
    if poll.method == PollMethod.CONFIDENCE:
        if not selection:
            given: dict[str, str] = {}
        elif isinstance(selection, Mapping):
            given = dict(selection)
        else:  # not a level per person
            raise InputError({"selection": [_("Phiếu không hợp lệ.")]}, code=ErrorCode.INVALID_BALLOT)
        try:
            levels = {int(k): v for k, v in given.items()}
        except (TypeError, ValueError, OverflowError):
            raise InputError({"selection": [_("Phiếu không hợp lệ.")]}, code=ErrorCode.INVALID_BALLOT) from None
        if len(levels) != len(given):
            raise twice
        if set(levels) != valid or not set(levels.values()) <= set(Confidence.values):
            raise InputError(
                {"selection": [_("Hãy chọn mức tín nhiệm cho từng người trong danh sách.")]},
                code=ErrorCode.INVALID_BALLOT,
            )
        return {str(k): str(levels[k]) for k in sorted(levels)}
    try:
        given_ids = [int(pk) for pk in (selection or [])]
    except (TypeError, ValueError, OverflowError):
        raise InputError({"selection": [_("Phiếu không hợp lệ.")]}, code=ErrorCode.INVALID_BALLOT) from None
    ids = sorted(set(given_ids))
    if len(ids) != len(given_ids):
        raise twice
    if not set(ids) <= valid:
        raise InputError({"selection": [_("Phiếu có người không thuộc danh sách.")]}, code=ErrorCode.INVALID_BALLOT)
    if poll.method == PollMethod.NOMINATION and len(ids) != 1:
        raise InputError(
            {"selection": [_("Mỗi phiếu giới thiệu đúng một người (R-ELE-5).")]}, code=ErrorCode.INVALID_BALLOT
        )
    if len(ids) > (poll.seats or 0):
        raise InputError(
            {
                "selection": [
                    _("Phiếu chọn %(n)s người, nhiều hơn số lượng cần bầu (%(seats)s).")
                    % {"n": len(ids), "seats": poll.seats}
                ]
            },
            code=ErrorCode.INVALID_BALLOT,
        )
    return ids


def _status_for_vote(poll_id: int) -> tuple[str, bool]:
    """The poll's status, and whether it has a seal, in one query, read under a shared lock on PostgreSQL: votes
    run side by side, but ``poll_close`` (which locks the row for update) waits for the votes under way, and a vote
    that comes after it sees the poll closed — so no vote is recorded after the count. (SQLite takes one writer at a
    time anyway.) The poll's other fields cannot change once it is open."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    sealed = f"EXISTS (SELECT 1 FROM {PollSeal._meta.db_table} WHERE poll_id = %s)"  # noqa: S608 - tables from models
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, {sealed} FROM {Poll._meta.db_table} WHERE id = %s{lock}",  # noqa: S608
            [poll_id, poll_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise StateError(_("Cuộc biểu quyết không còn."), code=ErrorCode.POLL_MISSING)
    return str(row[0]), bool(row[1])


def vote_cast(*, actor: Actor, poll: Poll, person: Person, choice: str = "", selection: Selection = None) -> str:
    """Record a member's vote. A secret vote stores a ballot with no voter — its choice encrypted under the poll's
    public key — and marks the voter, atomically; a second vote is refused by the database's uniqueness ("Đồng chí
    đã bỏ phiếu"). Returns the voter's receipt for a secret vote (the hash of the ciphertext), "" for an open one."""
    try:
        with transaction.atomic():
            poll.status, sealed = _status_for_vote(poll.pk)
            if poll.paper:
                raise StateError(_("Cuộc bỏ phiếu này dùng phiếu giấy."), code=ErrorCode.PAPER_POLL)
            chosen: Chosen
            if poll.method in LIST_METHODS:
                chosen = _selection(poll, selection)
            elif choice not in Choice.values:
                raise InputError({"choice": [_("Hãy chọn một phương án.")]}, code=ErrorCode.INVALID_BALLOT)
            else:
                chosen = choice
            _check_voter(poll, person)
            if poll.kind == PollKind.SECRET:
                seal = _seal_for_vote(poll)
                plain = _plain(seal.slots, chosen)
                ciphertext = sealing.encrypt(_raw(seal.public_key), plain, _packing(seal))
                VoterMark.objects.create(poll=poll, person=person)
                Ballot.objects.create(poll=poll, ciphertext=ciphertext)
                return sealing.receipt(ciphertext)
            if sealed:  # a sealed poll turned "open" in the database
                raise SecrecyError(_("Cuộc bỏ phiếu đã bị thay đổi ngoài phần mềm."), code=ErrorCode.SEAL_TAMPERED)
            vote = OpenVote.objects.create(poll=poll, person=person, choice=choice)
            audit_record(
                actor=actor, action="vote", obj=poll, changes={person.full_name: [None, vote.get_choice_display()]}
            )
            return ""
    except IntegrityError:
        raise ConflictError(_("Đồng chí đã bỏ phiếu."), code=ErrorCode.ALREADY_VOTED) from None


def _seal_for_vote(poll: Poll) -> PollSeal:
    """The poll's seal, as loaded with the poll by the view (permissions.poll_for_voter) — read again if the poll
    was loaded before it opened — and checked to be as the server wrote it."""
    try:
        seal = poll.seal
    except PollSeal.DoesNotExist:
        seal = None
    if seal is None or seal.public_key is None:
        seal = PollSeal.objects.filter(poll=poll).first()
        if seal is None:
            raise SecrecyError(_("Niêm phong của cuộc bỏ phiếu không đầy đủ."), code=ErrorCode.SEAL_INCOMPLETE)
    _check_seal(poll, seal)
    return seal


def _shuffle_secret_rows(poll: Poll) -> None:
    """Rewrite the poll's ballots and voter marks in random order with new random ids, so that the order in which
    the database stored them cannot pair a ballot with a voter."""
    rng = random.SystemRandom()
    ciphertexts = [bytes(c) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)]
    voters = list(VoterMark.objects.filter(poll=poll).values_list("person_id", flat=True))
    rng.shuffle(ciphertexts)
    rng.shuffle(voters)
    Ballot.objects.filter(poll=poll).delete()
    VoterMark.objects.filter(poll=poll).delete()
    Ballot.objects.bulk_create([Ballot(id=uuid.uuid4(), poll=poll, ciphertext=c) for c in ciphertexts])
    VoterMark.objects.bulk_create([VoterMark(id=uuid.uuid4(), poll=poll, person_id=p) for p in voters])


def empty_counts(poll: Poll, candidate_ids: list[int]) -> Counts:
    """The shape of a poll's count, the same for electronic ballots and a teller's paper tally: choices for a
    decision, votes per candidate for an election or nomination, levels per person for a confidence vote."""
    if poll.method == PollMethod.CONFIDENCE:
        return {"levels": {str(pk): dict.fromkeys(Confidence.values, 0) for pk in candidate_ids}}
    if poll.method in LIST_METHODS:
        return {"votes": {str(pk): 0 for pk in candidate_ids}}
    return {"choices": dict.fromkeys(Choice.values, 0)}


def _count_open_votes(poll: Poll) -> Counts:
    counts = empty_counts(poll, [])
    for choice in OpenVote.objects.filter(poll=poll).values_list("choice", flat=True):
        counts["choices"][choice] += 1
    return counts


def _record_result(actor: Actor, poll: Poll, counts: Counts, candidates: list[Candidate]) -> Poll:
    """Store a count and its outcome: R-DEC-1 for a decision, R-ELE-3 for an election, R-ELE-5 for a nomination,
    the three levels for a confidence vote; all against the serving members when the poll opened (R-DEC-3)."""
    summoned = poll.serving or 0
    names = {c.pk: c.person.full_name for c in candidates}
    changes: dict[str, JSONValue] = {"poll": [None, poll.question]}
    if poll.method == PollMethod.CHOICE:
        choices = counts["choices"]
        poll.approve, poll.reject, poll.abstain = choices["approve"], choices["reject"], choices["abstain"]
        poll.passed = decisions.passes(poll.approve, summoned)
        changes["result"] = [None, f"{poll.approve}/{summoned} ({'thông qua' if poll.passed else 'không thông qua'})"]
    elif poll.method == PollMethod.CONFIDENCE:
        for c in candidates:
            level = counts["levels"][str(c.pk)]
            c.high, c.medium, c.low = level["high"], level["medium"], level["low"]
        Candidate.objects.bulk_update(candidates, ["high", "medium", "low"])
        poll.passed = True
        changes["result"] = [None, "; ".join(f"{names[c.pk]}: {c.high}/{c.medium}/{c.low}" for c in candidates)]
    else:
        votes = {c.pk: int(counts["votes"][str(c.pk)]) for c in candidates}
        if poll.method == PollMethod.NOMINATION:
            nomination = elections.nomination_result(votes, voters=summoned)
            chosen = [nomination.nominated] if nomination.nominated is not None else []
            poll.runoff = list(nomination.next_step)
        else:
            result = elections.election_result(votes, summoned=summoned, seats=poll.seats or 0)
            chosen, poll.runoff = list(result.elected), list(result.runoff)
        for c in candidates:
            c.votes, c.elected = votes[c.pk], c.pk in chosen
        Candidate.objects.bulk_update(candidates, ["votes", "elected"])
        poll.passed = bool(chosen)
        changes["elected"] = [None, ", ".join(names[pk] for pk in chosen)]
        changes["runoff"] = [None, ", ".join(names[pk] for pk in poll.runoff)]
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.save()
    audit_record(actor=actor, action="poll_close", obj=poll.item.meeting, changes=changes)
    return poll


@transaction.atomic
def poll_close(*, actor: Actor, poll: Poll, confirm_few: bool = False) -> Poll:
    """Close a vote and count it (R-DEC-1, R-ELE-3, R-ELE-5). Closing a closed poll changes nothing. A paper poll
    is closed by its tellers' agreeing counts (``tally_enter``), not here. A secret poll stops taking ballots and
    the ballots are summed; a poll sealed by tellers is then counted when enough of them unseal it
    (``poll_unseal``), a poll sealed by the server at once. With fewer ballots than SECRET_POLL_MIN_BALLOTS the chair
    must confirm (``confirm_few``)."""
    poll = _lock_poll(poll)
    if poll.status in (PollStatus.CLOSED, PollStatus.COUNTING):
        return poll
    if poll.status == PollStatus.DRAFT:
        raise StateError(_("Cuộc biểu quyết chưa mở."), code=ErrorCode.NOT_OPEN)
    if poll.paper:
        raise StateError(
            _("Phiếu giấy: kết quả có khi hai người kiểm phiếu nhập số liệu khớp nhau."), code=ErrorCode.PAPER_POLL
        )
    if poll.kind != PollKind.SECRET:
        return _record_result(actor, poll, _count_open_votes(poll), [])
    ballots = Ballot.objects.filter(poll=poll).count()
    if ballots != VoterMark.objects.filter(poll=poll).count():
        # cannot happen: both are written in one transaction
        raise SecrecyError(
            _("Số phiếu không khớp số người đã bỏ phiếu; không thể kết thúc."), code=ErrorCode.BALLOTS_MISMATCH
        )
    problem = few_ballots_problem(poll, ballots)
    if problem and not confirm_few:
        raise SecrecyError(problem, code=ErrorCode.FEW_BALLOTS)
    _shuffle_secret_rows(poll)
    seal = PollSeal.objects.select_for_update().get(poll=poll)
    _check_seal(poll, seal)
    ciphertexts = [bytes(c) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)]
    try:
        seal.total = sealing.aggregate(ciphertexts, _packing(seal).ciphers(len(seal.slots)))
    except (sealing.SealError, RuntimeError, ValueError):
        raise SecrecyError(
            _("Có phiếu đã mã hóa bị hỏng; không thể kiểm phiếu. Hãy hủy cuộc bỏ phiếu."), code=ErrorCode.SEAL_TAMPERED
        ) from None
    seal.ballots = len(ciphertexts)
    seal.receipts = sorted(sealing.receipt(c) for c in ciphertexts)
    seal.digest = sealing.digest(seal.receipts)
    seal.count_mac = _count_mac(poll, seal)
    seal.save(update_fields=["total", "ballots", "receipts", "digest", "count_mac"])
    poll.status = PollStatus.COUNTING
    poll.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="poll_count",
        obj=poll.item.meeting,
        changes={"poll": [None, poll.question], "ballots": [None, seal.ballots], "digest": [None, seal.digest]},
    )
    if seal.mode == SealMode.SERVER:
        share = seal.shares.get()
        try:
            secret = sealing.server_open(_raw(share.box), _server_key(poll), _raw(share.verification))
        except sealing.SealError:
            raise SecrecyError(
                _(
                    "Khóa niêm phong của máy chủ (DONGTHUAN_BALLOT_SEAL_KEY) không mở được cuộc bỏ phiếu này: khóa "
                    "đã đổi từ khi mở. Hãy đặt lại khóa cũ, hoặc hủy cuộc bỏ phiếu."
                ),
                code=ErrorCode.SERVER_KEY_CHANGED,
            ) from None
        _record_partial(share, _raw(seal.total), secret)
        return _finish_count(actor, poll, seal)
    return poll


@transaction.atomic
def poll_void(*, actor: Actor, poll: Poll, reason: str) -> Poll:
    """Annul a poll that is open or being counted and cannot be finished — fewer tellers than needed can unseal
    it, the server's seal key changed, the seal was tampered with: its ballots are deleted, no result is recorded,
    and the meeting may vote again (a new poll)."""
    poll = _lock_poll(poll)
    reason = nfc(reason or "").strip()[:500]
    if poll.status not in UNFINISHED:
        raise StateError(_("Chỉ hủy được cuộc bỏ phiếu đang mở hoặc đang kiểm phiếu."), code=ErrorCode.NOT_UNFINISHED)
    if poll.paper:
        raise StateError(
            _("Phiếu giấy: kết quả có khi hai người kiểm phiếu nhập số liệu khớp nhau."), code=ErrorCode.PAPER_POLL
        )
    if not reason:
        raise InputError({"reason": [_("Hãy ghi lý do hủy cuộc bỏ phiếu.")]}, code=ErrorCode.VOID_REASON)
    Ballot.objects.filter(poll=poll).delete()
    poll.status, poll.closed_at = PollStatus.VOID, timezone.now()
    poll.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="poll_void",
        obj=poll.item.meeting,
        changes={"poll": [None, poll.question], "reason": [None, reason]},
    )
    return poll


# --- the seal of a secret electronic poll -------------------------------------------------------------------------


def _raw(value: bytes | memoryview | None) -> bytes:
    """A binary column's value as bytes (PostgreSQL gives a memoryview); an empty one is a broken seal."""
    if value is None:
        raise SecrecyError(_("Niêm phong của cuộc bỏ phiếu không đầy đủ."), code=ErrorCode.SEAL_INCOMPLETE)
    return bytes(value)


def _server_key(poll: Poll) -> bytes:
    return sealing.server_key(str(settings.BALLOT_SEAL_KEY), f"poll:{poll.pk}".encode())


def _mac(poll: Poll, *parts: object) -> str:
    """A keyed hash of ``parts`` under the server's seal key, which no database holds: what the server wrote can
    be told from what someone changed in the database."""
    key = sealing.server_key(str(settings.BALLOT_SEAL_KEY), f"mac:poll:{poll.pk}".encode())
    message = b"\x00".join(p if isinstance(p, bytes) else str(p).encode() for p in parts)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _seal_mac(poll: Poll, seal: PollSeal) -> str:
    packed = [seal.slot_bits, seal.slots_per_cipher] if seal.slots_per_cipher > 1 else []  # unpacked: as before
    return _mac(poll, b"seal", seal.mode, seal.threshold, json.dumps(seal.slots), _raw(seal.public_key), *packed)


def _shares_mac(poll: Poll, shares: list[SealShare]) -> str:
    parts: list[object] = [b"shares"]
    for share in sorted(shares, key=lambda r: r.index):
        parts += [share.index, share.teller_id or "", _raw(share.verification)]
    return _mac(poll, *parts)


def _count_mac(poll: Poll, seal: PollSeal) -> str:
    return _mac(poll, b"count", _raw(seal.total), seal.digest, seal.ballots)


def _check_seal(poll: Poll, seal: PollSeal, counted: bool = False) -> None:
    """The seal is as the server wrote it (and, once voting has ended, the sum of the ballots too)."""
    tampered = SecrecyError(
        _("Niêm phong của cuộc bỏ phiếu đã bị thay đổi ngoài phần mềm; không thể tiếp tục. Hãy hủy cuộc bỏ phiếu."),
        code=ErrorCode.SEAL_TAMPERED,
    )
    if seal.public_key is None or not hmac.compare_digest(seal.mac, _seal_mac(poll, seal)):
        raise tampered
    if counted:
        shares = list(seal.shares.all())
        if not hmac.compare_digest(seal.shares_mac, _shares_mac(poll, shares)):
            raise tampered
        if seal.total is None or not hmac.compare_digest(seal.count_mac, _count_mac(poll, seal)):
            raise tampered


def _code_context(poll: Poll) -> bytes:
    return f"poll:{poll.pk}".encode()


def _slots(poll: Poll) -> list[str]:
    """The slots of a ballot: the three choices, a candidate each, or a candidate and a level each."""
    ids = sorted(Candidate.objects.filter(poll=poll).values_list("pk", flat=True))
    if poll.method == PollMethod.CONFIDENCE:
        return [f"{pk}:{level}" for pk in ids for level in Confidence.values]
    if poll.method in LIST_METHODS:
        return [str(pk) for pk in ids]
    return list(Choice.values)


def _packing(seal: PollSeal) -> sealing.Packing:
    return sealing.Packing(bits=seal.slot_bits, per=seal.slots_per_cipher)


def _plain(slots: list[str], chosen: Chosen) -> list[int]:
    """A checked choice as 0s and 1s over the ballot's slots: a level per person (a confidence vote), the people
    chosen (an election or nomination) or a choice."""
    if isinstance(chosen, dict):
        marked = {f"{pk}:{level}" for pk, level in chosen.items()}
    elif isinstance(chosen, list):
        marked = {str(pk) for pk in chosen}
    else:
        marked = {chosen}
    return [1 if slot in marked else 0 for slot in slots]


@transaction.atomic
def teller_code_take(*, actor: Actor, poll: Poll, teller: Person) -> str:
    """A teller of a secret electronic poll takes the code that will unseal the count, before the poll opens. The
    code is returned once and never stored: only the public key it stands for is kept. Taking a new code replaces
    the old one."""
    poll = _lock_poll(poll)
    if poll.kind != PollKind.SECRET or poll.paper:
        raise SecrecyError(_("Chỉ bỏ phiếu kín điện tử mới có niêm phong."), code=ErrorCode.NOT_SEALED)
    if poll.status != PollStatus.DRAFT:
        raise StateError(_("Cuộc bỏ phiếu đã mở; không nhận mã niêm phong được nữa."), code=ErrorCode.NOT_DRAFT)
    if not poll.tellers.filter(pk=teller.pk).exists():
        raise SecrecyError(_("Đồng chí không thuộc ban kiểm phiếu của cuộc bỏ phiếu này."), code=ErrorCode.NOT_TELLER)
    seal, _created = PollSeal.objects.get_or_create(poll=poll, defaults={"mode": SealMode.TELLERS})
    code = sealing.new_code()
    _private, public = sealing.code_keypair(code, _code_context(poll))
    index = (seal.shares.order_by("-index").values_list("index", flat=True).first() or 0) + 1
    SealShare.objects.update_or_create(
        seal=seal,
        teller=teller,
        defaults={"recipient": public, "index": index, "recipient_mac": _mac(poll, b"recipient", teller.pk, public)},
    )
    audit_record(actor=actor, action="seal_code", obj=poll.item.meeting, changes={"teller": [None, teller.full_name]})
    return code


def _seal(poll: Poll) -> PollSeal:
    """Make the poll's key pair and seal its private key: split among the tellers' codes, or sealed to the
    server's key when the poll has no tellers. The private key is dropped."""
    tellers = list(poll.tellers.all())
    seal, _created = PollSeal.objects.get_or_create(
        poll=poll, defaults={"mode": SealMode.TELLERS if tellers else SealMode.SERVER}
    )
    seal.slots = _slots(poll)
    # Nobody off the meeting's list can be present, and attendance is frozen while the poll is open: the list's
    # length bounds every slot's count, so the packing of slots into ciphertexts never overflows.
    packing = sealing.packing_for(Attendance.objects.filter(meeting=poll.item.meeting_id).count())
    seal.slot_bits, seal.slots_per_cipher = packing.bits, packing.per
    if tellers:
        shares = {s.teller_id: s for s in seal.shares.all()}
        missing = [t.full_name for t in tellers if t.pk not in shares]
        if missing:
            raise SecrecyError(
                _("Người kiểm phiếu chưa nhận mã niêm phong: %(names)s.") % {"names": ", ".join(missing)},
                code=ErrorCode.SEAL_CODES_MISSING,
            )
        rows = sorted((shares[t.pk] for t in tellers), key=lambda r: r.pk)
        changed = [
            r.teller.full_name if r.teller else ""
            for r in rows
            if not hmac.compare_digest(r.recipient_mac, _mac(poll, b"recipient", r.teller_id, _raw(r.recipient)))
        ]
        if changed:
            raise SecrecyError(
                _("Khóa nhận của người kiểm phiếu đã bị thay đổi ngoài phần mềm: %(names)s. Hãy nhận mã mới.")
                % {"names": ", ".join(changed)},
                code=ErrorCode.SEAL_TAMPERED,
            )
        seal.mode, seal.threshold = SealMode.TELLERS, seal_threshold(len(rows))
        public_key, parts = sealing.split(seal.threshold, len(rows))
        for row, part in zip(rows, parts, strict=True):
            row.index = 1000 + part.index  # renumbered below without breaking the (seal, index) uniqueness
            row.save(update_fields=["index"])
        for row, part in zip(rows, parts, strict=True):
            row.index = part.index
            row.box = sealing.seal_share(part, _raw(row.recipient))
            row.verification = part.verification
            row.save(update_fields=["index", "box", "verification"])
    else:
        seal.mode, seal.threshold = SealMode.SERVER, 1
        public_key, parts = sealing.split(1, 1)
        SealShare.objects.filter(seal=seal).delete()
        SealShare.objects.create(
            seal=seal,
            index=1,
            box=sealing.server_seal(parts[0].secret, _server_key(poll)),
            verification=parts[0].verification,
        )
    seal.public_key = public_key
    seal.mac = _seal_mac(poll, seal)
    seal.shares_mac = _shares_mac(poll, list(seal.shares.all()))
    seal.save()
    return seal


def _record_partial(share: SealShare, total: bytes, secret: int) -> None:
    share.partial, share.proof = sealing.partial_decrypt(total, secret, _raw(share.verification))
    share.unsealed_at = timezone.now()
    share.save(update_fields=["partial", "proof", "unsealed_at"])


@transaction.atomic
def poll_unseal(*, actor: Actor, poll: Poll, teller: Person, code: str) -> Poll:
    """A teller opens their share of the seal with their code: it decrypts the sum of the ballots, nothing else,
    and the partial result is kept with its proof. When ``threshold`` tellers have done so, the poll is counted."""
    poll = _lock_poll(poll)
    if poll.status != PollStatus.COUNTING:
        raise StateError(_("Cuộc bỏ phiếu không ở bước kiểm phiếu."), code=ErrorCode.NOT_COUNTING)
    seal = PollSeal.objects.select_for_update().get(poll=poll)
    share = SealShare.objects.filter(seal=seal, teller=teller).first()
    if share is None:
        raise SecrecyError(_("Đồng chí không thuộc ban kiểm phiếu của cuộc bỏ phiếu này."), code=ErrorCode.NOT_TELLER)
    if share.partial is not None:
        raise SecrecyError(_("Đồng chí đã mở phần niêm phong của mình."), code=ErrorCode.ALREADY_UNSEALED)
    _check_seal(poll, seal, counted=True)
    _check_sum(poll, seal)
    try:
        private, _public = sealing.code_keypair(code, _code_context(poll))
        secret = sealing.open_share(_raw(share.box), private, _raw(share.verification))
    except sealing.SealError:
        raise SecrecyError({"code": [_("Mã niêm phong không đúng.")]}, code=ErrorCode.WRONG_CODE) from None
    _record_partial(share, _raw(seal.total), secret)
    audit_record(actor=actor, action="unseal", obj=poll.item.meeting, changes={"teller": [None, teller.full_name]})
    if seal.shares.filter(partial__isnull=False).count() >= seal.threshold:
        return _finish_count(actor, poll, seal)
    return poll


def _check_sum(poll: Poll, seal: PollSeal) -> None:
    """The sum a teller's share is about to decrypt is the sum of every ballot kept, one for each voter. The keyed
    hash on the sum stops a database writer, not whoever holds the server's seal key: with it, one ballot signed as
    the sum would have the tellers' codes decrypt that ballot alone."""
    ciphertexts = [bytes(c) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)]
    voters = VoterMark.objects.filter(poll=poll).count()
    try:
        summed = sealing.aggregate(ciphertexts, _packing(seal).ciphers(len(seal.slots)))
    except (sealing.SealError, RuntimeError, ValueError):
        summed = b""
    if len(ciphertexts) != seal.ballots or voters != seal.ballots or summed != _raw(seal.total):
        raise SecrecyError(
            _("Niêm phong của cuộc bỏ phiếu đã bị thay đổi ngoài phần mềm; không thể tiếp tục. Hãy hủy cuộc bỏ phiếu."),
            code=ErrorCode.SEAL_TAMPERED,
        )


def _finish_count(actor: Actor, poll: Poll, seal: PollSeal) -> Poll:
    """Combine the partial decryptions into the count of every slot, check each proof, delete the ballots and
    record the result."""
    total = _raw(seal.total)
    partials = {}
    for share in seal.shares.filter(partial__isnull=False).order_by("index")[: seal.threshold]:
        partial, proof, verification = _raw(share.partial), _raw(share.proof), _raw(share.verification)
        if not sealing.verify_partial(total, partial, proof, verification):
            raise SecrecyError(_("Phần giải mã của một người kiểm phiếu không hợp lệ."), code=ErrorCode.BAD_PARTIAL)
        partials[share.index] = partial
    _check_seal(poll, seal, counted=True)
    try:
        counts = sealing.combine(total, partials, seal.ballots or 0, _packing(seal), len(seal.slots))
    except (sealing.SealError, RuntimeError):
        counts = []
    if not counts or sealing.counts_problem(seal.slots, counts, seal.ballots or 0, poll.seats or 0):
        raise SecrecyError(
            _("Kết quả giải mã không khớp với số phiếu; không ghi kết quả. Hãy hủy cuộc bỏ phiếu."),
            code=ErrorCode.BAD_COUNT,
        )
    seal.counts = counts
    seal.save(update_fields=["counts"])
    Ballot.objects.filter(poll=poll).delete()
    candidates = list(Candidate.objects.filter(poll=poll).select_related("person"))
    result = empty_counts(poll, [c.pk for c in candidates])
    for slot, n in zip(seal.slots, counts, strict=True):
        if "levels" in result:
            pk, level = slot.split(":")
            result["levels"][pk][level] = n
        elif "votes" in result:
            result["votes"][slot] = n
        else:
            result["choices"][slot] = n
    return _record_result(actor, poll, result, candidates)


# --- paper ballots ------------------------------------------------------------------------------------------------


def _count(value: object) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InputError(
            {"counts": [_("Mỗi ô phải là một số nguyên không âm.")]}, code=ErrorCode.TALLY_COUNTS
        ) from None
    if number < 0:
        raise InputError({"counts": [_("Mỗi ô phải là một số nguyên không âm.")]}, code=ErrorCode.TALLY_COUNTS)
    return number


def _get(values: object, key: str) -> object:
    """``values[key]`` of a teller's entry, or None (no such entry, or not a group of entries)."""
    return values.get(key) if isinstance(values, Mapping) else None


def tally_clean(poll: Poll, counts: Mapping[str, object], candidates: list[Candidate]) -> Counts:
    """A teller's entry, as numbers in the shape of ``empty_counts``, checked for consistency: no more ballots
    returned than issued, nor issued than serving members, no more invalid than returned, and per person or choice
    no more than the valid ballots allow."""
    clean = empty_counts(poll, [c.pk for c in candidates])
    for key in TALLY_TOTALS:
        clean[key] = _count(counts.get(key))
    for group, values in clean.items():
        if isinstance(values, dict):
            for key, inner in values.items():
                given = _get(counts.get(group), key)
                if isinstance(inner, dict):
                    values[key] = {level: _count(_get(given, level)) for level in inner}
                else:
                    values[key] = _count(given)
    issued, received, invalid = clean["issued"], clean["received"], clean["invalid"]
    valid = received - invalid
    problems = []
    if issued > (poll.serving or 0):
        problems.append(
            _("Số phiếu phát ra (%(n)s) nhiều hơn số thành viên đương nhiệm (%(s)s).")
            % {"n": issued, "s": poll.serving}
        )
    if received > issued:
        problems.append(_("Số phiếu thu vào (%(r)s) nhiều hơn số phát ra (%(i)s).") % {"r": received, "i": issued})
    if invalid > received:
        problems.append(_("Số phiếu không hợp lệ nhiều hơn số phiếu thu vào."))
    names = {str(c.pk): c.person.full_name for c in candidates}
    if "choices" in clean and sum(clean["choices"].values()) != valid:
        problems.append(
            _("Tán thành, không tán thành và không biểu quyết cộng lại phải bằng số phiếu hợp lệ (%(v)s).")
            % {"v": valid}
        )
    for pk, n in clean.get("votes", {}).items():
        if n > valid:
            problems.append(
                _("%(name)s: %(n)s phiếu, nhiều hơn số phiếu hợp lệ (%(v)s).") % {"name": names[pk], "n": n, "v": valid}
            )
    if "votes" in clean and sum(clean["votes"].values()) > valid * (poll.seats or 1):
        problems.append(_("Tổng số phiếu bầu vượt quá số phiếu hợp lệ nhân số lượng cần bầu."))
    for pk, levels in clean.get("levels", {}).items():
        if sum(levels.values()) > valid:
            problems.append(
                _("%(name)s: tổng các mức tín nhiệm nhiều hơn số phiếu hợp lệ (%(v)s).")
                % {"name": names[pk], "v": valid}
            )
    if problems:
        raise InputError({"counts": problems}, code=ErrorCode.TALLY_COUNTS)
    return clean


def tally_differences(poll: Poll, first: Counts, second: Counts, candidates: list[Candidate]) -> list[str]:
    """Where two tellers' entries differ, named as the tally sheet names them ("Nguyễn Văn An: 7 ≠ 8")."""
    names = {str(c.pk): c.person.full_name for c in candidates}
    labels = {
        "issued": _("Số phiếu phát ra"),
        "received": _("Số phiếu thu vào"),
        "invalid": _("Số phiếu không hợp lệ"),
        **{value: str(label) for value, label in Choice.choices},
    }
    levels = dict(Confidence.choices)
    found = []
    for key in TALLY_TOTALS:
        if first[key] != second[key]:
            found.append(f"{labels[key]}: {first[key]} ≠ {second[key]}")
    # In the tally sheet's order (PostgreSQL's jsonb does not keep the keys' order).
    if "choices" in first:
        for choice in Choice.values:
            if first["choices"][choice] != second["choices"][choice]:
                found.append(f"{labels[choice]}: {first['choices'][choice]} ≠ {second['choices'][choice]}")
    for c in candidates:
        pk = str(c.pk)
        if "votes" in first and first["votes"][pk] != second["votes"][pk]:
            found.append(f"{names[pk]}: {first['votes'][pk]} ≠ {second['votes'][pk]}")
        for level in Confidence.values if "levels" in first else []:
            if first["levels"][pk][level] != second["levels"][pk][level]:
                found.append(
                    f"{names[pk]} – {levels[level]}: {first['levels'][pk][level]} ≠ {second['levels'][pk][level]}"
                )
    return found


@transaction.atomic
def tally_enter(*, actor: Actor, poll: Poll, teller: Person, counts: Mapping[str, object]) -> list[str]:
    """A teller's count of a paper poll. When two tellers' entries agree, the poll closes with that count; when
    they differ, nothing is decided and the differences are returned (each teller may enter again after a
    recount)."""
    poll = _lock_poll(poll)
    if not poll.paper:
        raise InputError(_("Cuộc biểu quyết này không dùng phiếu giấy."), code=ErrorCode.NOT_PAPER)
    if poll.status == PollStatus.DRAFT:
        raise StateError(_("Cuộc biểu quyết chưa mở."), code=ErrorCode.NOT_OPEN)
    if poll.status == PollStatus.CLOSED:
        raise StateError(_("Cuộc biểu quyết đã kết thúc."), code=ErrorCode.POLL_CLOSED)
    if not poll.tellers.filter(pk=teller.pk).exists():
        raise SecrecyError(_("Đồng chí không thuộc ban kiểm phiếu của cuộc bỏ phiếu này."), code=ErrorCode.NOT_TELLER)
    candidates = list(Candidate.objects.filter(poll=poll).select_related("person"))
    clean = tally_clean(poll, counts, candidates)
    PaperTally.objects.update_or_create(poll=poll, teller=teller, defaults={"counts": clean})
    audit_record(actor=actor, action="tally", obj=poll.item.meeting, changes={"tally": [None, teller.full_name]})
    entries = list(PaperTally.objects.filter(poll=poll).order_by("entered_at", "id"))
    if len(entries) < 2:
        return []
    differences: list[str] = []
    for other in entries[1:]:
        differences += tally_differences(poll, entries[0].counts, other.counts, candidates)
    if not differences:
        _record_result(actor, poll, clean, candidates)
    return differences


# --- closing the meeting, minutes ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting) -> Meeting:
    """End a meeting once no vote is open. Ending an ended meeting changes nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CLOSED:
        return meeting
    still_open = list(
        Poll.objects.filter(item__meeting=meeting, status__in=UNFINISHED).values_list("question", flat=True)
    )
    if still_open:
        raise StateError(
            _("Còn cuộc biểu quyết chưa kết thúc: %(q)s.") % {"q": "; ".join(still_open)},
            code=ErrorCode.POLLS_UNFINISHED,
        )
    meeting.status, meeting.ended_at = MeetingStatus.CLOSED, timezone.now()
    meeting.save(update_fields=["status", "ended_at"])
    audit_record(actor=actor, action="meeting_close", obj=meeting, changes={"status": ["open", "closed"]})
    return meeting


def _lock_minutes(minutes: Minutes) -> Minutes:
    locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if locked.status == MinutesStatus.SIGNED:
        raise StateError(_("Biên bản đã ký và khóa; không sửa được."), code=ErrorCode.MINUTES_SIGNED)
    return locked


@transaction.atomic
def minutes_generate(*, actor: Actor, meeting: Meeting) -> Minutes:
    """Draft the minutes from the record: attendance, each item with its opinions (reserved ones marked, R-DEC-2),
    votes and outcomes. Drafting again replaces the draft's text with the record's."""
    from dongthuan.meetings.minutes import sections_from_record

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        minutes = _lock_minutes(minutes)
        minutes.sections = sections_from_record(meeting)
        minutes.version += 1
        minutes.save()
    else:
        minutes = Minutes.objects.create(meeting=meeting, sections=sections_from_record(meeting))
    audit_record(actor=actor, action="minutes_generate", obj=meeting, changes={"minutes": [None, minutes.version]})
    return minutes


# A section of the minutes holds at most this many characters (some ten pages): enough for any meeting's record,
# and a section of a megabyte made the page and its Word copy run past a worker's timeout.
MAX_MINUTES_SECTION_CHARS = 20_000


@transaction.atomic
def minutes_save(*, actor: Actor, minutes: Minutes, texts: dict[str, str], version: int) -> Minutes:
    """Save edits to a draft's sections. ``version`` is the one the editor started from: if someone saved in
    between, nothing is written and the editor is told to reload."""
    minutes = _lock_minutes(minutes)
    if version != minutes.version:
        raise ConflictError(
            _("Biên bản vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa tiếp."), code=ErrorCode.STALE
        )
    changed = {}
    for section in minutes.sections:
        if section["key"] in texts:
            text = nfc(texts[section["key"]]).replace("\r\n", "\n").strip()
            if len(text) > MAX_MINUTES_SECTION_CHARS:
                raise InputError(
                    _("Phần «%(heading)s» dài %(count)s ký tự, vượt giới hạn %(limit)s ký tự. Hãy rút gọn.")
                    % {
                        "heading": section["heading"],
                        "count": f"{len(text):,}".replace(",", "."),
                        "limit": f"{MAX_MINUTES_SECTION_CHARS:,}".replace(",", "."),
                    },
                    code=ErrorCode.SECTION_TOO_LONG,
                )
            if text != section["text"]:
                changed[section["heading"]] = [section["text"][:200], text[:200]]
                section["text"] = text
    if changed:
        minutes.version += 1
        minutes.save()
        audit_record(actor=actor, action="minutes_edit", obj=minutes.meeting, changes=changed)
    return minutes


@transaction.atomic
def minutes_sign(*, actor: Actor, minutes: Minutes) -> Minutes:
    """Sign off the minutes of an ended meeting: from then on they never change."""
    minutes = _lock_minutes(minutes)
    if minutes.meeting.status != MeetingStatus.CLOSED:
        raise StateError(
            _("Hội nghị chưa kết thúc; chỉ ký biên bản sau khi kết thúc hội nghị."), code=ErrorCode.MEETING_OPEN
        )
    minutes.status, minutes.signed_at, minutes.signed_by = MinutesStatus.SIGNED, timezone.now(), _account(actor)
    minutes.save()
    audit_record(actor=actor, action="minutes_sign", obj=minutes.meeting, changes={"minutes": ["draft", "signed"]})
    return minutes
