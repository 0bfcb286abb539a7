"""Reads for the meeting pages: the meeting with its attendance, quorum, agenda and polls as one person sees them;
the reads the services decide with (who serves, the quorum, whether a poll can go to another round)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.core.access import unclassified_or_named
from dongthuan.core.types import Actor, JSONValue
from dongthuan.documents.decisions import Decision
from dongthuan.documents.models import Document
from dongthuan.meetings import agenda, sealing
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Ballot,
    Candidate,
    Confidence,
    Elects,
    Meeting,
    Minutes,
    OpenVote,
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
from dongthuan.organizations.models import Body, Position
from dongthuan.people.models import Person
from dongthuan.rules import decisions, elections


def serving_member_ids(body: Body, on: dt.date | None = None) -> set[int]:
    """R-DEC-3: the people holding a post in ``body`` on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return set(Position.objects.current(on).filter(body=body).values_list("person_id", flat=True))


def meeting_day(meeting: Meeting) -> dt.date:
    """R-DEC-3: the day whose serving members count — today for a meeting under way, the meeting's own day for one
    recorded afterwards."""
    return min(timezone.localdate(), timezone.localtime(meeting.starts_at).date())


def quorum(meeting: Meeting) -> decisions.Quorum:
    """R-DEC-4: serving members present now, against the body's quorum setting."""
    serving = serving_member_ids(meeting.body, meeting_day(meeting))
    present = Attendance.objects.filter(meeting=meeting, person_id__in=serving, status=AttendanceStatus.PRESENT).count()
    fraction = decisions.quorum_fraction((meeting.body.settings or {}).get("quorum"))
    return decisions.Quorum(serving=len(serving), present=present, fraction=fraction)


def next_round_problem(poll: Poll) -> str | None:
    """Why ``poll`` cannot go to another round, or None. An election goes on when a tie holds the last seat(s) or
    seats are left with nobody passing (R-ELE-3); a nomination when nobody had more than half (R-ELE-5); a cell
    secretary's election stops after the third round: the higher committee appoints (R-ELE-4)."""
    if poll.status != PollStatus.CLOSED or poll.method not in (PollMethod.CANDIDATES, PollMethod.NOMINATION):
        return _("Không có vòng bầu tiếp theo.")
    if poll.method == PollMethod.NOMINATION:
        return None if poll.runoff else _("Đã có người được giới thiệu; không cần vòng sau.")
    elected = sum(1 for c in poll.candidates.all() if c.elected)
    if elected >= (poll.seats or 0):
        return _("Đã bầu đủ số lượng.")
    if poll.cell_secretary and elected == 0:
        rounds = 1 + len(rounds_before(poll))
        if elections.cell_secretary_appointed_by_higher_level(rounds):
            return _("Sau %(n)s vòng không bầu được bí thư chi bộ: cấp ủy cấp trên chỉ định bí thư (R-ELE-4).") % {
                "n": rounds
            }
    return None


def rounds_before(poll: Poll) -> list[Poll]:
    found = []
    while poll.previous_id is not None:
        poll = Poll.objects.get(pk=poll.previous_id)
        found.append(poll)
    return found


def turnout(poll: Poll) -> int:
    """How many have voted (shown live; the choices only after closing)."""
    if poll.kind == PollKind.SECRET:
        return VoterMark.objects.filter(poll=poll).count()
    return OpenVote.objects.filter(poll=poll).count()


def few_ballots_problem(poll: Poll, ballots: int) -> str | None:
    """Why counting ``ballots`` secret ballots could give a choice away, or None (setting
    SECRET_POLL_MIN_BALLOTS)."""
    least = int(getattr(settings, "SECRET_POLL_MIN_BALLOTS", 3))
    if poll.kind != PollKind.SECRET or ballots >= least:
        return None
    return _(
        "Chỉ có %(n)s phiếu: kết quả có thể cho biết từng người đã chọn gì. Chỉ kết thúc khi chủ trì xác nhận điều "
        "này trước hội nghị."
    ) % {"n": ballots}


def seal_threshold(tellers: int) -> int:
    """How many tellers must unseal the count: a majority of them (two of three, three of four or five)."""
    return tellers // 2 + 1


def meetings_of(body: Body) -> list[Meeting]:
    return list(Meeting.objects.filter(body=body).select_related("body__organization").order_by("-starts_at")[:50])


def agenda_drafts(meeting: Meeting, user: Actor) -> QuerySet[Document]:
    """The drafts an agenda item of ``meeting`` may carry: its organisation's, less the classified ones ``user`` is
    not named on (a classified draft's title only to those named on it)."""
    drafts = Document.objects.filter(organization=meeting.body.organization_id, status="draft")
    return unclassified_or_named(user, drafts).select_related("doc_type")


def agenda_item(meeting: Meeting, item_id: int) -> AgendaItem | None:
    return meeting.items.filter(pk=item_id).first()


def attendance_row(meeting: Meeting, person_id: int) -> Attendance | None:
    """``person_id``'s row on ``meeting``'s list, with the person, or None."""
    return meeting.attendance.select_related("person").filter(person_id=person_id).first()


