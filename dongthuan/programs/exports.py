"""The tracking table (bảng theo dõi) of a program in Excel: every task of the program and every task below it
down the cascade, numbered as an outline (1, 1.1, 1.1.2), with who leads and who answers, dates, status, progress
and the latest report."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from dongthuan.core.text import date_text
from dongthuan.exchange.export import Column, xlsx_bytes
from dongthuan.programs import selectors
from dongthuan.programs.models import Program, ProgressReport, Task


def tracking_xlsx(program: Program, visible: Callable[[Task], bool]) -> bytes:
    """``visible``: whether the reader may see a task (the cascade reaches other organisations' own programs)."""
    tasks = [t for t in selectors.cascade(program) if visible(t)]
    depth = selectors.depth_of(tasks)
    latest: dict[int, str] = {}
    ids = [t.pk for t in tasks]
    for start in range(0, len(ids), 5000):
        reports = ProgressReport.objects.filter(task_id__in=ids[start : start + 5000]).order_by(
            "task_id", "-period_end"
        )
        for task_id, narrative in reports.values_list("task_id", "narrative"):
            latest.setdefault(task_id, narrative)
    numbers: dict[int, str] = {}
    counters: dict[int | None, int] = {}
    for task in tasks:
        parent = task.parent_id if task.parent_id in numbers else None
        counters[parent] = counters.get(parent, 0) + 1
        numbers[task.pk] = (numbers[parent] + "." if parent else "") + str(counters[parent])

    def col(header: str, value: object) -> Column:
        return Column(header, value)

    columns = [
        col(_("STT"), lambda t: numbers[t.pk]),
        col(_("Nhiệm vụ"), lambda t: "    " * depth[t.pk] + t.title),
        col(_("Lĩnh vực"), lambda t: t.field.name if t.field else ""),
        col(_("Đơn vị chủ trì"), lambda t: t.organization.name),
        col(_("Cá nhân phụ trách"), lambda t: t.responsible.full_name),
        col(_("Bắt đầu"), lambda t: date_text(t.starts_on)),
        col(_("Hạn hoàn thành"), lambda t: date_text(t.due_on)),
        col(_("Trạng thái"), lambda t: str(t.get_status_display())),
        col(_("Tiến độ (%)"), lambda t: float(t.progress)),
        col(_("Trọng số"), lambda t: t.weight),
        col(_("Sản phẩm"), lambda t: t.deliverable),
        col(_("Báo cáo gần nhất"), lambda t: latest.get(t.pk, "")),
    ]
    return xlsx_bytes(_("Theo dõi"), columns, tasks)
