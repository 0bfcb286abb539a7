"""Pages of action programs: an organisation's dashboard, a program with its objectives, indicators and task tree,
a task with its reports, status history and cascade, and the tracking table in Excel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import handle_form
from dongthuan.core.http import (
    CONTENT_TYPES,
    HtmxHttpRequest,
    attachment_header,
    file_response,
    file_stem,
    int_param,
)
from dongthuan.programs import charts, exports, periods, selectors, services
from dongthuan.programs.forms import (
    IndicatorForm,
    IndicatorValueForm,
    ObjectiveForm,
    ProgramForm,
    ReportForm,
    ReviewForm,
    StatusForm,
    TaskForm,
)
from dongthuan.programs.models import Program, Task
from dongthuan.programs.permissions import (
    can_create_program,
    can_manage_program,
    can_report_task,
    can_view_task,
    evidence_for_user,
    indicator_for_manager,
    organization_for_dashboard,
    organization_for_program_creator,
    program_for_manager,
    program_for_user,
    task_for_reporter,
    task_for_user,
)
from dongthuan.programs.review import review_document
from dongthuan.writer.official import to_docx


def _period_choices(program: Program) -> list[tuple[str, str]]:
    today = timezone.localdate()
    return [
        (end.isoformat(), periods.label(program.report_every, end))
        for end in periods.open_periods(program.report_every, today)
        if end >= program.starts_on and periods.bounds(program.report_every, end)[0] <= program.ends_on
    ]


@login_required
def dashboard(request: HtmxHttpRequest, org_pk: int) -> HttpResponse:
    org = organization_for_dashboard(request.user, org_pk)
    board = selectors.dashboard(org)
    context = {
        "org": org,
        "board": board,
        "status_chart": charts.status_bars(board.status_rows),
        "can_create": can_create_program(request.user, org),
        "today": timezone.localdate(),
    }
    return render(request, "programs/dashboard.html", context)


@login_required
def program_create(request: HtmxHttpRequest, org_pk: int) -> HttpResponse:
    org = organization_for_program_creator(request.user, org_pk)
    initial: dict[str, Any] = {"report_every": "quarter"}
    carries = int_param(request.GET.get("carries"))
    if carries:
        initial["carries"] = carries
    form = ProgramForm(request.POST or None, organization=org, initial=initial)
    return handle_form(
        request,
        form,
        template="programs/program_form.html",
        context={"org": org},
        write=lambda d: services.program_create(actor=request.user, organization=org, **d),
        done=lambda program: (_("Đã tạo chương trình."), program.get_absolute_url()),
    )


@login_required
def program_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    program = program_for_user(request.user, pk)
    page = selectors.program_page(program)
    manage = can_manage_program(request.user, program)
    context: dict[str, Any] = {
        "program": program,
        "page": page,
        "can_manage": manage,
        "today": timezone.localdate(),
    }
    context["periods"] = _period_choices(program)
    if manage:
        # Three forms on one page: each names its fields' ids apart (all have a "title" or a "name").
        context["objective_form"] = ObjectiveForm(auto_id="objective-%s")
        context["indicator_form"] = IndicatorForm(program=program, auto_id="indicator-%s")
        context["task_form"] = TaskForm(program=program, auto_id="task-%s")
    return render(request, "programs/program.html", context)


def _program_post(request: HtmxHttpRequest, pk: int, make_form: Any, write: Any, message: str) -> HttpResponse:
    """Add an objective, an indicator or a task from the program's page; a refusal shows the form again."""
    program = program_for_manager(request.user, pk)
    return handle_form(
        request,
        make_form(program, request.POST),
        template="programs/form_page.html",
        context={"program": program},
        write=lambda d: write(program, d),
        done=lambda _result: (message, program.get_absolute_url()),
    )


@login_required
@require_POST
def objective_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _program_post(
        request,
        pk,
        lambda program, data: ObjectiveForm(data, auto_id="objective-%s"),
        lambda program, d: services.objective_add(actor=request.user, program=program, **d),
        _("Đã thêm mục tiêu."),
    )


@login_required
@require_POST
def indicator_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _program_post(
        request,
        pk,
        lambda program, data: IndicatorForm(data, program=program, auto_id="indicator-%s"),
        lambda program, d: services.indicator_add(actor=request.user, **d),
        _("Đã thêm chỉ tiêu."),
    )


