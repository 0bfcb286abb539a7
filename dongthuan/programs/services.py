"""Writes of action programs: programs, objectives, indicators and their values, tasks with one answerable person,
status changes with a reason, periodic reports whose progress rolls up the cascade, and tasks following their
organisation through a reorganisation.

Roll-up: a task with children keeps the sum of their weights and of their weighted progress. A report on a leaf
changes its parent's sums by the difference, the parent's progress becomes sum / weight, and the change goes up one
parent at a time — a handful of rows for a report, whatever the size of the program. ``Tally`` (the counts per
organisation, field and status) is changed by the same differences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict, Unpack

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record
from dongthuan.core.errors import ConflictError, ErrorCode, InputError, StateError
from dongthuan.core.text import nfc, number_text
from dongthuan.core.types import Actor, JSONValue
from dongthuan.documents.models import Document
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.people.selectors import head_of
from dongthuan.programs import periods
from dongthuan.programs.evidence import MAX_FILES as MAX_EVIDENCE
from dongthuan.programs.evidence import checked as checked_evidence
from dongthuan.programs.models import (
    CLOSED_STATUSES,
    Computation,
    Direction,
    Evidence,
    Field,
    Indicator,
    IndicatorValue,
    Objective,
    Program,
    ProgressReport,
    StatusChange,
    Tally,
    Task,
    TaskStatus,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _text(value: str, label: str, limit: int, required: bool = True) -> str:
    value = nfc(value or "").strip()
    if required and not value:
        raise InputError({"title": [_("Hãy ghi %(what)s.") % {"what": label}]}, code=ErrorCode.PROGRAM_TEXT_REQUIRED)
    if len(value) > limit:
        raise InputError(
            _("%(what)s dài tối đa %(n)s ký tự.") % {"what": label.capitalize(), "n": limit},
            code=ErrorCode.PROGRAM_TEXT_TOO_LONG,
            data={"limit": limit},
        )
    return value


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- programs, objectives, indicators --------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    report_every: str = "quarter",
    implements: Document | None = None,
    carries: Task | None = None,
) -> Program:
    """A program of ``organization``, carrying out a resolution (``implements``) and/or an upper level's task
    assigned to it (``carries``: the program's tasks become that task's children)."""
    title = _text(title, _("tên chương trình"), 500)
    if ends_on < starts_on:
        raise InputError(
            {"ends_on": [_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")]}, code=ErrorCode.PROGRAM_DATES_REVERSED
        )
    if report_every not in periods.MONTHS:
        raise InputError({"report_every": [_("Kỳ báo cáo không đúng.")]}, code=ErrorCode.INVALID)
    if carries is not None:
        if carries.organization_id != organization.pk:
            raise InputError(
                {
                    "carries": [
                        _("Nhiệm vụ này giao cho %(org)s, không phải cho cấp ủy này.")
                        % {"org": carries.organization.name}
                    ]
                },
                code=ErrorCode.PROGRAM_TASK_ELSEWHERE,
            )
        if carries.status in CLOSED_STATUSES:
            raise StateError({"carries": [_("Nhiệm vụ cấp trên đã kết thúc.")]}, code=ErrorCode.PROGRAM_TASK_CLOSED)
    program = Program.objects.create(
        organization=organization,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        report_every=report_every,
        implements=implements,
        carries=carries,
    )
    audit_record(actor=actor, action="program_create", obj=program, changes={"title": title})
    return program


@transaction.atomic
def objective_add(*, actor: Actor, program: Program, field: Field, title: str) -> Objective:
    title = _text(title, _("mục tiêu"), 500)
    order = program.objectives.count() + 1
    objective = Objective.objects.create(program=program, field=field, title=title, order=order)
    audit_record(actor=actor, action="objective_add", obj=objective, changes={"title": title, "field": field.name})
    return objective


@transaction.atomic
def indicator_add(
    *,
    actor: Actor,
    objective: Objective,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    deadline: dt.date,
    direction: str = Direction.HIGHER,
    computation: str = Computation.LATEST,
) -> Indicator:
    name = _text(name, _("tên chỉ tiêu"), 300)
    unit = _text(unit, _("đơn vị tính"), 30)
    baseline, target = _amount(baseline, "baseline"), _amount(target, "target")
    if direction == Direction.HIGHER and target <= baseline:
        raise InputError(
            {"target": [_("Chỉ tiêu càng cao càng tốt: mức đề ra phải cao hơn giá trị ban đầu.")]},
            code=ErrorCode.INDICATOR_TARGET_DIRECTION,
        )
    if direction == Direction.LOWER and target >= baseline:
        raise InputError(
            {"target": [_("Chỉ tiêu càng thấp càng tốt: mức đề ra phải thấp hơn giá trị ban đầu.")]},
            code=ErrorCode.INDICATOR_TARGET_DIRECTION,
        )
    if unit == "%" and not (0 <= baseline <= HUNDRED and 0 <= target <= HUNDRED):
        raise InputError(
            {"target": [_("Chỉ tiêu tính bằng % phải từ 0 đến 100.")]}, code=ErrorCode.PROGRAM_PERCENT_RANGE
        )
    indicator = Indicator.objects.create(
        objective=objective,
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
        deadline=deadline,
        direction=direction,
        computation=computation,
    )
    audit_record(actor=actor, action="indicator_add", obj=indicator, changes={"name": name, "target": str(target)})
    return indicator


LARGEST = Decimal("1e14")  # the indicator columns hold 16 digits, 2 of them decimals


def _amount(value: Decimal, field: str) -> Decimal:
    """A quantity as stored: two decimals, within the columns' size."""
    if abs(value) >= LARGEST or value != value.quantize(CENT):
        raise InputError(
            {field: [_("Nhập số nhỏ hơn 10^14, tối đa 2 chữ số sau dấu phẩy.")]},
            code=ErrorCode.PROGRAM_NUMBER_TOO_LARGE,
        )
    return value


