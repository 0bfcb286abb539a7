"""Domain errors: what a service raises when a rule or a workflow guard refuses a write, with a message a user can
read (Vietnamese by default).

Every refusal carries a code from ``ErrorCode`` — one enumeration for the whole product, so a caller (a view, an
import, a test, an API client) can tell refusals apart without reading their wording — and is raised as the
exception of its family, which says what kind of refusal it is:

====================  =====================================================================================
family                when
====================  =====================================================================================
``StateError``        the record is not in a state that allows the write (a closed poll, an issued document)
``QuorumError``       too few present or voting for the decision to be valid (R-DEC-…)
``SecrecyError``      a secret ballot or its seal refused the step (tellers, codes, the sealed count)
``NumberingError``    an official number or symbol cannot be given (R-DOC-…)
``ImportRowError``    one row of an imported file is wrong; ``row`` and ``column`` say where
``AccessError``       a service found the actor may not make this write (views check first; this is the floor)
``InputError``        a value given is out of its allowed range or form (dates, sizes, lengths, choices)
``RuleError``         a rule of the registry refused the write; ``rule`` names it
``ConflictError``     the write collides with another record or an earlier write (duplicates, stale edits)
====================  =====================================================================================

Each is a ``DomainError`` and so a Django ``ValidationError``: forms show it like any validation error, and
``except DomainError`` catches every family. ``rule`` carries the rule id (R-ORG-1 …) when the refusal comes from a
rule of the registry (``dongthuan.rules.RULES``, catalogued in docs/rules.md); ``data`` carries the values a caller
may need (the ids, counts or limits involved), never anything secret.

The codes are grouped by the part of the domain that raises them; a new refusal adds its code to its group.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import ValidationError


class ErrorCode(StrEnum):
    """Every refusal's code. The value is what ``ValidationError.code`` holds and what a client sees."""

    # -- shared: any app ------------------------------------------------------------------------------------------
    INVALID = "invalid"  # a value a form would refuse, reached the service another way
    NOT_ALLOWED = "not_allowed"  # the actor may not make this write
    STALE = "stale"  # the record changed since the page was shown

    # -- organisations, people -------------------------------------------------------------------------------------

    # -- accounts, restructuring ----------------------------------------------------------------------------------

    # -- documents, consultations, portal --------------------------------------------------------------------------

    # -- meetings, votes, elections -------------------------------------------------------------------------------
    ALREADY_LISTED = "already_listed"
    ALREADY_OPEN = "already_open"
    ALREADY_UNSEALED = "already_unsealed"
    ALREADY_VOTED = "already_voted"
    ATTENDANCE_STATUS = "attendance_status"
    BAD_COUNT = "bad_count"
    BAD_PARTIAL = "bad_partial"
    BALLOTS_MISMATCH = "ballots_mismatch"
    CANDIDATE_LIST = "candidate_list"
    DRAFT_ELSEWHERE = "draft_elsewhere"
    FEW_BALLOTS = "few_ballots"
    INVALID_BALLOT = "invalid_ballot"
    MEETING_CLOSED = "meeting_closed"
    MEETING_OPEN = "meeting_open"
    MINUTES_SIGNED = "signed"
    MUST_BE_SECRET = "must_be_secret"  # noqa: S105 - a secret ballot, no password
    NOT_A_LIST = "not_a_list"
    NOT_COUNTING = "not_counting"
    NOT_DRAFT = "not_draft"
    NOT_INVITED = "not_invited"
    NOT_MEMBER = "not_member"
    NOT_OPEN = "not_open"
    NOT_PAPER = "not_paper"
    NOT_PRESENT = "not_present"
    NOT_SEALED = "not_sealed"
    NOT_TELLER = "not_teller"
    NOT_UNFINISHED = "not_unfinished"
    NO_NEXT_ROUND = "no_next_round"
    NO_QUORUM = "no_quorum"
    OTHER_POLL_OPEN = "other_poll_open"
    PAPER_ONLY_SECRET = "paper_only_secret"  # noqa: S105 - a secret ballot, no password
    PAPER_POLL = "paper"
    POLLS_UNFINISHED = "polls_unfinished"
    POLL_CLOSED = "closed"
    POLL_ELECTS = "poll_elects"
    POLL_KIND = "poll_kind"
    POLL_METHOD = "poll_method"
    POLL_MISSING = "missing"
    POLL_SEATS = "poll_seats"
    POLL_TELLERS = "poll_tellers"
    RUNOFF_EXISTS = "runoff_exists"
    SEAL_CODES_MISSING = "seal_codes_missing"
    SEAL_INCOMPLETE = "seal_incomplete"
    SEAL_TAMPERED = "seal_tampered"
    SECRET_POLL_OPEN = "secret_poll_open"  # noqa: S105 - a secret ballot, no password
    SECTION_TOO_LONG = "too_long"
    SERVER_KEY_CHANGED = "server_key_changed"
    TALLY_COUNTS = "tally_counts"
    TWICE = "twice"
    VOID_REASON = "reason"
    WRITE_IN_AGREE = "write_in_agree"
    WRITE_IN_REFUSED = "write_in_refused"
    WRONG_CODE = "wrong_code"

    # -- programs, exchange, audit, files, the writer -------------------------------------------------------------


class DomainError(ValidationError):
    """A rule or a workflow guard refused a write. Raise the family's class (below), not this one."""

    family: ClassVar[str] = "domain"

    def __init__(
        self,
        message: Any,
        code: ErrorCode | str | None = None,
        params: Mapping[str, Any] | None = None,
        rule: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=dict(params) if params is not None else None)
        self.code: ErrorCode | str | None = code  # kept for a message given as a dict or list too
        self.rule = rule
        self.data: dict[str, Any] = dict(data or {})


class StateError(DomainError):
    family = "state"


class QuorumError(DomainError):
    family = "quorum"


class SecrecyError(DomainError):
    family = "secrecy"


class NumberingError(DomainError):
    family = "numbering"


class ImportRowError(DomainError):
    family = "import_row"

    def __init__(
        self,
        message: Any,
        code: ErrorCode | str | None = None,
        params: Mapping[str, Any] | None = None,
        rule: str | None = None,
        data: Mapping[str, Any] | None = None,
        row: int | None = None,
        column: str = "",
    ) -> None:
        super().__init__(message, code=code, params=params, rule=rule, data=data)
        self.row = row  # the file's row number as a spreadsheet shows it (the header is row 1)
        self.column = column


class AccessError(DomainError):
    family = "access"


class InputError(DomainError):
    family = "input"


class RuleError(DomainError):
    family = "rule"


class ConflictError(DomainError):
    family = "conflict"


FAMILIES: tuple[type[DomainError], ...] = (
    StateError,
    QuorumError,
    SecrecyError,
    NumberingError,
    ImportRowError,
    AccessError,
    InputError,
    RuleError,
    ConflictError,
)
