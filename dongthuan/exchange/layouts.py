"""The columns of each list that goes in or out as a file: headers, which are required, what each holds.

Files always carry Vietnamese headers, whatever the language of the page, so that a file exported by one user
imports for any other. Headers are matched without regard to case, diacritics, spacing or a trailing "*", so
"Ho va ten" and "HỌ VÀ TÊN *" both find the "Họ và tên" column. Each list has a "Mã hệ thống" column: filled by
the export with the record's id, it makes a re-imported row update that record instead of adding a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dongthuan.core.text import fold
from dongthuan.exchange.models import ImportKind

TEXT = "text"
DATE = "date"
ID = "id"
CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise  # the header, as a translatable string (its Vietnamese source is the file's header)
    help: Promise
    kind: str = TEXT
    required: bool = False
    width: int = 18

    @property
    def header(self) -> str:
        """The header written in files: always Vietnamese."""
        return _vietnamese(self.label)


def _vietnamese(label: Promise) -> str:
    with translation.override("vi"):
        return str(label)


ID_HELP = _("Do hệ thống ghi khi xuất. Để trống khi thêm mới; giữ nguyên để cập nhật đúng bản ghi đó.")
DATE_HELP = _("Ngày theo dạng dd/mm/yyyy, ví dụ 19/05/2010.")

ORGANIZATION_COLUMNS = (
    Column("id", _("Mã hệ thống"), ID_HELP, ID, width=12),
    Column("name", _("Tên tổ chức"), _("Tên đầy đủ, ví dụ: Chi bộ thôn Thanh Lanh."), required=True, width=40),
    Column("short_name", _("Tên viết tắt"), _("Không bắt buộc."), width=20),
    Column(
        "kind",
        _("Loại tổ chức"),
        _("Một trong: Đảng bộ (tỉnh, huyện); Tổ chức cơ sở đảng; Chi bộ; Cơ quan chính quyền; …"),
        CHOICE,
        required=True,
        width=26,
    ),
    Column("level", _("Cấp"), _("Cấp tỉnh hoặc Cấp xã; để trống thì lấy cấp của tổ chức cấp trên."), CHOICE, width=12),
    Column("doc_code", _("Ký hiệu văn bản"), _("TU, HU, ĐU, CB… dùng trong số, ký hiệu văn bản."), width=12),
    Column("parent_id", _("Mã tổ chức cấp trên"), _("Mã hệ thống của tổ chức cấp trên, nếu biết."), ID, width=12),
    Column(
        "parent",
        _("Tổ chức cấp trên"),
        _("Tên tổ chức cấp trên (bắt buộc khi thêm mới nếu không ghi mã)."),
        width=36,
    ),
    Column(
        "grandparent",
        _("Cấp trên của tổ chức cấp trên"),
        _("Chỉ cần khi có nhiều tổ chức cấp trên trùng tên."),
        width=36,
    ),
    Column("valid_from", _("Thành lập từ ngày"), DATE_HELP, DATE, width=14),
    Column("address", _("Địa chỉ"), _("Không bắt buộc."), width=30),
)

PEOPLE_COLUMNS = (
    Column("id", _("Mã hệ thống"), ID_HELP, ID, width=12),
    Column("full_name", _("Họ và tên"), _("Họ và tên đầy đủ, có dấu."), required=True, width=28),
    Column("gender", _("Giới tính"), _("Nam, Nữ hoặc Khác."), CHOICE, width=10),
    Column("birth_date", _("Ngày sinh"), DATE_HELP, DATE, width=13),
    Column(
        "party_status",
        _("Tình trạng đảng viên"),
        _("Đảng viên chính thức, Đảng viên dự bị, Đã ra khỏi Đảng, hoặc để trống nếu không phải đảng viên."),
        CHOICE,
        width=22,
    ),
    Column("party_card_number", _("Số thẻ đảng viên"), _("Mỗi số thẻ chỉ của một người."), width=16),
    Column("joined_on", _("Ngày vào Đảng"), DATE_HELP, DATE, width=14),
    Column("full_on", _("Ngày chính thức"), DATE_HELP, DATE, width=14),
    Column("cell_id", _("Mã chi bộ"), _("Mã hệ thống của chi bộ, nếu biết."), ID, width=11),
    Column("cell", _("Chi bộ"), _("Tên chi bộ sinh hoạt (bắt buộc với đảng viên nếu không ghi mã)."), width=32),
    Column("home_id", _("Mã nơi cư trú, công tác"), _("Mã hệ thống của đơn vị, nếu biết."), ID, width=11),
    Column(
        "home",
        _("Nơi cư trú, công tác"),
        _("Xã, phường hoặc cơ quan; để trống khi thêm mới thì lấy đơn vị đang nhập."),
        width=30,
    ),
    Column("phone", _("Điện thoại"), _("Không bắt buộc."), width=14),
    Column("email", _("Thư điện tử"), _("Không bắt buộc."), width=24),
    Column("address", _("Nơi ở"), _("Không bắt buộc."), width=30),
)

POSITION_COLUMNS = (
    Column("id", _("Mã hệ thống"), ID_HELP, ID, width=12),
    Column("person_id", _("Mã người"), _("Mã hệ thống của người giữ chức vụ, nếu biết."), ID, width=11),
    Column(
        "full_name",
        _("Họ và tên"),
        _("Người giữ chức vụ: tìm theo mã người, rồi số thẻ đảng viên, rồi họ và tên."),
        width=28,
    ),
    Column("party_card_number", _("Số thẻ đảng viên"), _("Không bắt buộc."), width=16),
    Column("organization_id", _("Mã tổ chức"), _("Mã hệ thống của tổ chức, nếu biết."), ID, width=11),
    Column("organization", _("Tổ chức"), _("Tên tổ chức nơi giữ chức vụ (nếu không ghi mã)."), width=34),
    Column(
        "body", _("Cơ quan"), _("Ví dụ: Ban Chấp hành, Ban Thường vụ; để trống nếu không thuộc cơ quan nào."), width=34
    ),
    Column("title", _("Chức vụ"), _("Ví dụ: Bí thư, Phó Bí thư, Ủy viên."), CHOICE, required=True, width=22),
    Column("start", _("Từ ngày"), DATE_HELP, DATE, required=True, width=13),
    Column("end", _("Đến ngày"), _("Để trống nếu đang giữ chức vụ."), DATE, width=13),
    Column("end_reason", _("Lý do thôi giữ"), _("Không bắt buộc."), width=24),
)

READ_ONLY = _("Chỉ để xem; không nhập.")

TASK_COLUMNS = (
    Column("id", _("Mã hệ thống"), ID_HELP, ID, width=12),
    Column(
        "program_id",
        _("Mã chương trình"),
        _("Mã hệ thống của chương trình (trên trang chương trình và trong tệp xuất)."),
        ID,
        required=True,
        width=12,
    ),
    Column("program", _("Chương trình"), READ_ONLY, width=40),
    Column("title", _("Nhiệm vụ"), _("Tên nhiệm vụ."), required=True, width=50),
    Column("objective", _("Mục tiêu"), _("Tên một mục tiêu của chương trình; không bắt buộc."), width=30),
    Column(
        "parent_id",
        _("Mã nhiệm vụ cấp trên"),
        _("Mã hệ thống của nhiệm vụ cấp trên trong cùng chương trình; không bắt buộc."),
        ID,
        width=12,
    ),
    Column("organization_id", _("Mã đơn vị chủ trì"), _("Mã hệ thống của đơn vị chủ trì, nếu biết."), ID, width=12),
    Column("organization", _("Đơn vị chủ trì"), _("Tên đơn vị chủ trì (nếu không ghi mã)."), width=34),
    Column("responsible_id", _("Mã cá nhân phụ trách"), _("Mã hệ thống của người phụ trách, nếu biết."), ID, width=12),
    Column(
        "responsible",
        _("Cá nhân phụ trách"),
        _("Họ và tên của một người duy nhất (nếu không ghi mã)."),
        width=26,
    ),
    Column("starts_on", _("Bắt đầu"), DATE_HELP, DATE, required=True, width=13),
    Column("due_on", _("Hạn hoàn thành"), DATE_HELP, DATE, required=True, width=13),
    Column("deliverable", _("Sản phẩm"), _("Không bắt buộc."), width=30),
    Column("weight", _("Trọng số"), _("Số nguyên từ 1 đến 100; để trống là 1."), width=9),
    Column("status", _("Trạng thái"), READ_ONLY, width=18),
    Column("progress", _("Tiến độ (%)"), READ_ONLY, width=11),
)

INDICATOR_VALUE_COLUMNS = (
    Column(
        "indicator_id",
        _("Mã chỉ tiêu"),
        _("Mã hệ thống của chỉ tiêu (trong tệp xuất)."),
        ID,
        required=True,
        width=12,
    ),
    Column("indicator", _("Chỉ tiêu"), READ_ONLY, width=44),
    Column("unit", _("Đơn vị tính"), READ_ONLY, width=12),
    Column(
        "period_end",
        _("Kỳ (ngày cuối)"),
        _("Ngày cuối của kỳ báo cáo, dạng dd/mm/yyyy, ví dụ 31/12/2026."),
        DATE,
        required=True,
        width=14,
    ),
    Column("value", _("Giá trị"), _("Số theo đơn vị tính, ví dụ 12,5; để trống nếu chưa có."), width=12),
    Column("note", _("Ghi chú"), _("Không bắt buộc."), width=30),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.ORGANIZATIONS: ORGANIZATION_COLUMNS,
    ImportKind.PEOPLE: PEOPLE_COLUMNS,
    ImportKind.POSITIONS: POSITION_COLUMNS,
    ImportKind.TASKS: TASK_COLUMNS,
    ImportKind.INDICATOR_VALUES: INDICATOR_VALUE_COLUMNS,
}

SHEET_TITLES: dict[str, Promise] = {
    ImportKind.ORGANIZATIONS: _("Tổ chức"),
    ImportKind.PEOPLE: _("Cán bộ, đảng viên"),
    ImportKind.POSITIONS: _("Chức vụ"),
    ImportKind.TASKS: _("Nhiệm vụ"),
    ImportKind.INDICATOR_VALUES: _("Giá trị chỉ tiêu"),
}

FILE_STEMS: dict[str, str] = {
    ImportKind.ORGANIZATIONS: "to-chuc",
    ImportKind.PEOPLE: "can-bo-dang-vien",
    ImportKind.POSITIONS: "chuc-vu",
    ImportKind.TASKS: "nhiem-vu",
    ImportKind.INDICATOR_VALUES: "gia-tri-chi-tieu",
}


def columns(kind: str) -> tuple[Column, ...]:
    return COLUMNS[kind]


def column_map(kind: str) -> dict[str, Column]:
    return {c.key: c for c in COLUMNS[kind]}


def header_key(text: str) -> str:
    """How a header cell is compared: folded, without a required-marker "*" or surrounding punctuation."""
    return fold(text.replace("*", " ")).strip(" :.")


@cache
def _header_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS[kind]:
        index[header_key(column.header)] = column.key
        with translation.override("en"):
            index.setdefault(header_key(str(column.label)), column.key)
    return index


def match_headers(kind: str, cells: list[str]) -> list[str | None]:
    """The column key of each header cell of a file of ``kind`` (None for a column not in the layout)."""
    index = _header_index(kind)
    return [index.get(header_key(c)) if c else None for c in cells]


def missing_required(kind: str, keys: list[str | None]) -> list[Column]:
    present = {k for k in keys if k}
    return [c for c in COLUMNS[kind] if c.required and c.key not in present]


def vietnamese_choices(kind: str, key: str) -> list[str]:
    """The Vietnamese labels a choice column accepts (for the template's drop-downs)."""
    from dongthuan.organizations.models import Level, OrganizationKind, PositionTitle
    from dongthuan.people.models import Gender, PartyStatus

    choices = {
        "kind": OrganizationKind.choices,
        "gender": Gender.choices,
        "party_status": PartyStatus.choices,
        "title": PositionTitle.choices,
    }
    if key == "level":
        return list(Level.objects.order_by("rank").values_list("name", flat=True))
    with translation.override("vi"):
        return [str(label) for value, label in choices.get(key, []) if value]
