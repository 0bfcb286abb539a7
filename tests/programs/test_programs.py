"""Action programs: one answerable person per task, the cascade down the tree, weighted roll-up of reported
progress, reporting periods, status changes with reasons, indicators, the tallies dashboards read, and tasks
following a reorganisation."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dongthuan.core.errors import DomainError, ErrorCode, StateError
from dongthuan.programs import periods, selectors, services
from dongthuan.programs.models import Field, IndicatorValue, Program, ProgressReport, StatusChange, Tally, Task
from dongthuan.programs.quantities import parse_quantity
from dongthuan.restructuring import services as rs

D = Decimal


def _today():
    return timezone.localdate()


def _current_end(program):
    return periods.bounds(program.report_every, _today())[1]


def _program(org, carries=None, title="Chương trình hành động thực hiện Nghị quyết Đại hội"):
    today = _today()
    return services.program_create(
        actor=None,
        organization=org,
        title=title,
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=1500),
        carries=carries,
    )


def _task(program, org, person, title="Nhiệm vụ", weight=1, parent=None, objective=None, days=300):
    today = _today()
    return services.task_create(
        actor=None,
        program=program,
        title=title,
        organization=org,
        responsible=person,
        starts_on=today - dt.timedelta(days=30),
        due_on=today + dt.timedelta(days=days),
        weight=weight,
        parent=parent,
        objective=objective,
    )


def _report(task, progress, narrative="Đã triển khai"):
    task = Task.objects.get(pk=task.pk)
    return services.task_report_progress(
        actor=None, task=task, period_end=_current_end(task.program), progress=D(progress), narrative=narrative
    )


def _progress(task):
    return Task.objects.get(pk=task.pk).progress


def _tallies():
    statuses = ["not_started", "on_track", "at_risk", "late", "done", "cancelled"]
    return sorted(
        (t.organization_id, t.field_id, *[getattr(t, s) for s in statuses], t.leaf_weight, D(t.leaf_sum))
        for t in Tally.objects.all()
        if t.tasks
    )


@pytest.fixture
def cascade(world):
    """The province's program with a party-building objective and a task led by Trung Mỹ (weight 3) and one by
    Bá Hiến (weight 1); Trung Mỹ's program carries its task with two tasks (weights 1 and 3)."""
    party = Field.objects.get(abbreviation="XDĐ-HTCT")
    province_program = _program(world.province)
    objective = services.objective_add(
        actor=None, program=province_program, field=party, title="Nâng cao năng lực lãnh đạo"
    )
    secretary, other = world.people["secretary"], world.people["other_secretary"]
    to_trung_my = _task(province_program, world.trung_my, secretary, "Đổi mới sinh hoạt chi bộ", 3, objective=objective)
    to_ba_hien = _task(province_program, world.ba_hien, other, "Phát triển đảng viên", 1, objective=objective)
    commune_program = _program(world.trung_my, carries=to_trung_my, title="Chương trình của Đảng ủy xã Trung Mỹ")
    first = _task(commune_program, world.cell, world.people["member"], "Chi bộ Thanh Lanh sinh hoạt chuyên đề", 1)
    second = _task(commune_program, world.cell_two, world.people["deputy"], "Chi bộ Đồng Giang sinh hoạt chuyên đề", 3)
    return province_program, to_trung_my, to_ba_hien, commune_program, first, second


@pytest.mark.django_db
def test_a_program_carrying_a_task_makes_its_tasks_the_task_s_children(cascade, world):
    _province_program, to_trung_my, _to_ba_hien, commune_program, first, second = cascade
    assert list(Task.objects.filter(parent=to_trung_my).order_by("pk")) == [first, second]
    assert (first.field.abbreviation, second.field.abbreviation) == ("XDĐ-HTCT", "XDĐ-HTCT")  # from the task above
    assert Task.objects.get(pk=to_trung_my.pk).children_weight == 4
    other = _program(world.ba_hien, title="Chương trình của Bá Hiến")
    with pytest.raises(DomainError) as error:  # a task given to Trung Mỹ is carried by Trung Mỹ's program only
        _program(world.ba_hien, carries=to_trung_my)
    assert "giao cho Đảng bộ xã Trung Mỹ" in str(error.value)
    assert Program.objects.filter(organization=world.ba_hien).count() == 1 and other.carries is None


