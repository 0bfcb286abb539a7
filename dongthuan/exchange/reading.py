"""Reading an uploaded list: .xlsx or .csv bytes → a header and rows of text, or a clear reason why not.

Nothing here trusts the file's name or declared type: a .xlsx must be a zip holding a workbook, a .csv must be
text. A cell holding a formula is refused rather than evaluated or stored. Dates Excel stores as dates come back
as dd/mm/yyyy text, so every later check sees the same thing whatever program wrote the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core.errors import DomainError, ErrorCode, ImportRowError, InputError
from dongthuan.exchange.models import FileFormat

FORMULA_STARTS = ("=", "+", "-", "@")
# A cell starting with "=" or "@" is a formula and is refused. Exports put an apostrophe before text that would
# run as a formula (exchange.export.neutralise): "'=abc" is text and imports as "=abc", "'+84…" as "+84…".
FORMULA_REFUSED = ("=", "@")


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells as text)
    notes: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_ROWS", 300_000))


def max_columns() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_COLUMNS", 100))


def max_cells() -> int:
    """The largest sheet read, in cells from A1 to its last row and column: the reader holds every cell of that
    rectangle, empty or not (two cells at A1 and XFD1048576 would be 17 billion)."""
    return int(getattr(settings, "EXCHANGE_MAX_CELLS", 6_000_000))


def max_cell_chars() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_CELL_CHARS", 10_000))


def _too_many_rows() -> InputError:
    return InputError(
        _("Tệp có hơn %(limit)s dòng, vượt giới hạn một lần nhập. Hãy chia thành nhiều tệp.")
        % {"limit": f"{max_rows():,}".replace(",", ".")},
        code=ErrorCode.IMPORT_TOO_MANY_ROWS,
        data={"limit": max_rows()},
    )


def _too_many_columns(count: int) -> InputError:
    return InputError(
        _("Tệp có %(count)s cột, vượt giới hạn %(limit)s cột. Hãy dùng tệp mẫu, bỏ các cột thừa.")
        % {"count": f"{count:,}".replace(",", "."), "limit": max_columns()},
        code=ErrorCode.IMPORT_TOO_MANY_COLUMNS,
        data={"count": count, "limit": max_columns()},
    )


class _CellAt(TypedDict):
    row: int | None
    column: str


def _cell_at(ref: str) -> _CellAt:
    """Where a cell named like "B7" is, as an ImportRowError says it: its row number and its column's letters."""
    found = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    return {"row": int(found.group(2)), "column": found.group(1)} if found else {"row": None, "column": ""}


def _cell_too_long(where: str) -> ImportRowError:
    return ImportRowError(
        _("Ô %(cell)s dài quá %(limit)s ký tự. Hãy rút gọn nội dung ô này.")
        % {"cell": where, "limit": f"{max_cell_chars():,}".replace(",", ".")},
        code=ErrorCode.IMPORT_CELL_TOO_LONG,
        data={"limit": max_cell_chars()},
        **_cell_at(where),
    )


def _cell_names(line: int) -> Callable[[int], str]:
    """The names of a row's cells as a spreadsheet shows them: the i-th (from 0) of row 7 is "A7", "B7"…"""
    return lambda i: f"{column_letters(i + 1)}{line}"


def _check_cells(cells: list[str], where: Callable[[int], str]) -> list[str]:
    """A row's cells, refused when there are more than the column limit or one is longer than the cell limit
    (``where(i)`` names the i-th cell for the message)."""
    if len(cells) > max_columns():
        raise _too_many_columns(len(cells))
    for i, cell in enumerate(cells):
        if len(cell) > max_cell_chars():
            raise _cell_too_long(where(i))
    return cells


def format_of(file_name: str) -> str:
    """The file's format from its extension; a clear refusal for anything else."""
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return FileFormat.XLSX
    if lower.endswith(".csv"):
        return FileFormat.CSV
    raise InputError(
        _("Tệp «%(name)s» không phải .xlsx hoặc .csv. Hãy lưu danh sách thành Excel (.xlsx) hoặc CSV rồi tải lên.")
        % {"name": file_name},
        code=ErrorCode.IMPORT_FORMAT,
    )