def _check_period(program: Program, end: dt.date, today: dt.date) -> dt.date:
    """The last day of the period holding ``end``, refused when the period is not open for reports."""
    start, last = periods.bounds(program.report_every, end)
    what = periods.label(program.report_every, last)
    if last < program.starts_on or start > program.ends_on:
        raise InputError(
            {"period_end": [_("%(period)s nằm ngoài thời gian của chương trình.") % {"period": what}]},
            code=ErrorCode.REPORT_PERIOD_OUTSIDE,
        )
    if today < start:
        raise StateError(
            {"period_end": [_("%(period)s chưa bắt đầu.") % {"period": what}]}, code=ErrorCode.REPORT_PERIOD_NOT_STARTED
        )
    if today > periods.closes_on(last):
        raise StateError(
            {
                "period_end": [
                    _("Kỳ %(period)s đã khóa sổ ngày %(day)s; không nhận báo cáo cho kỳ này nữa.")
                    % {"period": what, "day": _date_text(periods.closes_on(last))}
                ]
            },
            code=ErrorCode.REPORT_PERIOD_CLOSED,
        )
    return last


@transaction.atomic
def indicator_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period_end: dt.date,
    value: Decimal,
    note: str = "",
    on: dt.date | None = None,
) -> IndicatorValue:
    """The value an indicator reached in a period (replacing the one recorded for the same period); ``on`` is the
    day it is recorded (today unless it is entered from paper)."""
    indicator = Indicator.objects.select_for_update().select_related("objective__program").get(pk=indicator.pk)
    program = indicator.objective.program
    end = _check_period(program, period_end, on or timezone.localdate())
    value = _amount(value, "value")
    if indicator.unit == "%" and not (0 <= value <= HUNDRED):
        raise InputError({"value": [_("Giá trị tính bằng % phải từ 0 đến 100.")]}, code=ErrorCode.PROGRAM_PERCENT_RANGE)
    if value < 0 and indicator.baseline >= 0 and indicator.target >= 0:
        raise InputError({"value": [_("Giá trị không được âm.")]}, code=ErrorCode.INDICATOR_NEGATIVE_VALUE)
    found, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        on=end,
        defaults={"value": value, "note": _text(note, _("ghi chú"), 500, required=False), "recorded_by": _user(actor)},
    )
    values = IndicatorValue.objects.filter(indicator=indicator)
    if indicator.computation == Computation.SUM:
        indicator.current = sum((v for v in values.values_list("value", flat=True)), Decimal(0))
        if abs(indicator.current) >= LARGEST:
            raise InputError(
                {"value": [_("Tổng các kỳ vượt quá giới hạn lưu trữ.")]}, code=ErrorCode.PROGRAM_NUMBER_TOO_LARGE
            )
    else:
        indicator.current = values.order_by("-on").values_list("value", flat=True).first()
    indicator.save(update_fields=["current"])
    audit_record(actor=actor, action="indicator_record", obj=indicator, changes={"on": str(end), "value": str(value)})
    return found