@pytest.mark.django_db
def test_progress_rolls_up_weighted_from_the_leaves_to_the_top(cascade):
    _province_program, to_trung_my, to_ba_hien, _commune, first, second = cascade
    _report(first, 100)
    assert _progress(to_trung_my) == D("25.00")  # (1 × 100 + 3 × 0) / 4
    _report(second, 60)
    assert _progress(to_trung_my) == D("70.00")  # (100 + 180) / 4
    _report(to_ba_hien, 40)
    # The province's program has two top tasks: 70 × 3 and 40 × 1.
    assert (Task.objects.get(pk=to_trung_my.pk).children_sum, _progress(to_ba_hien)) == (D("280.00"), D("40.00"))
    _report(second, 20)  # a correction of the same period
    assert _progress(to_trung_my) == D("40.00")  # (100 + 60) / 4
    assert ProgressReport.objects.filter(task=second).count() == 1
    first.refresh_from_db()
    assert first.status == "on_track"  # a first report starts the task, with the reason kept
    assert StatusChange.objects.get(task=first).reason.startswith("Báo cáo tiến độ kỳ Quý")


@pytest.mark.django_db
def test_a_report_costs_a_few_queries_per_level_whatever_the_number_of_tasks(cascade, world):
    _province_program, _to_trung_my, _to_ba_hien, commune_program, first, _second = cascade
    _report(first, 10)
    with CaptureQueriesContext(connection) as few:
        _report(first, 20)
    for n in range(15):
        _task(commune_program, world.cell, world.people["member"], f"Nhiệm vụ {n}")
    with CaptureQueriesContext(connection) as many:
        _report(first, 30)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_a_task_with_children_takes_no_report_of_its_own(cascade):
    _province_program, to_trung_my, *_rest = cascade
    with pytest.raises(DomainError) as error:
        _report(to_trung_my, 50)
    assert "tính từ các nhiệm vụ con" in str(error.value)
    assert (type(error.value), error.value.code) == (StateError, ErrorCode.TASK_PROGRESS_FROM_CHILDREN)


@pytest.mark.django_db
def test_exactly_one_responsible_person(world):
    program = _program(world.trung_my)
    before = Task.objects.count()
    for responsible, message in [
        (None, "Hãy chọn cá nhân phụ trách nhiệm vụ."),
        ([], "Hãy chọn cá nhân phụ trách nhiệm vụ."),
        ([world.people["secretary"], world.people["deputy"]], "chỉ có một cá nhân phụ trách; đã chọn 2 người"),
    ]:
        with pytest.raises(DomainError) as error:
            _task(program, world.trung_my, responsible)
        assert message in str(error.value)
    assert Task.objects.count() == before
    task = _task(program, world.trung_my, [world.people["deputy"]])
    assert task.responsible == world.people["deputy"]


@pytest.mark.django_db
def test_bad_tasks_are_refused_with_a_message_and_nothing_saved(world):
    program = _program(world.trung_my)
    today = _today()
    cases = [
        ({"starts_on": today, "due_on": today - dt.timedelta(days=1)}, "Hạn hoàn thành phải từ ngày bắt đầu trở đi."),
        ({"due_on": program.ends_on + dt.timedelta(days=1)}, "Hạn hoàn thành sau khi chương trình kết thúc"),
        ({"organization": world.ba_hien}, "Đơn vị chủ trì phải là Đảng bộ xã Trung Mỹ hoặc đơn vị trực thuộc."),
        ({"weight": 0}, "Trọng số từ 1 đến 100."),
        ({"title": "   "}, "Hãy ghi tên nhiệm vụ."),
    ]
    for change, message in cases:
        data = {
            "actor": None,
            "program": program,
            "title": "Nhiệm vụ",
            "organization": world.trung_my,
            "responsible": world.people["secretary"],
            "starts_on": today,
            "due_on": today + dt.timedelta(days=10),
        } | change
        with pytest.raises(DomainError) as error:
            services.task_create(**data)
        assert message in str(error.value), change
    assert (Task.objects.count(), _tallies()) == (0, [])