def attendees(meeting: Meeting, ids: Iterable[int]) -> list[Person]:
    """The people on the meeting's list among ``ids`` (user input): nobody else can be named."""
    return [a.person for a in meeting.attendance.select_related("person").filter(person_id__in=set(ids))]


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def minutes_to_export(meeting: Meeting) -> Minutes | None:
    """The minutes with what their official layout names (the body, its organisation and the one above)."""
    return Minutes.objects.filter(meeting=meeting).select_related("meeting__body__organization__parent").first()


def tally_candidates(poll: Poll) -> list[Candidate]:
    return list(poll.candidates.select_related("person").order_by("person__sort_key", "id"))


def teller_tally(poll: Poll, teller: Person) -> PaperTally | None:
    """The count ``teller`` entered for ``poll``, if any."""
    return poll.tallies.filter(teller=teller).first()


@dataclass(frozen=True)
class PollView:
    """A poll as one person sees it on the meeting's page."""

    poll: Poll
    turnout: int
    voted: bool
    can_vote: bool
    needed: int
    is_teller: bool = False
    tallies: int = 0  # paper polls: how many tellers have entered a count
    next_problem: str | None = None  # why no next round (None: a next round can be created)
    has_next_round: bool = False  # a next round has been created already
    runoff_names: tuple[str, ...] = ()  # who goes to the next round, by name
    few: bool = False  # a secret poll with so few ballots that closing needs the chair's confirmation
    sealed_by_tellers: bool = False  # a secret electronic poll whose tellers hold the seal
    codes_taken: int = 0  # tellers who took their seal code (before opening)
    my_code_taken: bool = False
    unsealed: int = 0  # tellers who unsealed their share (while counting)
    threshold: int = 0
    my_share_open: bool = False  # I am a teller and still have to unseal


@dataclass(frozen=True)
class ItemView:
    """An agenda item as one person sees it: the title they may read, whether they may follow the link to its
    draft, and its polls."""

    item: AgendaItem
    title: str
    draft_shown: bool
    polls: tuple[PollView, ...]


def _poll_view(
    poll: Poll,
    polls: list[Poll],
    *,
    me: int | None,
    turnout: int,
    voted: bool,
    can_vote: bool,
    needed: int,
    tallies: int,
    least: int,
    shares: list[tuple[int | None, bool, bool]],
    threshold: int | None,
) -> PollView:
    runoff_names: tuple[str, ...] = ()
    if poll.runoff:
        names = {c.pk: c.person.full_name for c in poll.candidates.all()}
        runoff_names = tuple(names[pk] for pk in poll.runoff)
    next_problem = None
    if poll.status == PollStatus.CLOSED and poll.method in (PollMethod.CANDIDATES, PollMethod.NOMINATION):
        next_problem = next_round_problem(poll)
    secret_electronic = poll.kind == PollKind.SECRET and not poll.paper
    sealed = secret_electronic and bool(poll.tellers.all())
    return PollView(
        poll,
        turnout,
        voted,
        can_vote,
        needed,
        is_teller=any(t.pk == me for t in poll.tellers.all()),
        tallies=tallies,
        next_problem=next_problem,
        has_next_round=any(p.previous_id == poll.pk for p in polls),
        runoff_names=runoff_names,
        few=secret_electronic and turnout < least,
        sealed_by_tellers=sealed,
        codes_taken=sum(1 for _t, _done, taken in shares if taken) if sealed else 0,
        my_code_taken=sealed and any(t == me and taken for t, _done, taken in shares),
        unsealed=sum(1 for _t, done, _taken in shares if done) if sealed else 0,
        threshold=(threshold or seal_threshold(len(poll.tellers.all()))) if sealed else 0,
        my_share_open=sealed and any(t == me and not done for t, done, _taken in shares),
    )


