"""Interim and final reviews (sơ kết / tổng kết) of a program: a report in the official layout (R-DOC-4, through
``writer.official``) made from what was recorded up to a day — indicators with their values then, every task
with its status and progress then (progress of a task with children weighted from theirs, as the roll-up does), the
results reported in the period, what fell behind and who answers for it, and what is due next."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from dongthuan.core.text import number_text
from dongthuan.people.selectors import head_of
from dongthuan.programs import selectors
from dongthuan.programs.models import (
    CLOSED_STATUSES,
    IndicatorValue,
    Program,
    ProgressReport,
    StatusChange,
    Task,
    TaskStatus,
)
from dongthuan.rules.documents import place_date
from dongthuan.writer.official import Heading, OfficialDocument, Paragraph, Signature, Table, locality

STATUS_NAMES = {s.value: str(s.label) for s in TaskStatus}
AUTHORITY = {"party": "T/M BAN THƯỜNG VỤ", "grassroots": "T/M ĐẢNG ỦY", "cell": "T/M CHI BỘ"}


def _percent(value: Decimal | float) -> str:
    return number_text(Decimal(value).quantize(Decimal("0.1"))) + "%"


def _number(value: Decimal | None) -> str:
    return "—" if value is None else number_text(value)


def since(task: Task) -> dt.date:
    """From when a task counts: its start, or the day it was entered if that was earlier."""
    return min(timezone.localtime(task.created_at).date(), task.starts_on)


def as_of(tasks: list[Task], day: dt.date) -> tuple[dict[int, Decimal], dict[int, str]]:
    """Each task's progress and status on ``day``, from the reports and status changes made until then."""
    ids = [t.pk for t in tasks]
    reported: dict[int, Decimal] = {}
    for task_id, percent in (
        ProgressReport.objects.filter(task_id__in=ids, reported_at__date__lte=day)
        .order_by("task_id", "period_end")
        .values_list("task_id", "progress")
    ):
        reported[task_id] = Decimal(percent)  # the last one by period wins
    status: dict[int, str] = {}
    for task_id, to_status in (
        StatusChange.objects.filter(task_id__in=ids, at__date__lte=day)
        .order_by("task_id", "at", "id")
        .values_list("task_id", "to_status")
    ):
        status[task_id] = to_status
    children: dict[int, list[Task]] = defaultdict(list)
    for t in tasks:
        status.setdefault(t.pk, TaskStatus.NOT_STARTED)
    # As the roll-up weighs them then: the children that existed on the day and were not cancelled.
    for t in tasks:
        if t.parent_id and since(t) <= day and status[t.pk] != TaskStatus.CANCELLED:
            children[t.parent_id].append(t)
    progress: dict[int, Decimal] = {}

    def value(task: Task) -> Decimal:
        if task.pk not in progress:
            kids = children.get(task.pk, [])
            if kids:
                weight = sum(k.weight for k in kids)
                progress[task.pk] = sum((k.weight * value(k) for k in kids), Decimal(0)) / weight
            else:
                progress[task.pk] = reported.get(task.pk, Decimal(0))
        return progress[task.pk]

    for t in tasks:
        value(t)
    return progress, status


