"""Member lists exported to Excel and CSV: real files, opened and read back; formulas never run."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dongthuan.exchange.export import neutralise
from dongthuan.people import services
from tests.exchange.conftest import PEOPLE_HEADERS
from tests.test_permission_matrix import OFFICERS, ROLES, _client

HEADERS = PEOPLE_HEADERS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84 912", "'+84 912"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        (42, 42),
        (None, None),
    ],
)
def test_cells_that_would_run_as_formulas_are_neutralised(value, expected):
    assert neutralise(value) == expected


@pytest.mark.django_db
def test_xlsx_export_opens_with_vietnamese_headers_and_exact_rows(client, world):
    services.person_update(actor=None, person=world.people["member"], full_name='=HYPERLINK("http://x","Nam")')
    client.force_login(world.users["secretary"])
    response = client.get(reverse("exchange:members", args=[world.cell.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="can-bo-dang-vien-chi-bo-thon-thanh-lanh-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    by_name = {r[1]: r for r in rows[1:]}
    assert sorted(by_name) == sorted(
        ["Phạm Văn Bình", "Hoàng Thị Lan", "Vũ Đức Cường", '\'=HYPERLINK("http://x","Nam")']
    )
    binh = by_name["Phạm Văn Bình"]
    assert binh[4:12] == [
        "Đảng viên chính thức",
        world.people["secretary"].party_card_number,
        "19/05/2010",
        "19/05/2011",
        str(world.cell.pk),
        "Chi bộ thôn Thanh Lanh",
        None,
        None,
    ]


@pytest.mark.django_db
def test_csv_export_has_bom_and_follows_the_search(client, world):
    client.force_login(world.users["secretary"])
    response = client.get(reverse("exchange:members", args=[world.trung_my.pk, "csv"]) + "?q=bui+van")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == ["Bùi Văn Nam"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix_member_export(client, world, role):
    response = _client(client, world, role).get(reverse("exchange:members", args=[world.trung_my.pk, "xlsx"]))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in OFFICERS else 404)


@pytest.mark.django_db
def test_unknown_format_is_404(client, world):
    client.force_login(world.users["admin"])
    assert client.get(reverse("exchange:members", args=[world.cell.pk, "pdf"])).status_code == 404