def meeting_page(meeting: Meeting, person: Person | None, reader: Actor) -> dict[str, object]:
    """The meeting as ``reader`` (the account; ``person`` its person) sees it: each agenda item with the title they
    may read (``agenda``), its opinions and polls."""
    serving = serving_member_ids(meeting.body, meeting_day(meeting))
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person").order_by("role", "person__sort_key")
    )
    me = person.pk if person is not None else None
    present = any(a.person_id == me and a.status == AttendanceStatus.PRESENT for a in attendance)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("document__doc_type")
        .prefetch_related("opinions__person")
        .order_by("number")
    )
    titles = agenda.shown_titles(reader, items)
    polls = list(
        Poll.objects.filter(item__meeting=meeting).prefetch_related("candidates__person", "tellers").order_by("id")
    )
    tallies = dict(
        PaperTally.objects.filter(poll__in=polls).values_list("poll").annotate(n=Count("id")).values_list("poll", "n")
    )
    secret = dict(
        VoterMark.objects.filter(poll__in=polls).values_list("poll").annotate(n=Count("id")).values_list("poll", "n")
    )
    open_counts = dict(
        OpenVote.objects.filter(poll__in=polls).values_list("poll").annotate(n=Count("id")).values_list("poll", "n")
    )
    shares: dict[int, list[tuple[int | None, bool, bool]]] = {}
    thresholds: dict[int, int] = {}
    for poll_id, mode, threshold, teller_id, partial_done, recipient_set in SealShare.objects.filter(
        seal__poll__in=polls
    ).values_list("seal__poll_id", "seal__mode", "seal__threshold", "teller_id", "unsealed_at", "recipient"):
        if mode == SealMode.TELLERS:
            shares.setdefault(poll_id, []).append((teller_id, partial_done is not None, recipient_set is not None))
            thresholds[poll_id] = threshold
    least = int(getattr(settings, "SECRET_POLL_MIN_BALLOTS", 3))
    mine: set[int] = set()
    if person is not None:
        mine = set(VoterMark.objects.filter(poll__in=polls, person=person).values_list("poll_id", flat=True))
        mine |= set(OpenVote.objects.filter(poll__in=polls, person=person).values_list("poll_id", flat=True))
    by_item: dict[int, list[PollView]] = {}
    for poll in polls:
        turnout = secret.get(poll.pk, 0) if poll.kind == PollKind.SECRET else open_counts.get(poll.pk, 0)
        voted = poll.pk in mine
        can_vote = poll.status == PollStatus.OPEN and not poll.paper and not voted and present and me in serving
        view = _poll_view(
            poll,
            polls,
            me=me,
            turnout=turnout,
            voted=voted,
            can_vote=can_vote,
            needed=decisions.approvals_needed(poll.serving or len(serving)),
            tallies=tallies.get(poll.pk, 0),
            least=least,
            shares=shares.get(poll.pk, []),
            threshold=thresholds.get(poll.pk),
        )
        by_item.setdefault(poll.item_id, []).append(view)
    return {
        "meeting": meeting,
        "attendance": attendance,
        "serving": serving,
        "quorum": quorum(meeting),
        "items": [ItemView(item, *titles[item.pk], tuple(by_item.get(item.pk, []))) for item in items],
        "live": any(p.status == PollStatus.OPEN for p in polls),
        "minutes": Minutes.objects.filter(meeting=meeting).only("status", "meeting_id").first(),
        "confidence_levels": Confidence.choices,
        "elects_choices": Elects.choices,
        "present_people": [a for a in attendance if a.status == AttendanceStatus.PRESENT],
        "statuses": [s for s in AttendanceStatus.choices if s[0] != AttendanceStatus.INVITED],
    }


def seal_bulletin(poll: Poll) -> dict[str, JSONValue]:
    """What anyone at the meeting may download once voting has ended, to check the count: the poll's public key
    and slots, the encrypted ballots while they are kept (until the count), their receipts and digest, the sum,
    each teller's partial decryption with its proof, and the count. ``sealing.check_bulletin`` checks it."""
    seal = PollSeal.objects.get(poll=poll)
    names = {str(c.pk): c.person.full_name for c in poll.candidates.select_related("person")}
    labels = []
    for slot in seal.slots:
        pk, _sep, level = slot.partition(":")
        labels.append(f"{names.get(pk, slot)}{' – ' + str(Confidence(level).label) if level else ''}")
    ballots = sorted(bytes(c) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True))
    return {
        "poll": poll.pk,
        "question": poll.question,
        "status": poll.status,
        "mode": seal.mode,
        "public_key": sealing.text(bytes(seal.public_key or b"")),
        "threshold": seal.threshold,
        "seats": poll.seats or 0,
        "slots": seal.slots,
        "packing": {"bits": seal.slot_bits, "per": seal.slots_per_cipher},
        "labels": labels,
        "ballots": [sealing.text(c) for c in ballots],
        "receipts": seal.receipts,
        "digest": seal.digest,
        "total": sealing.text(bytes(seal.total or b"")),
        "shares": [
            {
                "index": share.index,
                "teller": share.teller.full_name if share.teller else None,
                "verification": sealing.text(bytes(share.verification or b"")),
                "partial": sealing.text(bytes(share.partial)) if share.partial is not None else None,
                "proof": sealing.text(bytes(share.proof)) if share.proof is not None else None,
            }
            for share in seal.shares.select_related("teller").order_by("index")
        ],
        "counts": seal.counts,
    }


def decisions_on_document(document: Document) -> list[Decision]:
    """The votes taken on ``document`` at meetings, newest first, for the document's page (R-DEC-1)."""
    polls = Poll.objects.filter(item__document=document).select_related("item__meeting").order_by("-id")
    return [
        Decision(
            url=poll.item.meeting.get_absolute_url(),
            meeting=poll.item.meeting.title,
            day=poll.item.meeting.starts_at,
            question=poll.question,
            closed=poll.status == PollStatus.CLOSED,
            approve=poll.approve or 0,
            serving=poll.serving or 0,
            passed=bool(poll.passed),
            status=str(poll.get_status_display()),
        )
        for poll in polls
    ]