def _moment(on: dt.date | None) -> dt.datetime:
    """Now, or noon of ``on`` in the site's time zone."""
    if on is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


# --- tasks ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    """What a task adds to its organisation's tally."""

    organization_id: int
    field_id: int | None
    status: str
    leaf: bool
    weight: int
    progress: Decimal

    @classmethod
    def of(cls, task: Task) -> _Count:
        return cls(task.organization_id, task.field_id, task.status, task.is_leaf, task.weight, Decimal(task.progress))


def _deltas(count: _Count, sign: int, into: dict[str, int | Decimal]) -> None:
    """What ``count`` adds (``sign`` 1) or takes away (-1) from its tally row, added to ``into``."""
    into[count.status] = into.get(count.status, 0) + sign
    if count.leaf and count.status != TaskStatus.CANCELLED:  # a cancelled task is out of the averages
        into["leaf_weight"] = into.get("leaf_weight", 0) + sign * count.weight
        into["leaf_sum"] = into.get("leaf_sum", Decimal(0)) + sign * count.weight * count.progress


def _apply(organization_id: int, field_id: int | None, deltas: dict[str, int | Decimal]) -> None:
    """One UPDATE of the organisation's tally row for the field; the row is made the first time."""
    changes = {name: F(name) + value for name, value in deltas.items() if value}
    if not changes:
        return
    row = Tally.objects.filter(organization_id=organization_id, field_id=field_id)  # type: ignore[misc]
    if not row.update(**changes):
        Tally.objects.get_or_create(organization_id=organization_id, field_id=field_id)  # type: ignore[misc]
        row.update(**changes)


def _retally(before: _Count | None, after: _Count | None) -> None:
    """Move a task's contribution from what it was to what it is: one statement when it stays in the same row."""
    if before == after:
        return
    rows: dict[tuple[int, int | None], dict[str, int | Decimal]] = {}
    for count, sign in ((before, -1), (after, 1)):
        if count is not None:
            _deltas(count, sign, rows.setdefault((count.organization_id, count.field_id), {}))
    for (organization_id, field_id), deltas in rows.items():
        _apply(organization_id, field_id, deltas)


def _roll_up(task: Task, weight_change: int, sum_change: Decimal, at: dt.datetime | None = None) -> None:
    """``task``'s children changed their weights and weighted progress by these amounts: its progress follows (a
    task not yet started is started once its children make progress), and the change goes on to its parent."""
    while task is not None and (weight_change or sum_change):
        task = Task.objects.select_for_update().get(pk=task.pk)
        before = _Count.of(task)
        old = Decimal(task.progress)
        task.children_weight += weight_change
        task.children_sum = Decimal(task.children_sum) + sum_change
        if task.children_weight:
            task.progress = (Decimal(task.children_sum) / task.children_weight).quantize(CENT)
        if task.status == TaskStatus.NOT_STARTED and task.progress > 0:
            _start(task, _("Các nhiệm vụ con đã triển khai"), None, at or timezone.now())
        task.save(update_fields=["children_weight", "children_sum", "progress", "status"])
        _retally(before, _Count.of(task))
        weight_change, sum_change = 0, task.weight * (Decimal(task.progress) - old)
        parent_id = task.parent_id if task.status != TaskStatus.CANCELLED else None  # a cancelled task counts no more
        task = Task(pk=parent_id) if parent_id else None  # type: ignore[assignment]


