"""Export → edit → import round-trips without loss; organisations and posts import through the screens' rules;
templates open in Excel with the right headers; a worker process runs queued imports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from dongthuan.exchange.layouts import columns
from dongthuan.exchange.models import ImportStatus
from dongthuan.organizations.models import Organization, Position, PositionTitle
from dongthuan.people.models import Person
from tests.exchange.conftest import PEOPLE_HEADERS, csv_bytes, rows_of


def _export(client, org, kind, fmt):
    response = client.get(reverse("exchange:export", args=[org.pk, kind, fmt]))
    assert response.status_code == 200
    return response.content


def _snapshot():
    people = list(Person.objects.order_by("pk").values())
    for p in people:
        p.pop("updated_at")
    orgs = list(Organization.objects.order_by("pk").values())
    posts = list(Position.objects.order_by("pk").values())
    return people, orgs, posts


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["people", "organizations", "positions"])
def test_export_then_import_changes_nothing(uploader, world, kind, fmt):
    Person.objects.filter(pk=world.people["member"].pk).update(phone="+84 912 000 111", address="=1+1 thôn Lanh")
    content = _export(uploader.client, world.trung_my, kind, fmt)
    before = _snapshot()
    batch = uploader.batch(f"xuat.{fmt}", content, kind=kind)
    assert batch.status == ImportStatus.READY, [r["errors"] for r in rows_of(batch) if r["errors"]] or batch.message
    assert batch.rows_create == batch.rows_update == 0
    assert batch.rows_unchanged == batch.rows_total > 0
    batch = uploader.confirm(batch)
    assert batch.status == ImportStatus.DONE
    assert _snapshot() == before


@pytest.mark.django_db
def test_export_edit_in_excel_import_updates_exactly_the_edited_cells(uploader, world):
    content = _export(uploader.client, world.trung_my, "people", "xlsx")
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == PEOPLE_HEADERS
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "Bùi Văn Nam":
            row[12].value = "0977 123 456"
            row[9].value = "Chi bộ thôn Đồng Giang"
            row[8].value = None
    sheet.append(["", "Trịnh Văn Sơn", "Nam", "01/02/1995", "Đảng viên dự bị", "T9000001", "02/09/2025"])
    out = io.BytesIO()
    book.save(out)
    batch = uploader.batch("sua.xlsx", out.getvalue())
    assert (batch.rows_create, batch.rows_update, batch.rows_error) == (0, 1, 1)
    new = [r for r in rows_of(batch) if r["action"] == "error"][0]
    assert [m for _k, m in new["errors"]] == ["Đảng viên phải sinh hoạt tại một chi bộ."]
    updated = [r for r in rows_of(batch) if r["action"] == "update"][0]
    assert updated["changes"] == {
        "điện thoại": ["", "0977 123 456"],
        "chi bộ sinh hoạt": ["Chi bộ thôn Thanh Lanh", "Chi bộ thôn Đồng Giang"],
    }


@pytest.mark.django_db
def test_csv_export_has_the_template_headers_and_neutralised_formulas(uploader, world):
    Person.objects.filter(pk=world.people["member"].pk).update(address='=HYPERLINK("http://x")')
    content = _export(uploader.client, world.cell, "people", "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [c.header for c in columns("people")]
    nam = next(r for r in rows if r[1] == "Bùi Văn Nam")
    assert nam[14] == '\'=HYPERLINK("http://x")'


@pytest.mark.django_db
def test_organizations_import_creates_under_named_parents_and_updates_by_id(uploader, world):
    headers = ["Mã hệ thống", "Tên tổ chức", "Loại tổ chức", "Tổ chức cấp trên", "Thành lập từ ngày", "Địa chỉ"]
    content = csv_bytes(
        headers,
        [
            ["", "Chi bộ thôn Mới", "Chi bộ", "Đảng bộ xã Trung Mỹ", "01/10/2025", "Thôn Mới"],
            ["", "Chi bộ thôn Lạ", "Chi bộ", "Đảng bộ xã Không Có", "", ""],
            [str(world.cell_two.pk), "Chi bộ thôn Đồng Giang 2", "Chi bộ", "Đảng bộ xã Trung Mỹ", "", ""],
            [str(world.cell.pk), "Chi bộ thôn Thanh Lanh", "Chi bộ", "Đảng bộ xã Bá Hiến", "", ""],
        ],
    )
    count = Organization.objects.count()
    batch = uploader.batch("tc.csv", content, kind="organizations")
    assert Organization.objects.count() == count  # the check was rolled back
    errors = {r["line"]: [m for _k, m in r["errors"]] for r in rows_of(batch)}
    assert errors == {
        2: [],
        3: ["Tổ chức cấp trên: không tìm thấy tổ chức «Đảng bộ xã Không Có» trong Đảng bộ xã Trung Mỹ."],
        4: [],
        5: ["Tổ chức cấp trên: không tìm thấy tổ chức «Đảng bộ xã Bá Hiến» trong Đảng bộ xã Trung Mỹ."],
    }
    fixed = csv_bytes(
        headers,
        [
            ["", "Chi bộ thôn Mới", "Chi bộ", "Đảng bộ xã Trung Mỹ", "01/10/2025", "Thôn Mới"],
            [str(world.cell_two.pk), "Chi bộ thôn Đồng Giang 2", "Chi bộ", "Đảng bộ xã Trung Mỹ", "", ""],
        ],
    )
    batch = uploader.confirm(uploader.batch("tc.csv", fixed, kind="organizations"))
    assert batch.status == ImportStatus.DONE
    new = Organization.objects.get(name="Chi bộ thôn Mới")
    assert (new.parent_id, new.kind, new.status, new.valid_from, new.address, new.level_id) == (
        world.trung_my.pk,
        "cell",
        "forming",
        dt.date(2025, 10, 1),
        "Thôn Mới",
        world.trung_my.level_id,
    )
    assert Organization.objects.get(pk=world.cell_two.pk).name == "Chi bộ thôn Đồng Giang 2"


@pytest.mark.django_db
def test_positions_import_assigns_and_ends_posts_under_r_org_rules(uploader, world):
    member = world.people["member"]
    post = Position.objects.get(person=world.people["committee_member"])
    headers = ["Mã hệ thống", "Họ và tên", "Số thẻ đảng viên", "Tổ chức", "Cơ quan", "Chức vụ", "Từ ngày"]
    headers += ["Đến ngày", "Lý do thôi giữ"]
    committee = world.committee.name
    start = post.start.strftime("%d/%m/%Y")
    content = csv_bytes(
        headers,
        [
            ["", "", member.party_card_number, "Đảng bộ xã Trung Mỹ", committee, "Ủy viên", "01/10/2025", "", ""],
            [
                str(post.pk),
                "Vũ Đức Cường",
                "",
                "Đảng bộ xã Trung Mỹ",
                committee,
                "Ủy viên",
                start,
                "30/09/2025",
                "Nghỉ hưu",
            ],
            ["", "Lê Thị Hoa", "", "Đảng bộ xã Trung Mỹ", committee, "Ủy viên", "01/10/2025", "", ""],
            ["", "Bùi Văn Nam", "", "Đảng bộ xã Trung Mỹ", committee, "Bí thư", "01/10/2025", "", ""],
        ],
    )
    batch = uploader.batch("cv.csv", content, kind="positions")
    errors = {r["line"]: [m for _k, m in r["errors"]] for r in rows_of(batch)}
    assert errors == {
        2: [],
        3: [],
        4: ["Lê Thị Hoa không phải đảng viên nên không thể giữ chức vụ trong cấp ủy."],
        5: ["Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước."],
    }
    assert [r["action"] for r in rows_of(batch)[:2]] == ["create", "update"]
    content = csv_bytes(headers, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:3])
    batch = uploader.confirm(uploader.batch("cv.csv", content, kind="positions"))
    assert batch.status == ImportStatus.DONE
    post.refresh_from_db()
    assert (post.end, post.end_reason) == (dt.date(2025, 9, 30), "Nghỉ hưu")
    assert Position.objects.filter(person=member, title=PositionTitle.MEMBER, end__isnull=True).count() == 1


@pytest.mark.django_db
def test_xlsx_template_has_marked_headers_a_guide_and_the_organisations(uploader, world):
    response = uploader.client.get(reverse("exchange:template", args=[world.trung_my.pk, "people", "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cán bộ, đảng viên", "Hướng dẫn", "Danh mục tổ chức"]
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:3] == ["Mã hệ thống", "Họ và tên *", "Giới tính"]
    assert len(header) == len(PEOPLE_HEADERS)
    validations = {str(dv.sqref): dv.formula1 for dv in book.worksheets[0].data_validations.dataValidation}
    assert validations["C2:C5000"] == '"Nam,Nữ,Khác"'
    orgs = [list(r) for r in book["Danh mục tổ chức"].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in orgs] == ["Đảng bộ xã Trung Mỹ", "Chi bộ thôn Thanh Lanh", "Chi bộ thôn Đồng Giang"]
    assert orgs[1][0] == world.cell.pk
    # The template itself, filled in, imports.
    sheet = book.worksheets[0]
    sheet.append(["", "Trịnh Văn Sơn", "Nam", "", "Đảng viên dự bị", "T9000001", "02/09/2025", "", world.cell.pk])
    out = io.BytesIO()
    book.save(out)
    batch = uploader.batch("mau.xlsx", out.getvalue())
    assert (batch.status, batch.rows_create) == (ImportStatus.READY, 1)


@pytest.mark.django_db
def test_csv_template_is_the_header_row(uploader, world):
    response = uploader.client.get(reverse("exchange:template", args=[world.trung_my.pk, "positions", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [[c.header for c in columns("positions")]]


@pytest.mark.django_db
def test_worker_mode_leaves_the_batch_queued_for_the_worker_command(uploader, world):
    content = csv_bytes(["Họ và tên"], [["Trịnh Văn Sơn"]])
    with override_settings(BACKGROUND_JOBS="worker"):
        batch = uploader.batch("ds.csv", content)
        assert batch.status == ImportStatus.QUEUED_CHECK
        call_command("exchange_worker", "--once", stdout=io.StringIO())
        batch.refresh_from_db()
        assert batch.status == ImportStatus.READY
        batch = uploader.confirm(batch)
        assert batch.status == ImportStatus.QUEUED_IMPORT
        call_command("exchange_worker", "--once", stdout=io.StringIO())
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Person.objects.filter(full_name="Trịnh Văn Sơn").count() == 1


@pytest.mark.django_db
def test_cancel_drops_the_file_and_writes_nothing(uploader, world):
    batch = uploader.batch("ds.csv", csv_bytes(["Họ và tên"], [["Trịnh Văn Sơn"]]))
    response = uploader.client.post(reverse("exchange:cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert not hasattr(batch, "upload") or batch.upload is None
    assert not Person.objects.filter(full_name="Trịnh Văn Sơn").exists()
