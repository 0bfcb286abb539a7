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