def _check_task_fields(
    program: Program, organization: Organization, starts_on: dt.date, due_on: dt.date, weight: int
) -> None:
    if due_on < starts_on:
        raise InputError(
            {"due_on": [_("Hạn hoàn thành phải từ ngày bắt đầu trở đi.")]}, code=ErrorCode.PROGRAM_DATES_REVERSED
        )
    if due_on > program.ends_on:
        raise InputError(
            {
                "due_on": [
                    _("Hạn hoàn thành sau khi chương trình kết thúc (%(day)s).") % {"day": _date_text(program.ends_on)}
                ]
            },
            code=ErrorCode.TASK_DUE_AFTER_PROGRAM,
        )
    if not organization.path.startswith(program.organization.path):
        raise InputError(
            {
                "organization": [
                    _("Đơn vị chủ trì phải là %(org)s hoặc đơn vị trực thuộc.") % {"org": program.organization.name}
                ]
            },
            code=ErrorCode.TASK_OUTSIDE_ORGANIZATION,
        )
    if not 1 <= weight <= 100:
        raise InputError({"weight": [_("Trọng số từ 1 đến 100.")]}, code=ErrorCode.TASK_WEIGHT_RANGE)


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    program: Program,
    title: str,
    organization: Organization,
    responsible: Person | list[Person] | None,
    starts_on: dt.date,
    due_on: dt.date,
    objective: Objective | None = None,
    parent: Task | None = None,
    coordinators: Iterable[Organization] = (),
    deliverable: str = "",
    weight: int = 1,
) -> Task:
    """A task with exactly one answerable person. In a program carrying an upper level's task, a task without a
    parent is a child of that task."""
    title = _text(title, _("tên nhiệm vụ"), 500)
    responsible = _one_responsible(responsible)
    _check_task_fields(program, organization, starts_on, due_on, weight)
    if objective is not None and objective.program_id != program.pk:
        raise InputError({"objective": [_("Mục tiêu không thuộc chương trình này.")]}, code=ErrorCode.NOT_IN_PROGRAM)
    parent = parent or program.carries
    if parent is not None and parent.program_id != program.pk and parent.pk != program.carries_id:
        raise InputError(
            {"parent": [_("Nhiệm vụ cấp trên không thuộc chương trình này.")]}, code=ErrorCode.NOT_IN_PROGRAM
        )
    if parent is not None and parent.status in CLOSED_STATUSES:
        raise StateError({"parent": [_("Nhiệm vụ cấp trên đã kết thúc.")]}, code=ErrorCode.PROGRAM_TASK_CLOSED)
    field = objective.field if objective is not None else (parent.field if parent is not None else None)
    task = Task.objects.create(
        program=program,
        objective=objective,
        field=field,
        parent=parent,
        title=title,
        organization=organization,
        responsible=responsible,
        starts_on=starts_on,
        due_on=due_on,
        deliverable=_text(deliverable, _("sản phẩm"), 300, required=False),
        weight=weight,
    )
    others = [o for o in coordinators if o.pk != organization.pk]
    if others:
        task.coordinators.set(others)
    _retally(None, _Count.of(task))
    if parent is not None:
        _roll_up(parent, weight, Decimal(0))
    audit_record(
        actor=actor,
        action="task_create",
        obj=task,
        changes={"title": title, "organization": organization.name, "responsible": responsible.full_name},
    )
    return task


TASK_EDITABLE = ("title", "responsible", "starts_on", "due_on", "deliverable", "weight")


class TaskChanges(TypedDict, total=False):
    """What ``task_update`` may change (``TASK_EDITABLE``): any of these, the rest stays as it is."""

    title: str
    responsible: Person | list[Person] | None
    starts_on: dt.date
    due_on: dt.date
    deliverable: str
    weight: int


class _TaskFields(TypedDict):
    """A task's editable fields, every one of them, as they are or are to be."""

    title: str
    responsible: Person
    starts_on: dt.date
    due_on: dt.date
    deliverable: str
    weight: int


