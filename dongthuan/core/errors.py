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
    # accounts: sessions, the second factor, passkeys
    SIGN_IN_NOT_OWN = "sign_in_not_own"  # another account's session
    SIGN_IN_CURRENT = "sign_in_current"  # the session in use is ended by signing out
    TOTP_ALREADY_ENROLLED = "totp_already_enrolled"
    TOTP_NOT_PENDING = "totp_not_pending"  # no authenticator app being enrolled for this account
    OTP_CODE_WRONG = "otp_code_wrong"  # a wrong, spent or throttled code of the app or a recovery code
    SECOND_FACTOR_NOT_ON = "second_factor_not_on"
    SECOND_FACTOR_KEPT = "second_factor_kept"  # an administrator's or a required second factor stays on
    SECOND_FACTOR_FIRST = "second_factor_first"  # the session must give its second factor before this step
    SECOND_FACTOR_NOT_PENDING = "second_factor_not_pending"
    PASSKEY_NAME_MISSING = "passkey_name_missing"
    PASSKEY_NAME_TOO_LONG = "passkey_name_too_long"
    PASSKEY_ANSWER_MISSING = "passkey_answer_missing"  # the browser sent no credential
    PASSKEY_EXPIRED = "passkey_expired"  # the ceremony's state is missing or too old
    PASSKEY_DUPLICATE = "passkey_duplicate"
    PASSKEY_REFUSED = "passkey_refused"  # the answer did not verify
    PASSKEY_NONE = "passkey_none"  # the account has no passkey to sign in with
    PASSKEY_NOT_OWN = "passkey_not_own"
    REQUEST_UNREADABLE = "request_unreadable"  # a JSON body that is not a JSON object
    REQUEST_TOO_LARGE = "request_too_large"
    # restructuring: plans, applying, reverting
    RESTRUCTURING_ORG_ENDED = "restructuring_org_ended"
    RESTRUCTURING_TOO_EARLY = "restructuring_too_early"  # the effective date is not after the founding
    RESTRUCTURING_MEMBERS_NEED_CELL = "restructuring_members_need_cell"
    RESTRUCTURING_TARGET_OR_NEW = "restructuring_target_or_new"
    RESTRUCTURING_TOO_FEW = "restructuring_too_few"  # a merge of fewer than two, a split into fewer than two
    RESTRUCTURING_KIND_MISMATCH = "restructuring_kind_mismatch"
    RESTRUCTURING_NESTED = "restructuring_nested"  # one organisation of the operation is inside another
    RESTRUCTURING_UNASSIGNED = "restructuring_unassigned"  # a unit or member of a split given no part
    RESTRUCTURING_INTO_OWN_UNIT = "restructuring_into_own_unit"
    RESTRUCTURING_NO_CHANGE = "restructuring_no_change"  # the same parent and level, the same name
    RESTRUCTURING_NAME_MISSING = "restructuring_name_missing"
    RESTRUCTURING_NOT_EMPTY = "restructuring_not_empty"  # units or members left in an organisation that ends
    RESTRUCTURING_LEVEL_PLACEMENT = "restructuring_level_placement"  # R-ORG-4
    RESTRUCTURING_POST_STARTS_LATER = "restructuring_post_starts_later"
    RESTRUCTURING_REASON_MISSING = "restructuring_reason_missing"
    RESTRUCTURING_OUTSIDE_REACH = "restructuring_outside_reach"  # an organisation the actor does not manage
    REVERT_BLOCKED = "revert_blocked"
    REVERT_CONFLICT = "revert_conflict"

    # -- documents, consultations, portal --------------------------------------------------------------------------
    DOCUMENT_SECTION_TOO_LONG = "section_too_long"  # a section of a draft past its length
    DOCUMENT_EMPTY = "document_empty"  # a draft with no text
    DOCUMENT_SECTION_KEYS_CLASH = "section_keys_clash"  # two sections posted with one key (a stale page)
    DOCUMENT_ISSUED = "issued"  # an issued document never changes (R-DOC-5)
    DOCUMENT_NO_CODE = "no_code"  # the issuer has no document code (R-DOC-3)
    DOCUMENT_NO_TERM = "no_term"  # no term of the issuer includes the day of issue (R-DOC-2)
    DOCUMENT_SIGNER_TITLE_MISSING = "signer_title_missing"
    DOCUMENT_RELATION_KIND = "relation_kind"  # not one of the kinds of relation
    DOCUMENT_RELATION_TO_ITSELF = "relation_to_itself"
    DOCUMENT_NOT_ISSUED = "not_issued"  # only an issued document is related to or given to study
    DOCUMENT_RELATION_EXISTS = "relation_exists"
    DISSEMINATION_EXISTS = "dissemination_exists"  # the organisation was already given the document to study
    DISSEMINATION_OUTSIDE_SCOPE = "outside_scope"  # an organisation or a person outside the study's scope
    SUBMISSION_BURST = "burst"  # too many opinions, comments or petitions in a short time
    CONFIRMATION_LINK_BAD = "bad_link"  # an emailed confirmation link that is wrong or expired
    REASON_MISSING = "reason_missing"  # a refusal (of an opinion, a comment, an article) given without its reason
    CONSULTATION_NOT_DRAFT = "not_draft"  # opinions are asked on a draft only
    CONSULTATION_NO_VERSION = "no_version"
    CONSULTATION_DATES_REVERSED = "dates_reversed"
    CONSULTATION_NO_AUDIENCE = "no_audience"
    CONSULTATION_CLASSIFIED_PUBLIC = "classified"  # a classified draft is never put to the public
    CONSULTATION_PUBLIC_TOO_SHORT = "public_too_short"  # R-PUB-4
    CONSULTATION_CLOSED = "closed"
    CONSULTATION_NOT_OPEN = "not_open"
    CONSULTATION_NOT_PUBLIC = "not_public"
    CONSULTATION_SYNTHESISED = "synthesised"
    CONSULTATION_NOT_ASKED = "not_asked"
    CONSULTATION_STILL_OPEN = "still_open"
    CONSULTATION_PENDING = "pending"  # citizens' opinions still waiting for moderation
    CONSULTATION_UNANSWERED = "unanswered"  # R-PUB-5
    OPINION_EMPTY = "opinion_empty"
    OPINION_TOO_LONG = "opinion_too_long"
    OPINION_UNKNOWN_SECTION = "unknown_section"
    OPINION_NOT_PENDING = "not_pending"
    OPINION_NOT_RECEIVED = "not_received"
    ANSWER_DECISION = "answer_decision"
    ANSWER_REASONING_MISSING = "reasoning_missing"
    ANSWER_FOREIGN_VERSION = "foreign_version"
    ARTICLE_TOO_MANY_TAGS = "too_many_tags"
    ARTICLE_STATE = "state"  # an article's review step from a status that does not allow it
    COMMENTS_CLOSED = "closed"  # the article or document takes no comments
    COMMENT_UNCONFIRMED = "unconfirmed"  # a comment not yet confirmed by email
    PETITION_CLOSED = "closed"  # an answered petition does not change
    PETITION_NO_TRACKING_CODE = "no_tracking_code"
    PETITION_SAME_HANDLER = "same_handler"

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
    # programs: programs, indicators, tasks, reports
    PROGRAM_TEXT_REQUIRED = "program_text_required"
    PROGRAM_TEXT_TOO_LONG = "program_text_too_long"
    PROGRAM_DATES_REVERSED = "program_dates_reversed"
    PROGRAM_TASK_ELSEWHERE = "program_task_elsewhere"
    PROGRAM_TASK_CLOSED = "program_task_closed"
    PROGRAM_PERCENT_RANGE = "program_percent_range"
    PROGRAM_NUMBER_TOO_LARGE = "program_number_too_large"
    NOT_IN_PROGRAM = "not_in_program"
    INDICATOR_TARGET_DIRECTION = "indicator_target_direction"
    INDICATOR_NEGATIVE_VALUE = "indicator_negative_value"
    REPORT_PERIOD_OUTSIDE = "report_period_outside"
    REPORT_PERIOD_NOT_STARTED = "report_period_not_started"
    REPORT_PERIOD_CLOSED = "report_period_closed"
    TASK_DUE_AFTER_PROGRAM = "task_due_after_program"
    TASK_OUTSIDE_ORGANIZATION = "task_outside_organization"
    TASK_WEIGHT_RANGE = "task_weight_range"
    TASK_ONE_RESPONSIBLE = "task_one_responsible"
    TASK_SAME_STATUS = "task_same_status"
    TASK_PROGRESS_INCOMPLETE = "task_progress_incomplete"
    TASK_PROGRESS_FROM_CHILDREN = "task_progress_from_children"
    TASK_CYCLE = "task_cycle"
    TASK_TOO_DEEP = "task_too_deep"
    # exchange: a file to import, its header, its cells, the batch
    IMPORT_FORMAT = "import_format"
    IMPORT_EMPTY_FILE = "import_empty_file"
    IMPORT_FILE_TOO_LARGE = "import_file_too_large"
    IMPORT_NOT_TEXT = "import_not_text"
    IMPORT_ENCODING = "import_encoding"
    IMPORT_BAD_CSV = "import_bad_csv"
    IMPORT_OLD_XLS = "import_old_xls"
    IMPORT_NOT_XLSX = "import_not_xlsx"
    IMPORT_MERGED_CELLS = "import_merged_cells"
    IMPORT_FORMULA = "import_formula"
    IMPORT_CELL_TOO_LONG = "import_cell_too_long"
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows"
    IMPORT_TOO_MANY_COLUMNS = "import_too_many_columns"
    IMPORT_TOO_MANY_CELLS = "import_too_many_cells"
    IMPORT_NO_HEADER = "import_no_header"
    IMPORT_NO_ROWS = "import_no_rows"
    IMPORT_NO_KNOWN_COLUMN = "import_no_known_column"
    IMPORT_MISSING_COLUMNS = "import_missing_columns"
    IMPORT_DUPLICATE_COLUMN = "import_duplicate_column"
    IMPORT_UNKNOWN_KIND = "unknown_kind"
    IMPORT_KIND_REQUIRED = "import_kind_required"
    IMPORT_NOT_CONFIRMABLE = "import_not_confirmable"
    IMPORT_NOT_CANCELLABLE = "import_not_cancellable"
    # files attached to a record, classified records, citizens' confirmation links
    FILES_TOO_MANY = "files_too_many"
    FILE_TOO_LARGE = "file_too_large"
    FILE_KIND = "file_kind"
    FILE_DAMAGED = "file_damaged"
    ACCESS_GRANT = "access_grant"
    LINK_EXPIRED = "expired"
    LINK_BAD = "bad_link"
    # the writer
    NO_FONT = "no_font"


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
