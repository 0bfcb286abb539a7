"""Importing people from .csv and .xlsx: a preview of every row with its errors, then all rows or none."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.exchange.models import ImportStatus
from dongthuan.organizations.services import organization_create
from dongthuan.people.models import PartyStatus, Person
from dongthuan.people.services import person_update
from tests.exchange.conftest import csv_bytes, rows_of

HEADERS = ["Mã hệ thống", "Họ và tên", "Tình trạng đảng viên", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức"]
HEADERS += ["Chi bộ", "Ngày sinh", "Điện thoại"]


def _row(name, status="", card="", joined="", full="", cell="", birth="", phone="", pk=""):
    return [pk, name, status, card, joined, full, cell, birth, phone]


@pytest.mark.django_db
def test_preview_then_import_creates_and_updates_exactly(uploader, world):
    member = world.people["member"]
    content = csv_bytes(
        HEADERS,
        [
            _row("Trịnh Văn Sơn", "Đảng viên dự bị", "T9000001", "02/09/2025", cell="Chi bộ thôn Thanh Lanh"),
            _row("Lê Văn Tám", birth="07/03/1990", phone="0912 345 678"),
            _row(
                member.full_name,
                "Đảng viên chính thức",
                member.party_card_number,
                "19/05/2010",
                "19/05/2011",
                "chi bo thon thanh lanh",
                phone="0988000111",
                pk=str(member.pk),
            ),
        ],
    )
    people_before = Person.objects.count()
    batch = uploader.batch("danh-sach.csv", content)
    assert batch.status == ImportStatus.READY
    assert (batch.rows_total, batch.rows_create, batch.rows_update, batch.rows_error) == (3, 2, 1, 0)
    assert Person.objects.count() == people_before  # a check writes nothing
    rows = rows_of(batch)
    assert [(r["line"], r["action"]) for r in rows] == [(2, "create"), (3, "create"), (4, "update")]
    assert rows[2]["changes"] == {"điện thoại": ["", "0988000111"]}

    page = uploader.client.get(reverse("exchange:batch", args=[batch.pk]))
    assert page.status_code == 200
    assert "Trịnh Văn Sơn" in page.content.decode()

    batch = uploader.confirm(batch)
    assert batch.status == ImportStatus.DONE
    assert Person.objects.count() == people_before + 2
    son = Person.objects.get(full_name="Trịnh Văn Sơn")
    assert (son.party_status, son.party_card_number, son.joined_on, son.cell_id) == (
        PartyStatus.PROBATIONARY,
        "T9000001",
        dt.date(2025, 9, 2),
        world.cell.pk,
    )
    assert son.search_name == "trinh van son"
    tam = Person.objects.get(full_name="Lê Văn Tám")
    assert (tam.birth_date, tam.phone, tam.home_organization_id, tam.cell_id) == (
        dt.date(1990, 3, 7),
        "0912 345 678",
        world.trung_my.pk,
        None,
    )
    member.refresh_from_db()
    assert member.phone == "0988000111"
    created = AuditEvent.objects.filter(object_id=str(son.pk), action="create").get()
    assert created.note == "Nhập từ tệp"
    assert created.actor == world.users["secretary"]
    assert AuditEvent.objects.filter(object_id=str(member.pk), action="update").latest("pk").changes == {
        "điện thoại": ["", "0988000111"]
    }


@pytest.mark.django_db
def test_every_bad_row_is_shown_and_nothing_can_be_imported(uploader, world):
    taken = world.people["deputy"].party_card_number
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Huệ")
    content = csv_bytes(
        HEADERS,
        [
            _row("Đào Văn Một", "Đảng viên dự bị", "T9100001", "02/09/2025", cell="Chi bộ thôn Không Có"),
            _row("Đào Văn Hai", birth="31/02/1990"),
            _row("Đào Văn Ba", birth="1990-03-07"),
            _row("Đào Văn Bốn", "Đảng viên dự bị", "T9100004", "02/09/2025", cell="Chi bộ thôn Thanh Lanh"),
            _row("Đào Văn Năm", "Đảng viên dự bị", "T9100004", "02/09/2025", cell="Chi bộ thôn Thanh Lanh"),
            _row("", phone="0912"),
            _row(nfd, phone="0913"),
            _row('=HYPERLINK("http://x","Sáu")'),
            _row("Đào Văn Bảy", pk="999999"),
            _row("Đào Văn Tám", "Đảng viên chính thức", "T9100008", "02/09/2020", cell="Chi bộ thôn Thanh Lanh"),
            _row("Đào Văn Chín", pk=str(world.people["member"].pk), card=taken),
            _row("Đào Văn Mười", "Đảng viên dự bị", "T9100010", "02/09/2025", cell="Chi bộ thôn Bá Cầu"),
        ],
    )
    count = Person.objects.count()
    batch = uploader.batch("loi.csv", content)
    assert batch.status == ImportStatus.INVALID
    rows = {r["line"]: r for r in rows_of(batch)}
    errors = {line: [m for _k, m in r["errors"]] for line, r in rows.items()}
    assert errors == {
        2: ["Chi bộ: không tìm thấy chi bộ «Chi bộ thôn Không Có» trong Đảng bộ xã Trung Mỹ."],
        3: ["Ngày sinh: «31/02/1990» không phải ngày đúng dạng dd/mm/yyyy."],
        4: ["Ngày sinh: «1990-03-07» không phải ngày đúng dạng dd/mm/yyyy."],
        5: [],
        6: ["Số thẻ đảng viên: «T9100004» trùng với dòng 5."],
        7: ["Họ và tên: bắt buộc, đang để trống."],
        8: [],
        9: ['Họ và tên: chứa công thức («=HYPERLINK("http://x","Sáu")»); chỉ nhập giá trị.'],
        10: ["Mã hệ thống: không có người mang mã 999999."],
        11: ["Đảng viên chính thức phải có ngày chính thức."],
        12: [f"Số thẻ đảng viên: «{taken}» đã là số thẻ của Hoàng Thị Lan (mã {world.people['deputy'].pk})."],
        13: ["Chi bộ: không tìm thấy chi bộ «Chi bộ thôn Bá Cầu» trong Đảng bộ xã Trung Mỹ."],
    }
    assert rows[8]["notes"] == ["Cột «Họ và tên»: chữ tiếng Việt được chuẩn hóa về dạng NFC."]
    assert rows[8]["cells"]["full_name"] == "Nguyễn Thị Huệ"
    assert (batch.rows_total, batch.rows_error, batch.rows_create) == (12, 10, 2)
    assert not batch.can_confirm
    response = uploader.client.post(reverse("exchange:confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID
    assert Person.objects.count() == count
    page = uploader.client.get(reverse("exchange:batch", args=[batch.pk]) + "?show=error").content.decode()
    assert "trùng với dòng 5" in page
    assert 'data-testid="confirm"' not in page


@pytest.mark.django_db
def test_data_changed_after_the_check_means_nothing_is_written(uploader, world):
    content = csv_bytes(
        HEADERS,
        [
            _row("Trịnh Văn Sơn", "Đảng viên dự bị", "T9000001", "02/09/2025", cell="Chi bộ thôn Thanh Lanh"),
            _row("Trịnh Văn Hải", "Đảng viên dự bị", "T9000002", "02/09/2025", cell="Chi bộ thôn Đồng Giang"),
        ],
    )
    batch = uploader.batch("ds.csv", content)
    assert batch.status == ImportStatus.READY
    # Meanwhile someone records T9000002 for a member already registered.
    person_update(actor=None, person=world.people["member"], party_card_number="T9000002")
    count = Person.objects.count()
    batch = uploader.confirm(batch)
    assert batch.status == ImportStatus.INVALID
    assert batch.message.startswith("Dữ liệu đã thay đổi kể từ khi kiểm tra")
    assert Person.objects.count() == count
    assert not Person.objects.filter(full_name="Trịnh Văn Sơn").exists()
    rows = rows_of(batch)
    assert [r["action"] for r in rows] == ["create", "error"]
    assert [m for _k, m in rows[1]["errors"]] == [
        f"Số thẻ đảng viên: «T9000002» đã là số thẻ của Bùi Văn Nam (mã {world.people['member'].pk}), "
        "không phải người có tên trong dòng này."
    ]


@pytest.mark.django_db
def test_a_dissolved_cell_between_check_and_import_blocks_every_row(uploader, world):
    cell = organization_create(actor=None, name="Chi bộ thôn Mới", kind="cell", parent=world.trung_my)
    content = csv_bytes(
        HEADERS,
        [
            _row("Trịnh Văn Sơn", "Đảng viên dự bị", "T9000001", "02/09/2025", cell="Chi bộ thôn Mới"),
            _row("Lê Văn Tám"),
        ],
    )
    batch = uploader.batch("ds.csv", content)
    assert batch.status == ImportStatus.READY
    type(cell).objects.filter(pk=cell.pk).update(status="dissolved")
    count = Person.objects.count()
    batch = uploader.confirm(batch)
    assert batch.status == ImportStatus.INVALID
    assert Person.objects.count() == count
    assert [m for _k, m in rows_of(batch)[0]["errors"]] == ["Chi bộ này đã giải thể."]


@pytest.mark.django_db
def test_reimporting_the_same_list_without_ids_matches_by_card_and_changes_nothing(uploader, world):
    rows = [_row("Trịnh Văn Sơn", "Đảng viên dự bị", "T9000001", "02/09/2025", cell="Chi bộ thôn Thanh Lanh")]
    uploader.confirm(uploader.batch("a.csv", csv_bytes(HEADERS, rows)))
    again = uploader.batch("a.csv", csv_bytes(HEADERS, rows))
    assert (again.rows_create, again.rows_update, again.rows_unchanged) == (0, 0, 1)
    assert Person.objects.filter(party_card_number="T9000001").count() == 1


@pytest.mark.django_db
def test_people_outside_the_subtree_cannot_be_updated(uploader, world):
    other = world.people["other_secretary"]
    content = csv_bytes(HEADERS, [_row("Lý Văn Tâm", phone="0911", pk=str(other.pk))])
    batch = uploader.batch("ds.csv", content)
    assert [m for _k, m in rows_of(batch)[0]["errors"]] == [
        f"Mã hệ thống: không có người mang mã {other.pk} trong Đảng bộ xã Trung Mỹ."
    ]


@pytest.mark.django_db
def test_an_id_too_long_to_be_a_record_is_a_row_error(uploader, world):
    batch = uploader.batch("ds.csv", csv_bytes(HEADERS, [_row("Lê Văn Tám", pk="9" * 30)]))
    assert batch.status == ImportStatus.INVALID
    assert [m for _k, m in rows_of(batch)[0]["errors"]] == [f"Mã hệ thống: «{'9' * 30}» không phải một mã số."]
