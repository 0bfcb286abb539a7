"""Files that are not lists: each gets a clear Vietnamese message and changes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from dongthuan.audit.models import AuditEvent
from dongthuan.exchange.models import ImportBatch, ImportStatus
from dongthuan.people.models import Person
from tests.exchange.conftest import csv_bytes, rows_of, xlsx_bytes


def _state():
    return Person.objects.count(), AuditEvent.objects.filter(action__in=["create", "update"]).count()


def _form_error(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors["file"])


@pytest.mark.django_db
def test_wrong_type_is_refused_at_upload(uploader):
    before = _state()
    message = _form_error(uploader.post("danh-sach.pdf", b"%PDF-1.7 ..."))
    assert message == (
        "Tệp «danh-sach.pdf» không phải .xlsx hoặc .csv. Hãy lưu danh sách thành Excel (.xlsx) hoặc CSV rồi tải lên."
    )
    assert ImportBatch.objects.count() == 0
    assert _state() == before


@pytest.mark.django_db
def test_a_100_mb_upload_is_refused(uploader):
    message = _form_error(uploader.post("lon.csv", b"a" * (100 * 1024 * 1024)))
    assert message == "Tệp nặng 100.0 MB, vượt giới hạn 50 MB. Hãy chia danh sách thành nhiều tệp."
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_empty_file_is_refused(uploader):
    assert _form_error(uploader.post("rong.csv", b"")) == "Tập tin được gửi là rỗng."


def _merged() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Điện thoại"])
    ws.append(["Trịnh Văn Sơn", "0912"])
    ws.append(["Trịnh Văn Hải", "0913"])
    ws.merge_cells("B2:B3")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _only_header() -> bytes:
    return xlsx_bytes(["Họ và tên", "Điện thoại"], [])


def _empty_sheet() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


CASES = [
    (
        "anh.xlsx",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
        "Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại.",
    ),
    (
        "nen.xlsx",
        _zip_not_xlsx(),
        "Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại.",
    ),
    (
        "hong.xlsx",
        b"PK\x03\x04" + b"\x00" * 100,
        "Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại.",
    ),
    (
        "cu.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "Đây là tệp Excel đời cũ (.xls). Hãy mở bằng Excel và lưu thành .xlsx.",
    ),
    (
        "gop.xlsx",
        _merged(),
        "Trang tính có ô được gộp (merge). Hãy bỏ gộp ô: mỗi dòng là một người hoặc tổ chức, mỗi ô một giá trị.",
    ),
    ("tieude.xlsx", _only_header(), "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."),
    ("trang.xlsx", _empty_sheet(), "Trang tính đầu tiên trống: không có dòng tiêu đề. Hãy dùng tệp mẫu."),
    (
        "nhiphan.csv",
        b"Ho va ten\n\x00\x01\x02",
        "Tệp .csv chứa dữ liệu nhị phân, không phải văn bản. Hãy xuất lại từ Excel dạng CSV UTF-8.",
    ),
    (
        "khac.csv",
        csv_bytes(["Tên", "Tuổi"], [["A", "1"]]),
        "Dòng đầu tiên của tệp không có tiêu đề cột nào của mẫu «Cán bộ, đảng viên». "
        "Hãy tải tệp mẫu và dùng đúng tiêu đề.",
    ),
    ("thieu.csv", csv_bytes(["Điện thoại"], [["0912"]]), "Thiếu cột bắt buộc: «Họ và tên»."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_file_gives_a_clear_message_and_changes_nothing(uploader, name, content, message):
    before = _state()
    batch = uploader.batch(name, content)
    assert batch.status == ImportStatus.INVALID
    assert batch.message == message
    assert batch.rows_total == 0
    assert not batch.can_confirm
    assert _state() == before


@pytest.mark.django_db
def test_a_formula_in_xlsx_is_refused_naming_the_cell(uploader):
    before = _state()
    batch = uploader.batch(
        "congthuc.xlsx", xlsx_bytes(["Họ và tên", "Điện thoại"], [["Trịnh Văn Sơn", "0912"], ["Trịnh Văn Hải", "=1+1"]])
    )
    assert batch.status == ImportStatus.INVALID
    assert batch.message == "Ô B3 chứa công thức. Hãy chép rồi dán dạng giá trị (Paste Special → Values) và lưu lại."
    assert _state() == before


@pytest.mark.django_db
def test_formula_text_is_refused_per_row(uploader):
    batch = uploader.batch(
        "congthuc.csv",
        csv_bytes(["Họ và tên", "Điện thoại"], [["Trịnh Văn Sơn", '=HYPERLINK("http://x")'], ["@SUM(A1)", ""]]),
    )
    assert batch.status == ImportStatus.INVALID
    assert [[m for _k, m in r["errors"]] for r in rows_of(batch)] == [
        ['Điện thoại: chứa công thức («=HYPERLINK("http://x")»); chỉ nhập giá trị.'],
        ["Họ và tên: chứa công thức («@SUM(A1)»); chỉ nhập giá trị."],
    ]
    text = uploader.batch("congthuc.xlsx", xlsx_bytes(["Họ và tên"], [["@SUM(A1)"]]))
    assert [[m for _k, m in r["errors"]] for r in rows_of(text)] == [
        ["Họ và tên: chứa công thức («@SUM(A1)»); chỉ nhập giá trị."]
    ]


@pytest.mark.django_db
def test_unknown_columns_are_named_and_headers_match_without_diacritics(uploader):
    batch = uploader.batch("khongdau.csv", csv_bytes(["HO VA TEN *", "Ghi chú riêng"], [["Trịnh Văn Sơn", "x"]]))
    assert batch.status == ImportStatus.READY
    assert batch.warnings == ["Bỏ qua các cột không có trong mẫu: Ghi chú riêng."]
    assert batch.rows_create == 1


@pytest.mark.django_db
def test_semicolon_csv_from_excel_is_read(uploader):
    content = "\ufeffHọ và tên;Điện thoại\r\nTrịnh Văn Sơn;0912\r\n".encode()
    batch = uploader.batch("champhay.csv", content)
    assert batch.status == ImportStatus.READY
    assert rows_of(batch)[0]["cells"] == {"full_name": "Trịnh Văn Sơn", "phone": "0912"}