@login_required
@require_POST
def task_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def write(program: Program, d: dict[str, Any]) -> Task:
        return services.task_create(actor=request.user, program=program, **d)

    return _program_post(
        request,
        pk,
        lambda program, data: TaskForm(data, program=program, auto_id="task-%s"),
        write,
        _("Đã giao nhiệm vụ."),
    )


@login_required
@require_POST
def indicator_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_for_manager(request.user, pk)
    program = indicator.objective.program
    return handle_form(
        request,
        IndicatorValueForm(request.POST, unit=indicator.unit, periods=_period_choices(program)),
        template="programs/form_page.html",
        context={"program": program, "indicator": indicator},
        write=lambda d: services.indicator_record(
            actor=request.user,
            indicator=indicator,
            period_end=dt.date.fromisoformat(d["period_end"]),
            value=d["value"],
            note=d["note"],
        ),
        done=lambda _value: (_("Đã ghi giá trị chỉ tiêu."), program.get_absolute_url()),
    )


@login_required
def task_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    reporter = can_report_task(request.user, task)
    context: dict[str, Any] = {
        "task": task,
        "ancestors": selectors.ancestors(task),
        "children": [t for t in selectors.task_children(task) if can_view_task(request.user, t)],
        "reports": selectors.task_reports(task),
        "changes": list(task.status_changes.select_related("actor")),
        "coordinators": list(task.coordinators.all()),
        "carried_by": list(task.programs.select_related("organization")),
        "can_report": reporter,
        "can_cascade": task.organization_id != task.program.organization_id
        and can_create_program(request.user, task.organization),
        "today": timezone.localdate(),
    }
    if reporter:
        context["report_form"] = ReportForm(periods=_period_choices(task.program))
        context["status_form"] = StatusForm()
    return render(request, "programs/task.html", context)


@login_required
@require_POST
def task_report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    task = task_for_reporter(request.user, pk)
    return handle_form(
        request,
        ReportForm(request.POST, request.FILES, periods=_period_choices(task.program)),
        template="programs/form_page.html",
        context={"task": task},
        write=lambda d: services.task_report_progress(
            actor=request.user,
            task=task,
            period_end=dt.date.fromisoformat(d["period_end"]),
            progress=d["progress"],
            narrative=d["narrative"],
            evidence=[(f.name, f.read()) for f in d["evidence"]],
        ),
        done=lambda _report: (_("Đã ghi báo cáo tiến độ."), task.get_absolute_url()),
    )


@login_required
@require_POST
def task_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    task = task_for_reporter(request.user, pk)
    return handle_form(
        request,
        StatusForm(request.POST),
        template="programs/form_page.html",
        context={"task": task},
        write=lambda d: services.task_set_status(actor=request.user, task=task, **d),
        done=lambda _task: (_("Đã chuyển trạng thái nhiệm vụ."), task.get_absolute_url()),
    )


@login_required
def tracking_export(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    program = program_for_user(request.user, pk)
    body = exports.tracking_xlsx(program, lambda t: can_view_task(request.user, t))
    return file_response(body, "xlsx", file_stem(f"theo-doi {program.title}"))


@login_required
def review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Sơ kết / tổng kết: the form, then the report as Word once the dates are given."""
    program = program_for_user(request.user, pk)
    today = timezone.localdate()
    initial = {"kind": "interim", "start": program.starts_on, "end": min(today, program.ends_on)}
    form = ReviewForm(request.GET if "end" in request.GET else None, initial=initial)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        document = review_document(program, d["start"], d["end"], final=d["kind"] == "final")
        stem = file_stem(f"{'tong-ket' if d['kind'] == 'final' else 'so-ket'} {program.title}")
        return file_response(to_docx(document), "docx", stem)
    status = 400 if form.is_bound else 200
    return render(request, "programs/review.html", {"program": program, "form": form}, status=status)


@login_required
def evidence(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A file attached to a report, for whoever may see the task."""
    found = evidence_for_user(request.user, pk)
    response = HttpResponse(found.content, content_type=CONTENT_TYPES[found.kind])
    stem = file_stem(found.name.rsplit(".", 1)[0]) or "minh-chung"
    response["Content-Disposition"] = attachment_header(stem, found.kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response
