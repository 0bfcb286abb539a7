"""Reads for the meeting pages: the meeting with its attendance, quorum, agenda and polls as one person sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count

from dongthuan.documents.decisions import Decision
from dongthuan.documents.models import Document
from dongthuan.meetings import agenda, sealing, services
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Ballot,
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
from dongthuan.organizations.models import Body
from dongthuan.rules import decisions


def meetings_of(body: Body) -> list[Meeting]:
    return list(Meeting.objects.filter(body=body).select_related("body__organization").order_by("-starts_at")[:50])


@dataclass
class PollView:
    poll: Poll
    turnout: int
    voted: bool
    can_vote: bool
    needed: int
    is_teller: bool = False
    tallies: int = 0  # paper polls: how many tellers have entered a count
    next_problem: str | None = None  # why no next round (None: a next round can be created)
    few: bool = False  # a secret poll with so few ballots that closing needs the chair's confirmation
    sealed_by_tellers: bool = False  # a secret electronic poll whose tellers hold the seal
    codes_taken: int = 0  # tellers who took their seal code (before opening)
    my_code_taken: bool = False
    unsealed: int = 0  # tellers who unsealed their share (while counting)
    threshold: int = 0
    my_share_open: bool = False  # I am a teller and still have to unseal


def meeting_page(meeting: Meeting, person: Any, reader: Any) -> dict[str, Any]:
    """The meeting as ``reader`` (the account; ``person`` its person) sees it: each agenda item with the title they
    may read (``agenda``), its opinions and polls."""
    serving = services.serving_member_ids(meeting.body, services.meeting_day(meeting))
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person").order_by("role", "person__sort_key")
    )
    quorum = services.quorum(meeting)
    present = any(
        a.person_id == getattr(person, "pk", None) and a.status == AttendanceStatus.PRESENT for a in attendance
    )
    items = agenda.with_titles(
        reader,
        list(
            AgendaItem.objects.filter(meeting=meeting)
            .select_related("document__doc_type")
            .prefetch_related("opinions__person")
            .order_by("number")
        ),
    )
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
    shares: dict[int, list[tuple[Any, bool, bool]]] = {}
    thresholds = {}
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
        poll.has_next_round = any(p.previous_id == poll.pk for p in polls)  # type: ignore[attr-defined]
        if poll.runoff:
            names = {c.pk: c.person.full_name for c in poll.candidates.all()}
            poll.runoff_names = [names[pk] for pk in poll.runoff]  # type: ignore[attr-defined]
        voted = poll.pk in mine
        can_vote = (
            poll.status == PollStatus.OPEN
            and not poll.paper
            and not voted
            and present
            and getattr(person, "pk", None) in serving
        )
        needed = decisions.approvals_needed(poll.serving or len(serving))
        view = PollView(poll, turnout, voted, can_vote, needed)
        view.is_teller = any(t.pk == getattr(person, "pk", None) for t in poll.tellers.all())
        view.tallies = tallies.get(poll.pk, 0)
        view.few = poll.kind == PollKind.SECRET and not poll.paper and turnout < least
        if poll.kind == PollKind.SECRET and not poll.paper and poll.tellers.all():
            rows = shares.get(poll.pk, [])
            me = getattr(person, "pk", None)
            view.sealed_by_tellers = True
            view.codes_taken = sum(1 for _t, _done, taken in rows if taken)
            view.my_code_taken = any(t == me and taken for t, _done, taken in rows)
            view.unsealed = sum(1 for _t, done, _taken in rows if done)
            view.threshold = thresholds.get(poll.pk) or services.seal_threshold(len(poll.tellers.all()))
            view.my_share_open = any(t == me and not done for t, done, _taken in rows)
        if poll.status == PollStatus.CLOSED and poll.method in (PollMethod.CANDIDATES, PollMethod.NOMINATION):
            view.next_problem = services.next_round_problem(poll)
        by_item.setdefault(poll.item_id, []).append(view)
    for item in items:
        item.poll_views = by_item.get(item.pk, [])  # type: ignore[attr-defined]
    return {
        "meeting": meeting,
        "attendance": attendance,
        "serving": serving,
        "quorum": quorum,
        "items": items,
        "live": any(p.status == PollStatus.OPEN for p in polls),
        "minutes": Minutes.objects.filter(meeting=meeting).only("status", "meeting_id").first(),
        "confidence_levels": Confidence.choices,
        "elects_choices": Elects.choices,
        "present_people": [a for a in attendance if a.status == AttendanceStatus.PRESENT],
        "statuses": [s for s in AttendanceStatus.choices if s[0] != AttendanceStatus.INVITED],
    }


def seal_bulletin(poll: Poll) -> dict[str, Any]:
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
