"""Who may see a meeting, convene and run one, vote in its polls and count paper ballots.

A meeting is seen by those invited to it and by the officers of its organisation; convened and run (attendance,
agenda, opening and closing votes) by its organisation's office and leaders; a poll is voted in by the people
invited to its meeting (the service checks the rest); a paper poll's count is entered by its tellers only, each for
themselves. Decided with the checks of ``organizations.permissions``.

Views load what a browser names with ``<entity>_for_user(user, id)`` (or ``_for_manager``, ``_for_voter``): a
missing object and a forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.meetings.models import Meeting, Poll
from dongthuan.organizations.models import Body
from dongthuan.organizations.permissions import body_for_user, can_manage_organization, can_view_history
from dongthuan.organizations.roles import Account


def can_convene(user: Account, body: Body) -> bool:
    """Convening a meeting of a body: the office and leaders of its organisation."""
    return can_manage_organization(user, body.organization)


def can_manage_meeting(user: Account, meeting: Meeting) -> bool:
    """Convening, attendance, agenda and opening or closing votes: the office and leaders of the organisation."""
    return can_manage_organization(user, meeting.body.organization)


def can_view_meeting(user: Account, meeting: Meeting) -> bool:
    """A meeting is seen by those invited to it and by the officers of its organisation."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is not None and meeting.attendance.filter(person=person).exists():
        return True
    return can_view_history(user, meeting.body.organization)


def can_tally(user: Account, poll: Poll) -> bool:
    """Entering a paper poll's count: only its tellers (ban kiểm phiếu), each for themselves."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and poll.tellers.filter(pk=person.pk).exists()


def body_for_meeting_list(user: Account, body_id: int | str) -> Body:
    """A body whose meetings ``user`` lists: one whose organisation they see (each meeting is then checked with
    ``can_view_meeting``)."""
    return body_for_user(user, body_id)


def body_for_convener(user: Account, body_id: int | str) -> Body:
    """A body ``user`` may convene a meeting of (``can_convene``)."""
    body = body_for_user(user, body_id)
    if not can_convene(user, body):
        raise Http404
    return body


def poll_for_voter(user: Account, poll_id: int | str) -> Poll:
    """A poll for a person invited to its meeting (the only ones who may vote; the service checks the rest), loaded
    with its meeting and body in one query; 404 otherwise."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        raise Http404
    invited = Poll.objects.filter(item__meeting__attendance__person=person).select_related(
        "item__meeting__body", "seal"
    )
    return get_or_404(invited, poll_id)


def meeting_for_user(user: Account, meeting_id: int | str) -> Meeting:
    meeting = get_or_404(Meeting.objects.select_related("body__organization", "chair", "clerk"), meeting_id)
    if not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def meeting_for_manager(user: Account, meeting_id: int | str) -> Meeting:
    meeting = meeting_for_user(user, meeting_id)
    if not can_manage_meeting(user, meeting):
        raise Http404
    return meeting


def poll_for_user(user: Account, poll_id: int | str) -> Poll:
    """A poll of a meeting ``user`` sees (``meeting_for_user``), with its item, meeting, body and organisation."""
    poll = get_or_404(Poll.objects.select_related("item__meeting__body__organization"), poll_id)
    meeting_for_user(user, poll.item.meeting_id)
    return poll


def poll_for_manager(user: Account, poll_id: int | str) -> Poll:
    """A poll of a meeting ``user`` runs (``meeting_for_manager``)."""
    poll = get_or_404(Poll.objects.select_related("item__meeting__body__organization"), poll_id)
    meeting_for_manager(user, poll.item.meeting_id)
    return poll
