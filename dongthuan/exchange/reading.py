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
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core.errors import DomainError
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


def format_of(file_name: str) -> str:
    """The file's format from its extension; a clear refusal for anything else."""
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return FileFormat.XLSX
    if lower.endswith(".csv"):
        return FileFormat.CSV
    raise DomainError(
        _("Tệp «%(name)s» không phải .xlsx hoặc .csv. Hãy lưu danh sách thành Excel (.xlsx) hoặc CSV rồi tải lên.")
        % {"name": file_name}
    )


def check_size(size: int) -> None:
    if size == 0:
        raise DomainError(_("Tệp rỗng."))
    if size > max_bytes():
        raise DomainError(
            _("Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia danh sách thành nhiều tệp.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": max_bytes() // (1024 * 1024)}
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
        raise DomainError(_("Trang tính đầu tiên trống: không có dòng tiêu đề. Hãy dùng tệp mẫu."))
    if not table.rows:
        raise DomainError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
    if len(table.rows) > max_rows():
        raise DomainError(
            _("Tệp có %(count)s dòng, vượt giới hạn %(limit)s dòng một lần nhập. Hãy chia thành nhiều tệp.")
            % {"count": f"{len(table.rows):,}".replace(",", "."), "limit": f"{max_rows():,}".replace(",", ".")}
        )
    return table


def _rows_without_blanks(rows: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    return [(line, cells) for line, cells in rows if any(cells)]


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:65536]:
        raise DomainError(
            _("Tệp .csv chứa dữ liệu nhị phân, không phải văn bản. Hãy xuất lại từ Excel dạng CSV UTF-8.")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError:
            raise DomainError(_("Không đọc được tệp .csv: hãy lưu với bảng mã UTF-8.")) from None
    sample = text[:8192]
    delimiter = ";" if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t") else ","
    if sample.count("\t") > max(sample.count(","), sample.count(";")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        rows = _rows_without_blanks((reader.line_num, [c.strip() for c in cells]) for cells in reader)
    except csv.Error as exc:
        raise DomainError(_("Tệp .csv sai định dạng: %(error)s") % {"error": exc}) from None
    return Table([text_of(c) for c in header], rows)


XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def _read_xlsx(content: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    not_xlsx = _(
        "Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại."
    )
    if not content.startswith(b"PK"):
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            raise DomainError(_("Đây là tệp Excel đời cũ (.xls). Hãy mở bằng Excel và lưu thành .xlsx."))
        raise DomainError(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if not all(part in names for part in XLSX_PARTS):
            raise DomainError(not_xlsx)
        if sum(info.file_size for info in archive.infolist()) > 40 * max_bytes():
            raise DomainError(not_xlsx)
        _refuse_merged_cells_and_formulas(archive)
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet_names = list(book.sheet_names)
        values = book.get_sheet_by_index(0).to_python(skip_empty_area=False) if sheet_names else []
    except DomainError:
        raise
    except Exception:  # damaged zips and workbooks fail in many ways
        raise DomainError(not_xlsx) from None
    headers = [text_of(c) for c in values[0]] if values else []
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = _rows_without_blanks(
        (line, [text_of(c) for c in cells[:width]]) for line, cells in enumerate(values[1:], start=2)
    )
    notes = []
    if len(sheet_names) > 1:
        notes.append(_("Chỉ đọc trang tính đầu tiên «%(sheet)s».") % {"sheet": sheet_names[0]})
    return Table(headers, rows, notes)


MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b")
FORMULA_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')


def _refuse_merged_cells_and_formulas(archive: zipfile.ZipFile) -> None:
    """Merged cells and formulas in the first sheet are refused with a message naming what to fix; neither is
    visible through a reader of values, so the sheet's XML is scanned (in pieces, whatever its size)."""
    first = _first_sheet_path(archive)
    if first is None or first not in archive.namelist():
        return
    with archive.open(first) as handle:
        tail = b""
        while chunk := handle.read(1 << 20):
            text = tail + chunk
            if MERGE_RE.search(text):
                raise DomainError(
                    _(
                        "Trang tính có ô được gộp (merge). Hãy bỏ gộp ô: mỗi dòng là một người hoặc tổ chức, mỗi ô một giá trị."
                    )
                )
            formula = FORMULA_RE.search(text)
            if formula:
                raise DomainError(
                    _("Ô %(cell)s chứa công thức. Hãy chép rồi dán dạng giá trị (Paste Special → Values) và lưu lại.")
                    % {"cell": formula.group(1).decode()}
                )
            tail = text[-512:]


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