def check_size(size: int) -> None:
    if size == 0:
        raise InputError(_("Tệp rỗng."), code=ErrorCode.IMPORT_EMPTY_FILE)
    if size > max_bytes():
        raise InputError(
            _("Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia danh sách thành nhiều tệp.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": max_bytes() // (1024 * 1024)},
            code=ErrorCode.IMPORT_FILE_TOO_LARGE,
            data={"size": size, "limit": max_bytes()},
        )


def text_of(value: object) -> str:
    """A cell's value as the text a user typed: dates as dd/mm/yyyy, whole numbers without ".0", NFC."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def is_nfc(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def read(content: bytes, file_format: str) -> Table:
    """The table in ``content``; DomainError with a Vietnamese message when the file cannot be read as a list."""
    check_size(len(content))
    table = _read_xlsx(content) if file_format == FileFormat.XLSX else _read_csv(content)
    while table.rows and not any(table.rows[-1][1]):
        table.rows.pop()
    if not any(table.headers):
        raise ImportRowError(
            _("Trang tính đầu tiên trống: không có dòng tiêu đề. Hãy dùng tệp mẫu."),
            code=ErrorCode.IMPORT_NO_HEADER,
            row=1,
        )
    if not table.rows:
        raise InputError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."), code=ErrorCode.IMPORT_NO_ROWS)
    if len(table.rows) > max_rows():
        raise InputError(
            _("Tệp có %(count)s dòng, vượt giới hạn %(limit)s dòng một lần nhập. Hãy chia thành nhiều tệp.")
            % {"count": f"{len(table.rows):,}".replace(",", "."), "limit": f"{max_rows():,}".replace(",", ".")},
            code=ErrorCode.IMPORT_TOO_MANY_ROWS,
            data={"count": len(table.rows), "limit": max_rows()},
        )
    return table


def _rows_without_blanks(rows: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    return [(line, cells) for line, cells in rows if any(cells)]


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:65536]:
        raise InputError(
            _("Tệp .csv chứa dữ liệu nhị phân, không phải văn bản. Hãy xuất lại từ Excel dạng CSV UTF-8."),
            code=ErrorCode.IMPORT_NOT_TEXT,
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError:
            raise InputError(
                _("Không đọc được tệp .csv: hãy lưu với bảng mã UTF-8."), code=ErrorCode.IMPORT_ENCODING
            ) from None
    sample = text[:8192]
    delimiter = ";" if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t") else ","
    if sample.count("\t") > max(sample.count(","), sample.count(";")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _check_cells(next(reader, []), _cell_names(1))
        rows: list[tuple[int, list[str]]] = []
        for cells in reader:  # the limits are checked row by row, not once every row is held
            line = reader.line_num
            kept = _check_cells([c.strip() for c in cells], _cell_names(line))
            if any(kept):
                rows.append((line, kept))
                if len(rows) > max_rows():
                    raise _too_many_rows()
    except csv.Error as exc:
        raise InputError(
            _("Tệp .csv sai định dạng: %(error)s") % {"error": exc}, code=ErrorCode.IMPORT_BAD_CSV
        ) from None
    return Table([text_of(c) for c in header], rows)


def column_letters(number: int) -> str:
    """A column's letters from its number: 1 → "A", 28 → "AB"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes | str) -> int:
    """A column's number from its letters: "A" → 1, "AB" → 28, "XFD" → 16384."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def NOT_XLSX() -> str:  # noqa: N802 - a message, translated when asked for
    return _("Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại.")


def _read_xlsx(content: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    not_xlsx = NOT_XLSX()
    if not content.startswith(b"PK"):
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(
                _("Đây là tệp Excel đời cũ (.xls). Hãy mở bằng Excel và lưu thành .xlsx."),
                code=ErrorCode.IMPORT_OLD_XLS,
            )
        raise InputError(not_xlsx, code=ErrorCode.IMPORT_NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if not all(part in names for part in XLSX_PARTS):
            raise InputError(not_xlsx, code=ErrorCode.IMPORT_NOT_XLSX)
        if sum(info.file_size for info in archive.infolist()) > 40 * max_bytes():
            raise InputError(not_xlsx, code=ErrorCode.IMPORT_NOT_XLSX)
        _check_first_sheet(archive)
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet_names = list(book.sheet_names)
        values = book.get_sheet_by_index(0).to_python(skip_empty_area=False) if sheet_names else []
    except DomainError:
        raise
    except Exception:  # damaged zips and workbooks fail in many ways
        raise InputError(not_xlsx, code=ErrorCode.IMPORT_NOT_XLSX) from None
    headers = [text_of(c) for c in values[0]] if values else []
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = _rows_without_blanks(
        (line, _check_cells([text_of(c) for c in cells[:width]], _cell_names(line)))
        for line, cells in enumerate(values[1:], start=2)
    )
    _check_cells(headers, _cell_names(1))
    notes = []
    if len(sheet_names) > 1:
        notes.append(_("Chỉ đọc trang tính đầu tiên «%(sheet)s».") % {"sheet": sheet_names[0]})
    return Table(headers, rows, notes)


MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b")
FORMULA_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')


# A cell holding something (not self-closing ``<c r="B7" s="2"/>``, which is only a format), with or without its
# reference; the reference's letters and digits are bounded so that no number read from it is huge.
VALUED_CELL_RE = re.compile(rb"<(?:\w+:)?c(?:\s[^>/]*)?>")
CELL_REF_RE = re.compile(rb'<(?:\w+:)?c\s[^>/]*?\br="([A-Z]{1,4})([0-9]{1,9})"[^>/]*>')


def _check_first_sheet(archive: zipfile.ZipFile) -> None:
    """The first sheet is scanned (in pieces, whatever its size) before it is read, and refused with a message
    naming what to fix when it holds merged cells or formulas (neither is visible through a reader of values), or
    when its last row or column is past the limits: the reader would hold every cell from A1 to there, so a tiny
    file with one cell at XFD1048576 would need hundreds of GiB. The declared ``<dimension>`` is not trusted (the
    reader ignores it); only cells holding something count."""
    first = _first_sheet_path(archive)
    if first is None or first not in archive.namelist():
        raise InputError(NOT_XLSX(), code=ErrorCode.IMPORT_NOT_XLSX)
    last_row = last_column = 0
    with archive.open(first) as handle:
        tail = cut = b""
        while chunk := handle.read(1 << 20):
            text = tail + chunk  # overlapping the last chunk, for patterns spanning two tags
            if MERGE_RE.search(text):
                raise InputError(
                    _(
                        "Trang tính có ô được gộp (merge). Hãy bỏ gộp ô: mỗi dòng là một người hoặc tổ chức, mỗi ô một giá trị."
                    ),
                    code=ErrorCode.IMPORT_MERGED_CELLS,
                )
            formula = FORMULA_RE.search(text)
            if formula:
                raise ImportRowError(
                    _("Ô %(cell)s chứa công thức. Hãy chép rồi dán dạng giá trị (Paste Special → Values) và lưu lại.")
                    % {"cell": formula.group(1).decode()},
                    code=ErrorCode.IMPORT_FORMULA,
                    **_cell_at(formula.group(1).decode()),
                )
            tail = text[-512:]
            # Whole tags only, each once: a tag cut by the chunk's end is read with the next chunk.
            pending = cut + chunk
            end = pending.rfind(b">") + 1
            whole, cut = pending[:end], pending[end:]
            refs = CELL_REF_RE.findall(whole)
            if len(refs) != len(VALUED_CELL_RE.findall(whole)):
                # A cell without its reference sits wherever the reader counts it: written so only by hand.
                raise InputError(NOT_XLSX(), code=ErrorCode.IMPORT_NOT_XLSX)
            if refs:
                letters, digits = zip(*refs, strict=True)
                last_column = max(last_column, *(column_number(c) for c in set(letters)))
                last_row = max(last_row, *(int(d) for d in set(digits)))
                if last_column > max_columns():
                    raise _too_many_columns(last_column)
                if last_row > max_rows() + 1:
                    raise _too_many_rows()
                if last_row * last_column > max_cells():
                    raise InputError(
                        _(
                            "Trang tính có dữ liệu đến ô %(cell)s: quá lớn để đọc một lần (tối đa %(limit)s ô). "
                            "Hãy xoá các ô thừa ở cuối trang tính hoặc chia thành nhiều tệp."
                        )
                        % {
                            "cell": f"{column_letters(last_column)}{last_row}",
                            "limit": f"{max_cells():,}".replace(",", "."),
                        },
                        code=ErrorCode.IMPORT_TOO_MANY_CELLS,
                        data={"limit": max_cells()},
                    )


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The first sheet's part name, from the workbook's relationships."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    match = re.search(r"<(?:\w+:)?sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook) or re.search(
        r"<(?:\w+:)?sheet\b[^>]*\bid=\"([^\"]+)\"", workbook
    )
    if not match:
        return None
    target = re.search(r"Id=\"" + re.escape(match.group(1)) + r"\"[^>]*Target=\"([^\"]+)\"", rels) or re.search(
        r"Target=\"([^\"]+)\"[^>]*Id=\"" + re.escape(match.group(1)) + r"\"", rels
    )
    if not target:
        return None
    path = target.group(1).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"
