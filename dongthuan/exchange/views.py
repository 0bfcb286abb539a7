"""Export of lists to Excel and CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.core.http import HtmxHttpRequest
from dongthuan.core.text import fold
from dongthuan.exchange.export import Column, csv_bytes, xlsx_bytes
from dongthuan.organizations import selectors
from dongthuan.permissions import can_view_members, organization_for_user

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _date(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value else ""  # type: ignore[attr-defined]


def member_columns() -> list[Column]:
    return [
        Column(_("Mã"), lambda p: p.pk),
        Column(_("Họ và tên"), lambda p: p.full_name),
        Column(_("Giới tính"), lambda p: p.get_gender_display()),
        Column(_("Ngày sinh"), lambda p: _date(p.birth_date)),
        Column(_("Tình trạng đảng viên"), lambda p: p.get_party_status_display()),
        Column(_("Số thẻ đảng viên"), lambda p: p.party_card_number or ""),
        Column(_("Ngày vào Đảng"), lambda p: _date(p.joined_on)),
        Column(_("Ngày chính thức"), lambda p: _date(p.full_on)),
        Column(_("Chi bộ"), lambda p: p.cell.name if p.cell else ""),
    ]


@login_required
def members(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The member list of an organisation's subtree (with the page's search and status filter) as a file."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    org = organization_for_user(request.user, pk)
    if not can_view_members(request.user, org):
        raise Http404
    people = selectors.members(org, request.GET.get("q", ""), request.GET.get("status", "")).iterator(chunk_size=2000)
    columns = member_columns()
    title = _("Đảng viên")
    body = xlsx_bytes(title, columns, people) if fmt == "xlsx" else csv_bytes(columns, people)
    name = f"dang-vien-{fold(org.name).replace(' ', '-')}-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
