from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dongthuan.exchange.models import ImportBatch

PEOPLE_HEADERS = [
    "Mã hệ thống",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Tình trạng đảng viên",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Mã chi bộ",
    "Chi bộ",
    "Mã nơi cư trú, công tác",
    "Nơi cư trú, công tác",
    "Điện thoại",
    "Thư điện tử",
    "Nơi ở",
]


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Uploader:
    def __init__(self, client, world) -> None:
        self.client = client
        self.world = world
        client.force_login(world.users["secretary"])

    def post(self, name: str, content: bytes, kind: str = "people", org=None):
        org = org or self.world.trung_my
        return self.client.post(
            reverse("exchange:hub", args=[org.pk]),
            {"kind": kind, "file": SimpleUploadedFile(name, content)},
        )

    def batch(self, name: str, content: bytes, kind: str = "people", org=None) -> ImportBatch:
        response = self.post(name, content, kind, org)
        assert response.status_code == 302, response.content.decode()[:3000]
        return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))

    def confirm(self, batch: ImportBatch) -> ImportBatch:
        response = self.client.post(reverse("exchange:confirm", args=[batch.pk]))
        assert response.status_code == 302
        batch.refresh_from_db()
        return batch


@pytest.fixture
def uploader(client, world) -> Uploader:
    return Uploader(client, world)


def rows_of(batch: ImportBatch) -> list[dict]:
    """The checked rows, with their cells by column key and empty parts filled in."""
    batch.refresh_from_db()
    rows = []
    for chunk in batch.chunks.order_by("index"):
        for row in chunk.rows:
            full = {"target": None, "errors": [], "notes": [], "changes": {}, **row}
            full["cells"] = dict(zip(batch.columns, row["values"], strict=True))
            rows.append(full)
    return rows


def raw_xlsx(cells: list[tuple[str, str]], dimension: str = "", unplaced: tuple[str, ...] = ()) -> bytes:
    """A minimal workbook written by hand, as an attacker would: text ``cells`` at the given references (an
    office program would not write a sheet reaching XFD1048576 in 1.5 KB), an optional declared dimension, and
    the cells in ``unplaced`` written without their reference."""
    import re
    import zipfile

    rows: dict[int, list[tuple[str, str]]] = {}
    for ref, value in cells:
        rows.setdefault(int(re.sub("[A-Z]", "", ref)), []).append((ref, value))
    body = "".join(
        f'<row r="{r}">'
        + "".join(
            ("<c" if ref in unplaced else f'<c r="{ref}"') + f' t="inlineStr"><is><t>{value}</t></is></c>'
            for ref, value in found
        )
        + "</row>"
        for r, found in sorted(rows.items())
    )
    main = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{main}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{main}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}/spreadsheetml/2006/main" '
        f'xmlns:r="{main}/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{main}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{body}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()