@transaction.atomic
def task_update(*, actor: Actor, task: Task, **changes: Unpack[TaskChanges]) -> Task:
    """Change what a task is (title, answerable person, dates, deliverable, weight): not where it sits in the
    cascade. A new weight changes the parent's roll-up by the difference."""
    task = Task.objects.select_for_update().select_related("program", "organization").get(pk=task.pk)
    unknown = set(changes) - set(TASK_EDITABLE)
    if unknown:
        raise InputError(
            _("Không sửa được: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code=ErrorCode.INVALID
        )
    before: _TaskFields = {
        "title": task.title,
        "responsible": task.responsible,
        "starts_on": task.starts_on,
        "due_on": task.due_on,
        "deliverable": task.deliverable,
        "weight": task.weight,
    }
    data: _TaskFields = {
        "title": _text(changes.get("title", before["title"]), _("tên nhiệm vụ"), 500),
        "deliverable": _text(changes.get("deliverable", before["deliverable"]), _("sản phẩm"), 300, required=False),
        "responsible": _one_responsible(changes.get("responsible", before["responsible"])),
        "starts_on": changes.get("starts_on", before["starts_on"]),
        "due_on": changes.get("due_on", before["due_on"]),
        "weight": changes.get("weight", before["weight"]),
    }
    _check_task_fields(task.program, task.organization, data["starts_on"], data["due_on"], data["weight"])
    if data == before:
        return task
    counted = _Count.of(task)
    old_weight = task.weight
    task.title, task.responsible, task.deliverable = data["title"], data["responsible"], data["deliverable"]
    task.starts_on, task.due_on, task.weight = data["starts_on"], data["due_on"], data["weight"]
    task.save(update_fields=list(TASK_EDITABLE))
    _retally(counted, _Count.of(task))
    if task.parent_id and task.weight != old_weight and task.status != TaskStatus.CANCELLED:
        change = task.weight - old_weight
        _roll_up(Task(pk=task.parent_id), change, change * Decimal(task.progress))
    old, new = dict(before), dict(data)
    audit_record(
        actor=actor,
        action="task_update",
        obj=task,
        changes={k: [str(old[k]), str(new[k])] for k in TASK_EDITABLE if old[k] != new[k]},
    )
    return task


def _one_responsible(responsible: Person | list[Person] | None) -> Person:
    """Glossary: collective leadership, individual responsibility — one answerable person per task, never none
    and never two."""
    if isinstance(responsible, list):
        if len(responsible) > 1:
            raise InputError(
                {
                    "responsible": [
                        _("Mỗi nhiệm vụ chỉ có một cá nhân phụ trách; đã chọn %(n)s người.") % {"n": len(responsible)}
                    ]
                },
                code=ErrorCode.TASK_ONE_RESPONSIBLE,
                data={"count": len(responsible)},
            )
        responsible = responsible[0] if responsible else None
    if responsible is None:
        raise InputError(
            {"responsible": [_("Hãy chọn cá nhân phụ trách nhiệm vụ.")]}, code=ErrorCode.TASK_ONE_RESPONSIBLE
        )
    return responsible


@transaction.atomic
def task_set_status(*, actor: Actor, task: Task, status: str, reason: str, on: dt.date | None = None) -> Task:
    """Change a task's status, with the reason kept in its history (``on``: the day, when entered from paper)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if status not in TaskStatus.values:
        raise InputError({"status": [_("Trạng thái không đúng.")]}, code=ErrorCode.INVALID)
    if status == task.status:
        raise StateError({"status": [_("Nhiệm vụ đã ở trạng thái này.")]}, code=ErrorCode.TASK_SAME_STATUS)
    reason = _text(reason, _("lý do"), 500)
    if status == TaskStatus.DONE and task.progress < HUNDRED:
        raise StateError(
            {
                "status": [
                    _("Tiến độ mới đạt %(p)s%%; chỉ chuyển sang Hoàn thành khi đạt 100%%.")
                    % {"p": number_text(task.progress)}
                ]
            },
            code=ErrorCode.TASK_PROGRESS_INCOMPLETE,
        )
    before = _Count.of(task)
    StatusChange.objects.create(
        task=task, from_status=task.status, to_status=status, reason=reason, actor=_user(actor), at=_moment(on)
    )
    old = task.status
    task.status = status
    task.save(update_fields=["status"])
    _retally(before, _Count.of(task))
    if task.parent_id and TaskStatus.CANCELLED in (old, status):  # a cancelled task leaves its parent's average
        sign = -1 if status == TaskStatus.CANCELLED else 1
        _roll_up(Task(pk=task.parent_id), sign * task.weight, sign * task.weight * Decimal(task.progress))
    audit_record(actor=actor, action="task_set_status", obj=task, changes={"status": [old, status]}, note=reason)
    return task


@transaction.atomic
def task_report_progress(
    *,
    actor: Actor,
    task: Task,
    period_end: dt.date,
    progress: Decimal,
    narrative: str,
    on: dt.date | None = None,
    evidence: Iterable[tuple[str, bytes]] = (),
) -> ProgressReport:
    """A periodic report on a task without children, with files as evidence (``evidence``: name and content): its
    progress rolls up to every task above it. Reporting again for the same period corrects the report (files are
    added to those already there). ``on`` is the day of the report (today unless entered from paper)."""
    files = checked_evidence(list(evidence))
    task = Task.objects.select_for_update().select_related("program").get(pk=task.pk)
    if not task.is_leaf:
        raise StateError(
            _("Tiến độ của nhiệm vụ này tính từ các nhiệm vụ con; hãy báo cáo ở nhiệm vụ con."),
            code=ErrorCode.TASK_PROGRESS_FROM_CHILDREN,
        )
    if task.status == TaskStatus.CANCELLED:
        raise StateError(_("Nhiệm vụ đã hủy bỏ."), code=ErrorCode.PROGRAM_TASK_CLOSED)
    if not (0 <= progress <= HUNDRED):
        raise InputError({"progress": [_("Tiến độ phải từ 0 đến 100%.")]}, code=ErrorCode.PROGRAM_PERCENT_RANGE)
    narrative = _text(narrative, _("kết quả thực hiện"), 5000)
    end = _check_period(task.program, period_end, on or timezone.localdate())
    at = _moment(on)
    values = {"progress": progress, "narrative": narrative, "reported_by": _user(actor), "reported_at": at}
    report = ProgressReport.objects.filter(task=task, period_end=end).first()  # the task's row is locked: no race
    if report is None:
        report = ProgressReport.objects.create(task=task, period_end=end, **values)
    else:
        for name, value in values.items():
            setattr(report, name, value)
        report.save(update_fields=list(values))
    if files and report.evidence.count() + len(files) > MAX_EVIDENCE:
        raise InputError(
            {"evidence": [_("Mỗi báo cáo kèm tối đa %(n)s tệp.") % {"n": MAX_EVIDENCE}]},
            code=ErrorCode.FILES_TOO_MANY,
            data={"limit": MAX_EVIDENCE},
        )
    Evidence.objects.bulk_create(
        [Evidence(report=report, name=n, kind=k, size=len(c), content=c, uploaded_at=at) for n, k, c in files]
    )
    latest = ProgressReport.objects.filter(task=task).order_by("-period_end").values_list("period_end", flat=True)[0]
    if latest == end:  # a late correction of an earlier period leaves the current progress as it is
        before = _Count.of(task)
        old = Decimal(task.progress)
        task.progress = progress.quantize(CENT)
        task.reported_at = at
        if task.status == TaskStatus.NOT_STARTED and progress > 0:
            period = periods.label(task.program.report_every, end)
            _start(task, _("Báo cáo tiến độ kỳ %(period)s") % {"period": period}, actor, at)
        task.save(update_fields=["progress", "reported_at", "status"])
        _retally(before, _Count.of(task))
        if task.parent_id:
            _roll_up(Task(pk=task.parent_id), 0, task.weight * (task.progress - old), at)
    audit_record(
        actor=actor, action="task_report_progress", obj=task, changes={"period": str(end), "progress": str(progress)}
    )
    return report


def _start(task: Task, reason: str, actor: Actor, at: dt.datetime) -> None:
    """A task not started is on track once progress is reported on it or below it (the caller saves it)."""
    StatusChange.objects.create(
        task=task, from_status=task.status, to_status=TaskStatus.ON_TRACK, reason=reason, actor=_user(actor), at=at
    )
    task.status = TaskStatus.ON_TRACK


@transaction.atomic
def task_move(*, actor: Actor, task: Task, parent: Task | None) -> Task:
    """Put a task under another task of its program (or at its top): refused when that would make a circle."""
    task = Task.objects.select_for_update().select_related("program").get(pk=task.pk)
    if parent is not None:
        if parent.program_id != task.program_id and parent.pk != task.program.carries_id:
            raise InputError(
                {"parent": [_("Nhiệm vụ cấp trên không thuộc chương trình này.")]}, code=ErrorCode.NOT_IN_PROGRAM
            )
        ancestor: Task | None = parent
        depth = 0
        while ancestor is not None:
            if ancestor.pk == task.pk:
                raise ConflictError(
                    {"parent": [_("Không thể đặt nhiệm vụ dưới chính nó hoặc dưới một nhiệm vụ con của nó.")]},
                    code=ErrorCode.TASK_CYCLE,
                )
            ancestor = ancestor.parent if ancestor.parent_id else None
            depth += 1
            if depth > 50:
                raise InputError({"parent": [_("Chuỗi nhiệm vụ cấp trên quá dài.")]}, code=ErrorCode.TASK_TOO_DEEP)
    elif task.program.carries_id:
        parent = task.program.carries
    if (parent.pk if parent else None) == task.parent_id:
        return task
    counted = task.status != TaskStatus.CANCELLED  # a cancelled task is in no parent's average
    share = task.weight * Decimal(task.progress)
    if task.parent_id and counted:
        _roll_up(Task(pk=task.parent_id), -task.weight, -share)
    old_parent = task.parent_id
    task.parent = parent
    task.save(update_fields=["parent"])
    if parent is not None and counted:
        _roll_up(parent, task.weight, share)
    audit_record(
        actor=actor, action="task_move", obj=task, changes={"parent": [old_parent, parent.pk if parent else None]}
    )
    return task


# --- reorganisation ---------------------------------------------------------------------------------------------


def _recount(organization_ids: Iterable[int]) -> None:
    """Count the tally of these organisations again from their tasks (after a reorganisation moved many)."""
    from django.db.models import Count, Q, Sum

    ids = list(organization_ids)
    Tally.objects.filter(organization_id__in=ids).delete()
    rows = (
        Task.objects.filter(organization_id__in=ids)
        .values("organization_id", "field_id")
        .annotate(
            w=Sum("weight", filter=Q(children_weight=0) & ~Q(status="cancelled"), default=0),
            s=Sum(
                F("weight") * F("progress"), filter=Q(children_weight=0) & ~Q(status="cancelled"), default=Decimal(0)
            ),
            **{status: Count("id", filter=Q(status=status)) for status in TaskStatus.values},
        )
        .order_by()
    )
    tallies = []
    for r in rows:
        counts: Mapping[str, object] = r  # the statuses' counts, annotated under the statuses' names
        tallies.append(
            Tally(
                organization_id=r["organization_id"],
                field_id=r["field_id"],
                leaf_weight=r["w"],
                leaf_sum=r["s"],
                **{status: counts[status] for status in TaskStatus.values},
            )
        )
    Tally.objects.bulk_create(tallies, batch_size=2000)


def follow_reorganisation(event: object, successors: dict[int, int], on: dt.date) -> dict[str, JSONValue]:
    """Restructuring hook: the open tasks and the programs of a merged or dissolved organisation go to its successor,
    if their program still runs on the day (a finished program's tasks are history and stay where they were)."""
    moved_tasks: list[JSONValue] = []
    moved_programs: list[JSONValue] = []
    for predecessor, successor in successors.items():
        if predecessor == successor:
            continue
        running = Task.objects.filter(organization_id=predecessor, program__ends_on__gte=on)
        tasks = list(running.exclude(status__in=CLOSED_STATUSES).values_list("pk", flat=True))
        programs = list(
            Program.objects.filter(organization_id=predecessor, ends_on__gte=on).values_list("pk", flat=True)
        )
        Task.objects.filter(pk__in=tasks).update(organization_id=successor)
        Program.objects.filter(pk__in=programs).update(organization_id=successor)
        moved_tasks += [[pk, predecessor] for pk in tasks]
        moved_programs += [[pk, predecessor] for pk in programs]
    if moved_tasks:
        _recount(set(successors) | set(successors.values()))
    return {
        "moved": {"tasks": moved_tasks, "programs": moved_programs},
        "successors": {str(k): v for k, v in successors.items()},
    }


def _pairs(value: object) -> list[tuple[int, int]]:
    """``[[pk, predecessor], …]`` as ``follow_reorganisation`` stored them."""
    if not isinstance(value, list):
        return []
    return [(int(pair[0]), int(pair[1])) for pair in value if isinstance(pair, list) and len(pair) == 2]


def _mapping(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def restore_reorganisation(event: object, data: object) -> None:
    moved = _mapping(_mapping(data).get("moved"))
    for pk, predecessor in _pairs(moved.get("tasks")):
        Task.objects.filter(pk=pk).update(organization_id=predecessor)
    for pk, predecessor in _pairs(moved.get("programs")):
        Program.objects.filter(pk=pk).update(organization_id=predecessor)
    successors = {int(k): int(str(v)) for k, v in _mapping(_mapping(data).get("successors")).items()}
    if moved.get("tasks"):
        _recount(set(successors) | set(successors.values()))


# --- follow-up: overdue tasks and reminders (manage.py program_reminders, daily) ----------------------------------


def superior_of(task: Task, on: dt.date) -> Person | None:
    """Whom a late task is escalated to: the head of its lead organisation, or, when the answerable person is that
    head, the head of the organisation above."""
    head = head_of(task.organization_id, on)
    if head is not None and head.pk != task.responsible_id:
        return head
    return head_of(task.organization.parent_id, on)


@transaction.atomic
def tasks_flag_overdue(*, on: dt.date | None = None) -> list[Task]:
    """Open tasks past their due date become late, the day kept in their history; returns them."""
    on = on or timezone.localdate()
    open_statuses = [TaskStatus.NOT_STARTED, TaskStatus.ON_TRACK, TaskStatus.AT_RISK]
    overdue = list(
        Task.objects.select_for_update()
        .filter(due_on__lt=on, status__in=open_statuses)
        .select_related("organization", "responsible")
        .order_by("id")
    )
    at = _moment(on)
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                task=t,
                from_status=t.status,
                to_status=TaskStatus.LATE,
                reason=_("Quá hạn hoàn thành (%(day)s)") % {"day": _date_text(t.due_on)},
                at=at,
            )
            for t in overdue
        ],
        batch_size=2000,
    )
    ids = [t.pk for t in overdue]
    for start in range(0, len(ids), 5000):
        Task.objects.filter(pk__in=ids[start : start + 5000]).update(status=TaskStatus.LATE)
    for t in overdue:
        t.status = TaskStatus.LATE
    if overdue:
        _recount({t.organization_id for t in overdue})
    return overdue


