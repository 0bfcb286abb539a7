"""Who may run a round of opinions on a draft and who gives opinions in it.

A round is run — opened, answered, closed, synthesised, its register written — by the drafters of the document
(``documents.permissions.can_draft_document``); it is opened, and given opinions in, by the people of the audiences
it asks. A round on a classified draft reaches only the people named on the draft (``core.access``). The public's
opinions on public pages are confirmed by email and moderated, not checked here.

Views load a round with ``consultation_for_user(user, id)`` (or ``_for_runner``): a missing round and a forbidden
one both raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.consultations.models import Round
from dongthuan.consultations.selectors import audience_of, is_public, rounds_with_pages
from dongthuan.core.access import can_see_classified
from dongthuan.core.http import get_or_404
from dongthuan.documents.models import Document
from dongthuan.documents.permissions import can_draft_document, document_for_editor
from dongthuan.organizations.roles import Account
from dongthuan.people.selectors import person_of_account


def can_run_consultation(user: Account, consultation: Round) -> bool:
    """Opening, answering, closing and synthesising a round, and its register: the drafters of the document."""
    return can_draft_document(user, consultation.document.organization)


def document_for_new_round(user: Account, document_id: int | str) -> Document:
    """A document ``user`` may open a round of opinions on: one they draft (``can_draft_document``)."""
    return document_for_editor(user, document_id)


def consultation_for_user(user: Account, round_id: int | str) -> tuple[Round, str | None]:
    """A round for its drafters, or for someone it asks (with the audience they belong to); 404 otherwise."""
    consultation = get_or_404(rounds_with_pages(), round_id)
    if not can_see_classified(user, consultation.document):
        raise Http404
    if can_run_consultation(user, consultation):
        return consultation, None
    person = person_of_account(user)
    found = audience_of(consultation, person) if person is not None else None
    if found is None:
        raise Http404
    return consultation, found[0]


def consultation_for_runner(user: Account, round_id: int | str) -> Round:
    """A round for its drafters only (answering, closing, synthesising); 404 for anyone else."""
    consultation, audience = consultation_for_user(user, round_id)
    if audience is not None:
        raise Http404
    return consultation


def consultation_for_public(round_id: int | str) -> Round:
    """A round put to the public, for anyone (no account needed); 404 for any other round."""
    consultation = get_or_404(rounds_with_pages(), round_id)
    if not is_public(consultation):
        raise Http404
    return consultation