def review_document(program: Program, start: dt.date, end: dt.date, final: bool = False) -> OfficialDocument:
    org = program.organization
    cascade = selectors.cascade(program)
    progress, status = as_of(cascade, end)
    own = [t for t in cascade if t.program_id == program.pk and since(t) <= end]
    tops = [t for t in own if t.parent_id is None or t.parent_id == program.carries_id]
    weight = sum(t.weight for t in tops)
    overall = sum((t.weight * progress[t.pk] for t in tops), Decimal(0)) / weight if weight else Decimal(0)
    counts: dict[str, int] = defaultdict(int)
    for t in own:
        counts[status[t.pk]] += 1
    narratives: dict[int, str] = {}
    for task_id, text in (
        ProgressReport.objects.filter(task__in=own, reported_at__date__gte=start, reported_at__date__lte=end)
        .order_by("task_id", "period_end")
        .values_list("task_id", "narrative")
    ):
        narratives[task_id] = text
    units = {t.organization_id for t in own}
    summary = (
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}, {org.name} triển khai {len(own)} nhiệm vụ của chương "
        f"trình, giao {len(units)} đơn vị chủ trì. Đến ngày {end:%d/%m/%Y}: "
        + "; ".join(f"{STATUS_NAMES[s].lower()} {counts[s]}" for s in TaskStatus.values if counts[s])
        + f". Tiến độ chung (bình quân có trọng số) đạt {_percent(overall)}."
    )
    blocks: list[Heading | Paragraph | Table] = [
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Paragraph(summary),
    ]
    objectives = program.objectives.select_related("field").prefetch_related("indicators")
    indicators = [i for o in objectives for i in o.indicators.all()]
    if indicators:
        reached: dict[int, list[Decimal]] = defaultdict(list)
        for indicator_id, value in (
            IndicatorValue.objects.filter(indicator__in=indicators, on__lte=end)
            .order_by("indicator_id", "on")
            .values_list("indicator_id", "value")
        ):
            reached[indicator_id].append(Decimal(value))
        rows = []
        for n, i in enumerate(indicators, start=1):
            values = reached.get(i.pk, [])
            current = (sum(values, Decimal(0)) if i.computation == "sum" else values[-1]) if values else None
            share = (
                max(Decimal(0), min(Decimal(100), (current - i.baseline) / (i.target - i.baseline) * 100))
                if current is not None
                else None
            )
            rows.append(
                [
                    str(n),
                    i.name,
                    i.unit,
                    _number(i.baseline),
                    _number(i.target),
                    _number(current),
                    _percent(share) if share is not None else "—",
                ]
            )
        blocks += [
            Heading("1. Các chỉ tiêu"),
            Table(
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Ban đầu", "Mục tiêu", "Đạt được", "Tỷ lệ thực hiện"],
                rows,
                [0.06, 0.34, 0.1, 0.1, 0.1, 0.14, 0.16],
            ),
        ]
    blocks += [
        Heading("2. Các nhiệm vụ" if indicators else "Các nhiệm vụ"),
        Table(
            ["STT", "Nhiệm vụ", "Chủ trì", "Phụ trách", "Hạn", "Tình hình", "Kết quả trong kỳ"],
            [
                [
                    str(n),
                    t.title,
                    t.organization.name,
                    t.responsible.full_name,
                    f"{t.due_on:%d/%m/%Y}",
                    f"{STATUS_NAMES[status[t.pk]]}, {_percent(progress[t.pk])}",
                    narratives.get(t.pk, ""),
                ]
                for n, t in enumerate(own, start=1)
            ],
            [0.05, 0.25, 0.15, 0.13, 0.1, 0.12, 0.2],
        ),
    ]
    behind = [
        t
        for t in own
        if status[t.pk] in (TaskStatus.LATE, TaskStatus.AT_RISK)
        or (t.due_on <= end and status[t.pk] not in CLOSED_STATUSES)
    ]
    blocks.append(Heading("II. TỒN TẠI, HẠN CHẾ"))
    if behind:
        blocks += [
            Paragraph(
                f"- {t.title} ({t.organization.name}; đồng chí {t.responsible.full_name} phụ trách): "
                f"{STATUS_NAMES[status[t.pk]].lower()}, hạn {t.due_on:%d/%m/%Y}, đạt {_percent(progress[t.pk])}.",
                indent=False,
            )
            for t in behind
        ]
    else:
        blocks.append(Paragraph("Các nhiệm vụ được thực hiện đúng tiến độ."))
    if not final:
        upcoming = [t for t in own if t.due_on > end and status[t.pk] not in CLOSED_STATUSES]
        blocks.append(Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"))
        blocks += [
            Paragraph(f"- {t.title}: hoàn thành trước ngày {t.due_on:%d/%m/%Y}.", indent=False)
            for t in sorted(upcoming, key=lambda t: (t.due_on, t.pk))[:30]
        ] or [Paragraph("Tiếp tục thực hiện các nhiệm vụ còn lại của chương trình.")]
    head = head_of(org.pk, end)
    return OfficialDocument(
        superior=org.parent.name if org.parent else "",
        issuer=org.short_name or org.name,
        number="",
        place_date=place_date(locality(org.name), end),
        kind="BÁO CÁO",
        subject=("tổng kết" if final else "sơ kết") + f" thực hiện {program.title[0].lower()}{program.title[1:]}",
        blocks=blocks,
        signatures=[Signature("BÍ THƯ", head.full_name if head else "", AUTHORITY.get(org.kind, "T/M ĐẢNG ỦY"))],
        recipients=[f"{org.parent.name} (để báo cáo)" if org.parent else "Cấp trên (để báo cáo)", "Lưu Văn phòng"],
    )
