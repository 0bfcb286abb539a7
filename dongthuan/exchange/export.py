"""Lists going out as files users live in: .xlsx and .csv, with Vietnamese headers and cells that cannot run as
formulas when opened in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these would be read as a formula by Excel or LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that would run as a formula gets a leading apostrophe; other values are kept as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: str
    value: Any  # callable(row) -> value


def to_rows(columns: Sequence[Column], items: Iterable[Any]) -> Iterable[list[Any]]:
    for item in items:
        yield [neutralise(c.value(item)) for c in columns]


def xlsx_bytes(title: str, columns: Sequence[Column], items: Iterable[Any]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in to_rows(columns, items):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(columns: Sequence[Column], items: Iterable[Any]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    writer.writerows(to_rows(columns, items))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
