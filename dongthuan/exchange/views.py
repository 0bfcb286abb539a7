"""Lists in and out as files: an organisation's import/export page, templates, exports, and an import's page
(progress while it is checked or written, then the preview of every row, confirm or cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import add_service_errors
from dongthuan.core.http import HtmxHttpRequest, file_response, file_stem
from dongthuan.exchange import selectors, services
from dongthuan.exchange.export import csv_bytes, layout_columns, template_xlsx, xlsx_bytes
from dongthuan.exchange.forms import ImportForm
from dongthuan.exchange.layouts import FILE_STEMS, SHEET_TITLES, column_map
from dongthuan.exchange.models import ImportKind, RowAction
from dongthuan.exchange.permissions import (
    can_export,
    can_import,
    import_batch_for_user,
    organization_for_exchange,
    organization_for_importer,
)

EXPORT_FORMATS = ("xlsx", "csv")
PREVIEW_PAGE_SIZE = 50


@login_required
def hub(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Templates, exports and the upload form of an organisation's lists; its recent imports."""
    org = organization_for_exchange(request.user, pk)
    kinds = [(value, label) for value, label in ImportKind.choices if can_export(request.user, org, value)]
    allowed_import = can_import(request.user, org)
    if not kinds and not allowed_import:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None) if allowed_import else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_upload(
                    actor=request.user,
                    organization=org,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    content=upload.read(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("exchange:batch", batch.pk)
    context = {
        "org": org,
        "kinds": kinds,
        "form": form,
        "batches": selectors.batches(org) if allowed_import else [],
    }
    return render(request, "exchange/hub.html", context, status=400 if form is not None and form.errors else 200)


@login_required
def template(request: HtmxHttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """An empty list to fill in (for .xlsx with drop-downs, a guide and the organisations with their ids)."""
    if kind not in ImportKind.values or fmt not in EXPORT_FORMATS:
        raise Http404
    org = organization_for_importer(request.user, pk)
    if fmt == "xlsx":
        body = template_xlsx(kind, selectors.template_organizations(org))
    else:
        body = csv_bytes(layout_columns(kind), [])
    return file_response(body, fmt, f"mau-{FILE_STEMS[kind]}")


@login_required
def export(request: HtmxHttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """A list of the organisation's subtree with the template's headers: edit it and import it back."""
    if kind not in ImportKind.values or fmt not in EXPORT_FORMATS:
        raise Http404
    org = organization_for_exchange(request.user, pk)
    if not can_export(request.user, org, kind):
        raise Http404
    rows = selectors.export_rows(
        kind, org, request.GET.get("q", ""), request.GET.get("status", ""), reader=request.user
    )
    columns = layout_columns(kind)
    body = xlsx_bytes(str(SHEET_TITLES[kind]), columns, rows) if fmt == "xlsx" else csv_bytes(columns, rows)
    return file_response(body, fmt, f"{FILE_STEMS[kind]}-{file_stem(org.name)}-{timezone.localdate():%Y%m%d}")


@login_required
def members(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The member list (with the page's search and status filter) — the people list of the organisation."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return export(request, pk, ImportKind.PEOPLE, fmt)


@login_required
def batch(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An import: its progress while running (polled), then every row's result, filtered and paged."""
    item = import_batch_for_user(request.user, pk)
    if request.htmx and request.GET.get("part") == "progress":
        if not item.is_running:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "exchange/_progress.html", {"batch": item})
    action = request.GET.get("show", "all")
    if action not in selectors.FILTERS:
        action = "all"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    rows: list[dict[str, Any]] = []
    pages = 1
    if not item.is_running:
        rows, pages = selectors.batch_rows(item, action, page, PREVIEW_PAGE_SIZE)
    layout = column_map(item.kind)
    keys = list(item.columns)
    labels = dict(RowAction.choices)
    for row in rows:
        row["action_label"] = labels.get(row["action"], "")
    context = {
        "batch": item,
        "rows": rows,
        "page": min(max(page, 1), pages),
        "pages": pages,
        "show": action,
        "filters": [
            ("all", _("Tất cả"), item.rows_total),
            (RowAction.ERROR, _("Có lỗi"), item.rows_error),
            (RowAction.CREATE, _("Thêm mới"), item.rows_create),
            (RowAction.UPDATE, _("Cập nhật"), item.rows_update),
            (RowAction.UNCHANGED, _("Không đổi"), item.rows_unchanged),
        ],
        "headers": [layout[k].header if k in layout else k for k in keys],
    }
    return render(request, "exchange/batch.html", context)


@login_required
@require_POST
def batch_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = import_batch_for_user(request.user, pk)
    try:
        services.import_confirm(actor=request.user, batch=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("exchange:batch", item.pk)


@login_required
@require_POST
def batch_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = import_batch_for_user(request.user, pk)
    try:
        services.import_cancel(actor=request.user, batch=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã hủy lần nhập này; không có gì được ghi."))
    return redirect("exchange:hub", item.organization_id)