@pytest.mark.django_db
def test_reports_only_in_an_open_period_and_between_0_and_100(cascade):
    *_rest, first, _second = cascade
    program = first.program
    today = _today()
    start, end = periods.bounds("quarter", today)
    closed = periods.bounds("quarter", start - dt.timedelta(days=120))[1]
    later = periods.bounds("quarter", end + dt.timedelta(days=1))[1]
    for period_end, progress, message in [
        (closed, 50, "đã khóa sổ ngày"),
        (later, 50, "chưa bắt đầu"),
        (end, 101, "Tiến độ phải từ 0 đến 100%."),
        (end, -1, "Tiến độ phải từ 0 đến 100%."),
    ]:
        with pytest.raises(DomainError) as error:
            services.task_report_progress(
                actor=None, task=first, period_end=period_end, progress=D(progress), narrative="Kết quả"
            )
        assert message in str(error.value)
    assert ProgressReport.objects.count() == 0 and _progress(first) == 0
    assert program.report_every == "quarter"


def test_periods_and_their_names():
    assert periods.bounds("quarter", dt.date(2026, 5, 17)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert periods.bounds("half", dt.date(2026, 7, 1)) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert periods.bounds("month", dt.date(2028, 2, 3)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert periods.label("quarter", dt.date(2026, 6, 30)) == "Quý II/2026"
    assert periods.label("half", dt.date(2026, 6, 30)) == "6 tháng đầu năm 2026"
    assert periods.label("month", dt.date(2026, 3, 31)) == "Tháng 3/2026"
    assert periods.label("year", dt.date(2026, 12, 31)) == "Năm 2026"
    # The last quarter takes reports until 15 days after it ended (PROGRAM_REPORT_GRACE_DAYS).
    assert periods.open_periods("quarter", dt.date(2026, 10, 15)) == [dt.date(2026, 12, 31), dt.date(2026, 9, 30)]
    assert periods.open_periods("quarter", dt.date(2026, 10, 16)) == [dt.date(2026, 12, 31)]


@pytest.mark.django_db
def test_status_changes_need_a_reason_and_done_needs_100_percent(cascade):
    *_rest, first, _second = cascade
    with pytest.raises(DomainError) as error:
        services.task_set_status(actor=None, task=first, status="at_risk", reason=" ")
    assert "Hãy ghi lý do." in str(error.value)
    with pytest.raises(DomainError) as error:
        services.task_set_status(actor=None, task=first, status="done", reason="Xong")
    assert "Tiến độ mới đạt 0%; chỉ chuyển sang Hoàn thành khi đạt 100%." in str(error.value)
    assert (type(error.value), error.value.code) == (StateError, ErrorCode.TASK_PROGRESS_INCOMPLETE)
    services.task_set_status(actor=None, task=first, status="at_risk", reason="Thiếu kinh phí")
    _report(first, 100)
    services.task_set_status(actor=None, task=first, status="done", reason="Đã tổ chức sinh hoạt chuyên đề")
    assert list(StatusChange.objects.filter(task=first).values_list("from_status", "to_status", "reason")) == [
        ("not_started", "at_risk", "Thiếu kinh phí"),
        ("at_risk", "done", "Đã tổ chức sinh hoạt chuyên đề"),
    ]


@pytest.mark.django_db
def test_moving_a_task_under_its_own_child_is_refused(cascade, world):
    _province_program, _to_trung_my, _to_ba_hien, commune_program, first, second = cascade
    child = _task(commune_program, world.cell, world.people["member"], "Việc con", parent=first)
    with pytest.raises(DomainError) as error:
        services.task_move(actor=None, task=first, parent=child)
    assert "Không thể đặt nhiệm vụ dưới chính nó hoặc dưới một nhiệm vụ con của nó." in str(error.value)
    with pytest.raises(DomainError):
        services.task_move(actor=None, task=first, parent=first)
    _report(child, 80)
    services.task_move(actor=None, task=second, parent=first)  # first: child (1 × 80) and second (3 × 0)
    assert (_progress(first), Task.objects.get(pk=first.pk).children_weight) == (D("20.00"), 4)


@pytest.mark.django_db
def test_tallies_always_equal_a_recount(cascade, world):
    _province_program, to_trung_my, to_ba_hien, commune_program, first, second = cascade
    _report(first, 100)
    _report(to_ba_hien, 35)
    services.task_set_status(actor=None, task=second, status="late", reason="Chậm")
    _task(commune_program, world.cell, world.people["member"], "Việc con", parent=first)  # first is no longer a leaf
    kept = _tallies()
    services._recount([world.province.pk, world.trung_my.pk, world.ba_hien.pk, world.cell.pk, world.cell_two.pk])
    assert _tallies() == kept
    assert to_trung_my.pk


@pytest.mark.django_db
def test_dashboard_counts_ranks_and_lists_the_late(cascade, world, django_assert_num_queries):
    _province_program, to_trung_my, to_ba_hien, commune_program, first, second = cascade
    _report(first, 100)
    _report(second, 60)  # Trung Mỹ's leaves: (100 + 180) / 4 = 70
    _report(to_ba_hien, 40)
    late = _task(commune_program, world.cell, world.people["member"], "Việc trễ hạn", days=10)
    Task.objects.filter(pk=late.pk).update(due_on=_today() - dt.timedelta(days=3))
    assert [t.title for t in services.tasks_flag_overdue()] == ["Việc trễ hạn"]  # the daily follow-up
    with django_assert_num_queries(7):
        board = selectors.dashboard(world.province)
    assert board.by_status == {"late": 1, "on_track": 4}  # the task broken down started with its children
    assert [(u.organization.name, u.total.progress, u.late) for u in board.units] == [
        ("Đảng bộ xã Trung Mỹ", D("56.0"), 1),  # (100 + 180 + 0) / 5
        ("Đảng bộ xã Bá Hiến", D("40.0"), 0),
    ]
    assert [t.title for t in board.late] == ["Việc trễ hạn"] and board.late_count == 1
    assert board.late[0].responsible == world.people["member"]
    party = Field.objects.get(abbreviation="XDĐ-HTCT")
    heat = {u.organization.name: [c.progress for c in u.heat] for u in board.units}
    assert heat["Đảng bộ xã Trung Mỹ"][[f.pk for f in board.fields].index(party.pk)] == D(
        "56.0"
    )  # all three are party building
    commune = selectors.dashboard(world.trung_my)
    assert [(u.organization.name, u.total.progress) for u in commune.units] == [
        ("Chi bộ thôn Thanh Lanh", D("50.0")),  # 100 and the late 0
        ("Chi bộ thôn Đồng Giang", D("60.0")),
    ][::-1]
    assert to_trung_my.pk


@pytest.mark.django_db
def test_indicators_progress_both_directions_and_values_by_period(world):
    program = _program(world.trung_my)
    field = Field.objects.get(abbreviation="KT-XH")
    objective = services.objective_add(actor=None, program=program, field=field, title="Giảm nghèo bền vững")
    deadline = program.ends_on
    poor = services.indicator_add(
        actor=None,
        objective=objective,
        name="Tỷ lệ hộ nghèo",
        unit="%",
        baseline=D("4.2"),
        target=D("1.5"),
        deadline=deadline,
        direction="lower",
    )
    roads = services.indicator_add(
        actor=None,
        objective=objective,
        name="Đường giao thông nông thôn được cứng hóa",
        unit="km",
        baseline=D(0),
        target=D(20),
        deadline=deadline,
        computation="sum",
    )
    end = _current_end(program)
    services.indicator_record(actor=None, indicator=poor, period_end=end, value=D("2.85"))
    poor.refresh_from_db()
    assert (poor.current, poor.progress) == (D("2.85"), D("50.0"))
    previous = periods.bounds("quarter", periods.bounds("quarter", end)[0] - dt.timedelta(days=1))[1]
    IndicatorValue.objects.create(indicator=roads, on=previous, value=D(6))  # recorded last quarter
    services.indicator_record(actor=None, indicator=roads, period_end=end, value=D(4))
    roads.refresh_from_db()
    assert (roads.current, roads.progress) == (D(10), D("50.0"))
    with pytest.raises(DomainError) as error:
        services.indicator_add(
            actor=None, objective=objective, name="Thu nhập", unit="triệu đồng", baseline=D(60), target=D(50),
            deadline=deadline,
        )  # fmt: skip
    assert "mức đề ra phải cao hơn giá trị ban đầu" in str(error.value)
    with pytest.raises(DomainError) as error:
        services.indicator_record(actor=None, indicator=poor, period_end=end, value=D(120))
    assert "Giá trị tính bằng % phải từ 0 đến 100." in str(error.value)


def test_numbers_typed_the_vietnamese_way_with_their_unit():
    assert parse_quantity("12,5") == D("12.5")
    assert parse_quantity("1.250") == D("1250")
    assert parse_quantity("1.250,75 ha", "ha") == D("1250.75")
    assert parse_quantity("95 %", "%") == D("95")
    assert parse_quantity("3.5") == D("3.5")
    assert parse_quantity("7 Km", "km") == D("7")
    for typed, unit, message in [
        ("12 km", "ha", "Chỉ tiêu này tính bằng “ha”; không nhận giá trị “12 km”."),
        ("mười", "ha", "Nhập một số, ví dụ 12,5."),
        ("", "", "Nhập một số, ví dụ 12,5."),
    ]:
        with pytest.raises(ValidationError) as error:
            parse_quantity(typed, unit)
        assert error.value.messages == [message]


@pytest.mark.django_db
def test_tasks_follow_a_merged_organisation_and_come_back_on_revert(cascade, world):
    _province_program, _to_trung_my, to_ba_hien, *_rest = cascade
    _report(to_ba_hien, 40)
    on = _today()
    event = rs.restructuring_apply(
        actor=None,
        plan=rs.plan_merge(sources=[world.ba_hien], target=world.trung_my, on=on),
        reason="Sáp nhập",
        legal_basis="Nghị quyết 1/NQ-UBTVQH",
    )
    assert Task.objects.get(pk=to_ba_hien.pk).organization == world.trung_my
    assert not any(t.tasks for t in Tally.objects.filter(organization=world.ba_hien))
    board = selectors.dashboard(world.trung_my)
    assert board.by_status["on_track"] == 1
    rs.restructuring_revert(actor=None, event=event)
    assert Task.objects.get(pk=to_ba_hien.pk).organization == world.ba_hien
    assert Tally.objects.get(organization=world.ba_hien).on_track == 1


@pytest.mark.django_db
def test_daily_follow_up_flags_the_overdue_and_tells_the_answerable_and_the_superior(cascade, world):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    from dongthuan.people.models import Person

    _province_program, _to_trung_my, _to_ba_hien, commune_program, first, second = cascade
    for role in ("member", "secretary", "deputy"):
        Person.objects.filter(pk=world.people[role].pk).update(email=f"{role}@example.vn")
    Task.objects.filter(pk=first.pk).update(due_on=_today() - dt.timedelta(days=1))  # the member's: overdue
    Task.objects.filter(pk=second.pk).update(due_on=_today() + dt.timedelta(days=5))  # the deputy's: due soon
    out = StringIO()
    call_command("program_reminders", stdout=out)
    assert out.getvalue().strip() == "1 task(s) flagged late, 3 email(s) sent"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("deputy@example.vn", "Sắp đến hạn nhiệm vụ: Chi bộ Đồng Giang sinh hoạt chuyên đề"),
        ("member@example.vn", "Nhiệm vụ quá hạn: Chi bộ Thanh Lanh sinh hoạt chuyên đề"),
        ("secretary@example.vn", "Nhiệm vụ quá hạn trong đơn vị: Chi bộ Thanh Lanh sinh hoạt chuyên đề"),
    ]  # the cell has no head in this world: the commune's secretary, above it, is told
    first.refresh_from_db()
    assert first.status == "late"
    assert StatusChange.objects.get(task=first).reason.startswith("Quá hạn hoàn thành (")
    mail.outbox.clear()
    call_command("program_reminders", stdout=StringIO())  # nothing twice
    assert mail.outbox == []
    assert Tally.objects.get(organization=world.cell).late == 1


@pytest.mark.django_db
def test_changing_a_weight_rolls_up_the_difference(cascade, world):
    _province_program, to_trung_my, _to_ba_hien, _commune, first, second = cascade
    _report(first, 100)
    _report(second, 60)  # (1 × 100 + 3 × 60) / 4 = 70
    services.task_update(actor=None, task=second, weight=1)  # (100 + 60) / 2 = 80
    assert (_progress(to_trung_my), Task.objects.get(pk=to_trung_my.pk).children_weight) == (D("80.00"), 2)
    with pytest.raises(DomainError) as error:
        services.task_update(actor=None, task=second, responsible=[world.people["member"], world.people["deputy"]])
    assert "chỉ có một cá nhân phụ trách" in str(error.value)
    with pytest.raises(DomainError):
        services.task_update(actor=None, task=second, organization=world.ba_hien)
    kept = _tallies()
    services._recount([world.cell.pk, world.cell_two.pk, world.trung_my.pk, world.province.pk])
    assert _tallies() == kept


@pytest.mark.django_db
def test_a_cancelled_task_leaves_its_parent_s_average_and_comes_back_when_reopened(cascade, world):
    _province_program, to_trung_my, _to_ba_hien, _commune, first, second = cascade
    _report(first, 100)
    _report(second, 40)  # (100 + 3 × 40) / 4 = 55
    services.task_set_status(actor=None, task=second, status="cancelled", reason="Không còn phù hợp")
    assert (_progress(to_trung_my), Task.objects.get(pk=to_trung_my.pk).children_weight) == (D("100.00"), 1)
    kept = _tallies()
    services._recount([world.cell.pk, world.cell_two.pk, world.trung_my.pk, world.province.pk])
    assert _tallies() == kept
    assert selectors.dashboard(world.trung_my).total.progress == D("100.0")  # the cancelled leaf is out
    services.task_set_status(actor=None, task=second, status="on_track", reason="Triển khai lại")
    assert _progress(to_trung_my) == D("55.00")


@pytest.mark.django_db
def test_the_tracking_table_and_a_task_s_page_show_only_what_the_reader_may_see(client, world, cascade):
    import io as _io

    from django.urls import reverse
    from openpyxl import load_workbook

    province_program, _to_trung_my, to_ba_hien, *_rest = cascade
    own = _program(world.ba_hien, carries=to_ba_hien, title="Chương trình của Bá Hiến")
    _task(own, world.other_cell, world.people["other_secretary"], "Việc nội bộ của Bá Hiến")
    # Trung Mỹ's: sees the province's program and its own line, not the task the province gave Bá Hiến.
    client.force_login(world.users["committee_member"])
    sheet = load_workbook(_io.BytesIO(client.get(reverse("programs:tracking", args=[province_program.pk])).content))
    titles = [r[1].strip() for r in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert "Việc nội bộ của Bá Hiến" not in titles and "Phát triển đảng viên" not in titles
    assert "Đổi mới sinh hoạt chi bộ" in titles
    assert client.get(reverse("programs:task", args=[to_ba_hien.pk])).status_code == 404
    client.force_login(world.users["admin"])
    sheet = load_workbook(_io.BytesIO(client.get(reverse("programs:tracking", args=[province_program.pk])).content))
    assert "Việc nội bộ của Bá Hiến" in [r[1].strip() for r in sheet.active.iter_rows(min_row=2, values_only=True)]


def test_quantities_keep_two_decimals_and_damaged_archives_are_refused():
    import zipfile

    from dongthuan.programs.evidence import kind_of

    with pytest.raises(ValidationError) as error:
        parse_quantity("1,001")
    assert error.value.messages == ["Nhập tối đa 2 chữ số sau dấu phẩy."]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    good = out.getvalue()
    assert kind_of(good) == "docx"
    at = good.index(b"PK\x01\x02") + 6
    damaged = good[:at] + bytes([99]) + good[at + 1 :]  # "version needed to extract" 9.9
    assert kind_of(damaged) is None


@pytest.mark.django_db
def test_an_indicator_refuses_a_third_decimal(world):
    program = _program(world.trung_my)
    objective = services.objective_add(
        actor=None, program=program, field=Field.objects.get(abbreviation="KT-XH"), title="Thu nhập"
    )
    with pytest.raises(DomainError) as error:
        services.indicator_add(
            actor=None, objective=objective, name="Chỉ tiêu", unit="ha", baseline=D("1.001"), target=D("1.004"),
            deadline=program.ends_on,
        )  # fmt: skip
    assert "tối đa 2 chữ số sau dấu phẩy" in str(error.value)
