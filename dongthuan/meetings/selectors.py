"""Reads for the meeting pages: the meeting with its attendance, quorum, agenda and polls as one person sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from dongthuan.meetings import services
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Confidence,
    Meeting,
    Minutes,
    OpenVote,
    PaperTally,
    Poll,
    PollKind,
    PollMethod,
    PollStatus,
    VoterMark,
)
from dongthuan.organizations.models import Body, Organization, Position
from dongthuan.people.models import Person
from dongthuan.rules import decisions


def people_of_organization(org: Organization) -> QuerySet[Person]:
    """People holding a current post in ``org`` (the choices for chair, meeting secretary and guests)."""
    ids = Position.objects.current().filter(organization=org).values_list("person_id", flat=True)
    return Person.objects.filter(pk__in=ids, classification="").order_by("sort_key")


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


def meeting_page(meeting: Meeting, person: Any) -> dict[str, Any]:
    serving = services.serving_member_ids(meeting.body, services.meeting_day(meeting))
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person").order_by("role", "person__sort_key")
    )
    quorum = services.quorum(meeting)
    present = any(
        a.person_id == getattr(person, "pk", None) and a.status == AttendanceStatus.PRESENT for a in attendance
    )
    items = list(AgendaItem.objects.filter(meeting=meeting).prefetch_related("opinions__person").order_by("number"))
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
        "present_people": [a for a in attendance if a.status == AttendanceStatus.PRESENT],
        "statuses": [s for s in AttendanceStatus.choices if s[0] != AttendanceStatus.INVITED],
    }
