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