def _task_letter(task: Task, person: Person, kind: str) -> EmailMessage:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    url = settings.SITE_URL + reverse("programs:task", args=[task.pk])
    with translation.override("vi"):
        due = _date_text(task.due_on)
        if kind == "due":
            subject = _("Sắp đến hạn nhiệm vụ: %(title)s") % {"title": task.title}
            lead = _("Nhiệm vụ “%(title)s” do đồng chí phụ trách đến hạn ngày %(due)s; tiến độ hiện đạt %(p)s%%.")
        elif kind == "late":
            subject = _("Nhiệm vụ quá hạn: %(title)s") % {"title": task.title}
            lead = _("Nhiệm vụ “%(title)s” do đồng chí phụ trách đã quá hạn ngày %(due)s; tiến độ đạt %(p)s%%.")
        else:
            subject = _("Nhiệm vụ quá hạn trong đơn vị: %(title)s") % {"title": task.title}
            lead = _(
                "Nhiệm vụ “%(title)s” (%(org)s) do đồng chí %(name)s phụ trách đã quá hạn ngày %(due)s; tiến độ đạt "
                "%(p)s%%. Đề nghị đồng chí chỉ đạo."
            )
        body = "\n\n".join(
            [
                _("Kính gửi đồng chí %(name)s,") % {"name": person.full_name},
                lead
                % {
                    "title": task.title,
                    "due": due,
                    "p": number_text(task.progress),
                    "org": task.organization.name,
                    "name": task.responsible.full_name,
                },
                _("Xem và báo cáo tại: %(url)s") % {"url": url},
            ]
        )
    return EmailMessage(subject, body, to=[person.email])


