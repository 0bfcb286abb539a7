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

from dongthuan.core.text import FORMULA_STARTS as FORMULA_STARTS
from dongthuan.core.text import formula_safe as neutralise


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


def layout_columns(kind: str) -> list[Column]:
    """The template's columns of ``kind`` as export columns reading a row dict (exchange.selectors)."""
    from dongthuan.exchange.layouts import columns

    return [Column(c.header, lambda row, key=c.key: row[key]) for c in columns(kind)]


def template_xlsx(kind: str, organizations: Iterable[Any]) -> bytes:
    """An empty list of ``kind`` to fill in: the header (required columns marked *), a drop-down for each column
    with fixed values, a sheet explaining every column, and the organisations the list may refer to, with ids."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from dongthuan.exchange.layouts import CHOICE, SHEET_TITLES, columns, vietnamese_choices

    wb = Workbook()
    ws = wb.active
    ws.title = str(SHEET_TITLES[kind])[:31]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E1")
    for i, column in enumerate(columns(kind), start=1):
        cell = ws.cell(row=1, column=i, value=column.header + (" *" if column.required else ""))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        cell.comment = Comment(str(column.help), "Đồng Thuận")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = column.width
        if column.kind == CHOICE:
            values = vietnamese_choices(kind, column.key)
            if values and len(",".join(values)) < 250:
                dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
                dv.error = str(column.help)
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[1]:
        cell.font = bold
    for column in columns(kind):
        guide.append([column.header, "Có" if column.required else "", str(column.help)])
    guide.append([])
    guide.append(["Ngày ghi theo dạng dd/mm/yyyy. Mỗi dòng là một bản ghi; không gộp ô; không dùng công thức."])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["C"].width = 100
    orgs = wb.create_sheet("Danh mục tổ chức")
    orgs.append(["Mã hệ thống", "Tên tổ chức", "Loại", "Tổ chức cấp trên"])
    for cell in orgs[1]:
        cell.font = bold
    for org in organizations:
        orgs.append([org.pk, org.name, str(org.get_kind_display()), org.parent.name if org.parent_id else ""])
    for letter, width in (("A", 12), ("B", 45), ("C", 24), ("D", 45)):
        orgs.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
