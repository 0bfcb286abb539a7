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


def _details(world):
    for n, role in enumerate(("secretary", "deputy", "member")):
        services.person_update(
            actor=None,
            person=world.people[role],
            birth_date=__import__("datetime").date(1970 + n, 1, 2),
            phone=f"091200000{n}",
            email=f"{role}@example.vn",
            address=f"Thôn {n}",
        )


def _csv_rows(response):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    return {r[1]: (r[3], r[12], r[13], r[14]) for r in rows[1:]}


@pytest.mark.django_db
def test_a_member_s_export_of_the_cell_hides_what_the_person_pages_hide_from_him(client, world):
    """A party member reads his cell's list, but the birth dates, phones, emails and home addresses of the others
    are hidden on their pages — and so in the files; his own row is whole, as his own page is."""
    _details(world)
    client.force_login(world.users["member"])
    page = client.get(reverse("people:detail", args=[world.people["deputy"].pk])).content.decode()
    assert "02/01/1971" not in page and "0912000001" not in page and "deputy@example.vn" not in page
    own = client.get(reverse("people:detail", args=[world.people["member"].pk])).content.decode()
    assert "02/01/1972" in own and "0912000002" in own
    rows = _csv_rows(client.get(reverse("exchange:members", args=[world.cell.pk, "csv"])))
    assert rows == {
        "Phạm Văn Bình": ("", "", "", ""),
        "Hoàng Thị Lan": ("", "", "", ""),
        "Vũ Đức Cường": ("", "", "", ""),
        "Bùi Văn Nam": ("02/01/1972", "0912000002", "member@example.vn", "Thôn 2"),
    }
    sheet = load_workbook(io.BytesIO(client.get(reverse("exchange:members", args=[world.cell.pk, "xlsx"])).content))
    by_name = {r[1]: r for r in sheet.active.iter_rows(min_row=2, values_only=True)}
    assert [by_name["Hoàng Thị Lan"][i] for i in (3, 12, 13, 14)] == [None, None, None, None]
    assert [by_name["Bùi Văn Nam"][i] for i in (3, 12, 13, 14)] == [
        "02/01/1972",
        "0912000002",
        "member@example.vn",
        "Thôn 2",
    ]


@pytest.mark.django_db
def test_an_officer_who_edits_the_records_exports_them_whole(client, world):
    _details(world)
    client.force_login(world.users["office_staff"])  # manages Trung Mỹ: edits its people, sees their details
    page = client.get(reverse("people:detail", args=[world.people["deputy"].pk])).content.decode()
    assert "02/01/1971" in page and "0912000001" in page
    rows = _csv_rows(client.get(reverse("exchange:members", args=[world.cell.pk, "csv"])))
    assert rows["Hoàng Thị Lan"] == ("02/01/1971", "0912000001", "deputy@example.vn", "Thôn 1")
    assert rows["Bùi Văn Nam"] == ("02/01/1972", "0912000002", "member@example.vn", "Thôn 2")
    client.force_login(world.users["committee_member"])  # reads the members, does not edit their records
    assert "0912000001" not in client.get(reverse("people:detail", args=[world.people["deputy"].pk])).content.decode()
    rows = _csv_rows(client.get(reverse("exchange:members", args=[world.cell.pk, "csv"])))
    assert rows["Hoàng Thị Lan"] == ("", "", "", "")


@pytest.mark.django_db
def test_the_organisations_export_lists_only_the_organisations_whose_pages_the_reader_opens(client, world):
    url = reverse("exchange:export", args=[world.province.pk, "organizations", "csv"])

    def names(role):
        client.force_login(world.users[role])
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        return [r[1] for r in rows[1:]]

    client.force_login(world.users["member"])
    assert client.get(reverse("organizations:detail", args=[world.ba_hien.pk])).status_code == 404
    assert client.get(reverse("organizations:detail", args=[world.cell_two.pk])).status_code == 404
    assert names("member") == ["Đảng bộ tỉnh Phú Thọ", "Đảng bộ xã Trung Mỹ", "Chi bộ thôn Thanh Lanh"]
    assert names("secretary") == [
        "Đảng bộ tỉnh Phú Thọ",
        "Đảng bộ xã Trung Mỹ",
        "Chi bộ thôn Thanh Lanh",
        "Chi bộ thôn Đồng Giang",
    ]
    assert names("admin") == [
        "Đảng bộ tỉnh Phú Thọ",
        "Đảng bộ xã Trung Mỹ",
        "Chi bộ thôn Thanh Lanh",
        "Chi bộ thôn Đồng Giang",
        "Đảng bộ xã Bá Hiến",
        "Chi bộ thôn Bá Cầu",
    ]