def program_reminders(*, on: dt.date | None = None) -> tuple[int, int]:
    """The daily follow-up: open tasks past due become late and their answerable person and superior are told;
    answerable people of tasks due within ``TASK_REMINDER_DAYS`` days are reminded once per due date. Returns
    (tasks flagged late, emails sent)."""
    from django.conf import settings
    from django.core.mail import get_connection

    on = on or timezone.localdate()
    flagged = tasks_flag_overdue(on=on)
    letters = []
    for task in flagged:
        if task.responsible.email:
            letters.append(_task_letter(task, task.responsible, "late"))
        superior = superior_of(task, on)
        if superior is not None and superior.email:
            letters.append(_task_letter(task, superior, "escalated"))
    soon = (
        Task.objects.filter(
            due_on__gte=on,
            due_on__lte=on + dt.timedelta(days=settings.TASK_REMINDER_DAYS),
            status__in=[TaskStatus.NOT_STARTED, TaskStatus.ON_TRACK, TaskStatus.AT_RISK],
        )
        .exclude(reminded_on=F("due_on"))
        .select_related("organization", "responsible")
    )
    reminded = []
    for task in soon:
        reminded.append(task.pk)
        if task.responsible.email:
            letters.append(_task_letter(task, task.responsible, "due"))
    get_connection().send_messages(letters)
    Task.objects.filter(pk__in=reminded).update(reminded_on=F("due_on"))
    return len(flagged), len(letters)
