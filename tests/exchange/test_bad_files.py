"""Files that are not lists: each gets a clear Vietnamese message and changes nothing."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError, ErrorCode, ImportRowError, InputError
from dongthuan.exchange import reading
from dongthuan.exchange.models import FileFormat, ImportBatch, ImportStatus
from dongthuan.people.models import Person
from tests.exchange.conftest import csv_bytes, raw_xlsx, rows_of, xlsx_bytes


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


SHEET_LIMIT_CASES = [
    (
        "xa.xlsx",
        # 1.5 KB: the reader would hold every cell from A1 to XFD1048576, 17 billion of them.
        raw_xlsx([("A1", "Họ và tên"), ("XFD1048576", "x")]),
        "Tệp có 16.384 cột, vượt giới hạn 100 cột. Hãy dùng tệp mẫu, bỏ các cột thừa.",
    ),
    (
        "sau.xlsx",
        raw_xlsx([("A1", "Họ và tên"), ("A1048576", "x")]),
        "Tệp có hơn 300.000 dòng, vượt giới hạn một lần nhập. Hãy chia thành nhiều tệp.",
    ),
    (
        "rong.xlsx",
        raw_xlsx([("A1", "Họ và tên"), ("CV60001", "x")]),
        "Trang tính có dữ liệu đến ô CV60001: quá lớn để đọc một lần (tối đa 6.000.000 ô). "
        "Hãy xoá các ô thừa ở cuối trang tính hoặc chia thành nhiều tệp.",
    ),
    (
        "cot.csv",
        csv_bytes([f"Cột {n}" for n in range(101)], [["x"] * 101]),
        "Tệp có 101 cột, vượt giới hạn 100 cột. Hãy dùng tệp mẫu, bỏ các cột thừa.",
    ),
    (
        "o.csv",
        csv_bytes(["Họ và tên", "Nơi ở"], [["Trịnh Văn Sơn", "x" * 10_001]]),
        "Ô B2 dài quá 10.000 ký tự. Hãy rút gọn nội dung ô này.",
    ),
    (
        "o.xlsx",
        xlsx_bytes(["Họ và tên", "Nơi ở"], [["Trịnh Văn Sơn", "x" * 10_001]]),
        "Ô B2 dài quá 10.000 ký tự. Hãy rút gọn nội dung ô này.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), SHEET_LIMIT_CASES, ids=[c[0] for c in SHEET_LIMIT_CASES])
def test_limits_are_checked_while_the_file_is_read(uploader, name, content, message):
    before = _state()
    batch = uploader.batch(name, content)
    assert (batch.status, batch.message, batch.rows_total) == (ImportStatus.INVALID, message, 0)
    assert _state() == before


@pytest.mark.django_db
def test_a_csv_of_millions_of_short_rows_is_refused_once_past_the_row_limit(uploader, settings):
    """5 MB, 2.6 million rows: all of them were held (577 MB) before the row limit was checked; now reading stops
    at the first row past it (a lower limit here keeps the test quick under tracemalloc)."""
    settings.EXCHANGE_MAX_ROWS = 1_000
    before = _state()
    content = "Họ và tên\n".encode() + b"a\n" * 2_600_000
    tracemalloc.start()
    try:
        batch = uploader.batch("dong.csv", content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = "Tệp có hơn 1.000 dòng, vượt giới hạn một lần nhập. Hãy chia thành nhiều tệp."
    assert (batch.status, batch.message, batch.rows_total) == (ImportStatus.INVALID, message, 0)
    assert _state() == before
    assert peak < 60 * 1024 * 1024  # the upload, its copy in the batch and its text; not its rows


def test_a_declared_dimension_is_not_trusted():
    """The <dimension> a file declares does not size anything: only cells holding something do."""
    content = raw_xlsx([("A1", "Họ và tên"), ("A2", "Trịnh Văn Sơn")], dimension="A1:XFD1048576")
    table = reading.read(content, FileFormat.XLSX)
    assert (table.headers, table.rows) == (["Họ và tên"], [(2, ["Trịnh Văn Sơn"])])


def test_a_cell_without_its_reference_is_refused():
    content = raw_xlsx([("A1", "Họ và tên"), ("A2", "Trịnh Văn Sơn")], unplaced=("A2",))
    with pytest.raises(DomainError) as refused:
        reading.read(content, FileFormat.XLSX)
    assert refused.value.messages == [
        "Tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp khác được đổi tên). Hãy mở bằng Excel và lưu lại."
    ]


def test_a_refused_cell_is_an_import_row_error_naming_its_row_and_column():
    content = xlsx_bytes(["Họ và tên", "Điện thoại"], [["Trịnh Văn Sơn", "0912"], ["Trịnh Văn Hải", "=1+1"]])
    with pytest.raises(ImportRowError) as refused:
        reading.read(content, FileFormat.XLSX)
    assert (refused.value.code, refused.value.row, refused.value.column) == (ErrorCode.IMPORT_FORMULA, 3, "B")


def test_a_file_of_another_kind_is_an_input_error_with_its_code():
    with pytest.raises(InputError) as refused:
        reading.read(b"%PDF-1.7", FileFormat.XLSX)
    assert refused.value.code == ErrorCode.IMPORT_NOT_XLSX
