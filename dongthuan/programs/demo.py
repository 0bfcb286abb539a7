"""The demo's action programs: the district standing committee's program carrying the 2017 resolution (objectives,
four indicators with a year of values, tasks given to Trung Mỹ and three other communes, Trung Mỹ's own program
breaking its task down to its cells, a year of quarterly reports as recorded at the time); and Bình Tuyền's program
followed today, with one task at risk and one overdue. All written through the programs' services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dongthuan.core.demo import DemoContext
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.programs import periods
from dongthuan.programs import services as programs
from dongthuan.programs.models import Field


def action_program_2017(demo: DemoContext) -> None:
    """The standing committee's action program for the resolution (May 2017): socio-economic, defence-security
    and party-building objectives with indicators; tasks given to Trung Mỹ and three other communes; Trung
    Mỹ's own program breaking its task down to its cells; a year of quarterly reports, as recorded at the
    time. Reads ``renewal_resolution`` (issued), ``district``, ``district_leaders``, ``communes`` and
    ``commune_people``."""
    resolution = demo.renewal_resolution
    district, leaders = demo.district, demo.district_leaders
    fields = {f.abbreviation: f for f in Field.objects.all()}
    program = programs.program_create(
        actor=None,
        organization=district,
        title=f"Chương trình hành động thực hiện Nghị quyết số {resolution.symbol} của Ban Thường vụ Huyện ủy",
        starts_on=dt.date(2017, 5, 1),
        ends_on=dt.date(2020, 12, 31),
        implements=resolution,
    )
    economy = programs.objective_add(
        actor=None, program=program, field=fields["KT-XH"], title="Phát triển kinh tế, xây dựng nông thôn mới"
    )
    security = programs.objective_add(
        actor=None, program=program, field=fields["QP-AN"], title="Giữ vững quốc phòng, an ninh ở cơ sở"
    )
    party = programs.objective_add(
        actor=None, program=program, field=fields["XDĐ-HTCT"], title="Đổi mới phương thức lãnh đạo của cấp ủy"
    )
    d = Decimal
    indicators: list[tuple[Any, str, str, Decimal, Decimal, str, list[str]]] = [
        (economy, "Số xã đạt chuẩn nông thôn mới", "xã", d(3), d(8), "higher", ["4", "5", "5", "6"]),
        (economy, "Tỷ lệ hộ nghèo", "%", d("4.2"), d("2.0"), "lower", ["3.9", "3.6", "3.4", "3.1"]),
        (security, "Thôn, tổ dân phố đạt chuẩn an toàn về an ninh, trật tự", "%", d(80), d(95), "higher",
         ["82", "85", "88", "90"]),
        (party, "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", d(85), d(92), "higher",
         ["85", "86", "88", "89"]),
    ]  # fmt: skip
    quarters = [dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31), dt.date(2018, 3, 31)]
    for objective, name, unit, baseline, target, direction, values in indicators:
        indicator = programs.indicator_add(
            actor=None,
            objective=objective,
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
            deadline=dt.date(2020, 12, 31),
            direction=direction,
        )
        for end, value in zip(quarters, values, strict=True):
            programs.indicator_record(
                actor=None, indicator=indicator, period_end=end, value=d(value), on=end + dt.timedelta(days=5)
            )

    def task(prog: Any, title: str, org: Organization, person: Person, due: dt.date, **kw: Any) -> Any:
        return programs.task_create(
            actor=None,
            program=prog,
            title=title,
            organization=org,
            responsible=person,
            starts_on=dt.date(2017, 5, 15),
            due_on=due,
            **kw,
        )

    def report(t: Any, values: list[int], texts: list[str]) -> None:
        for end, value, text in zip(quarters, values, texts, strict=False):
            programs.task_report_progress(
                actor=None, task=t, period_end=end, progress=d(value), narrative=text, on=end + dt.timedelta(days=7)
            )

    drill = task(
        program,
        "Tổ chức diễn tập khu vực phòng thủ huyện",
        district,
        leaders[2],
        dt.date(2017, 11, 30),
        objective=security,
        deliverable="Báo cáo kết quả diễn tập",
        weight=2,
    )
    report(drill, [20, 70, 100], ["Xây dựng kế hoạch diễn tập", "Diễn tập các xã điểm", "Đã tổ chức diễn tập"])
    programs.task_set_status(
        actor=None, task=drill, status="done", reason="Diễn tập đạt yêu cầu", on=dt.date(2018, 1, 8)
    )
    communes = ["Trung Mỹ", "Bá Hiến", "Hương Canh", "Thiện Kế"]
    given = {}
    for name in communes:
        c, person = demo.communes[name], demo.commune_people[name][0]
        given[name] = task(
            program,
            f"Xây dựng và thực hiện chương trình hành động của {c.short_name}",
            c,
            person,
            dt.date(2018, 6, 30),
            objective=party,
            deliverable="Chương trình hành động của đảng ủy cơ sở",
            weight=3 if name == "Trung Mỹ" else 2,
        )
    new_rural = task(
        program,
        "Xây dựng xã Trung Mỹ đạt chuẩn nông thôn mới",
        demo.communes["Trung Mỹ"],
        demo.commune_people["Trung Mỹ"][2],
        dt.date(2019, 12, 31),
        objective=economy,
        coordinators=[demo.communes["Bá Hiến"]],
        weight=3,
    )
    report(new_rural, [10, 25, 40, 50], ["Rà soát 19 tiêu chí", "Đạt thêm 2 tiêu chí", "Làm đường liên thôn",
                                        "Đạt 15/19 tiêu chí"])  # fmt: skip
    texts = [
        "Ban hành chương trình",
        "Triển khai đến các chi bộ",
        "Sơ kết 6 tháng",
        "Các chi bộ tiếp tục thực hiện",
    ]
    for name, steps in [("Bá Hiến", [30, 60, 80, 100]), ("Hương Canh", [20, 45, 60, 70]), ("Thiện Kế", [0, 10])]:
        report(given[name], steps, texts[:3] + ["Hoàn thành"] if steps[-1] == 100 else texts)
    programs.task_set_status(
        actor=None, task=given["Bá Hiến"], status="done", reason="Đã sơ kết, đạt yêu cầu", on=dt.date(2018, 4, 5)
    )
    programs.task_set_status(
        actor=None,
        task=given["Thiện Kế"],
        status="late",
        reason="Đảng ủy xã chậm ban hành chương trình; Ban Thường vụ đã nhắc nhở",
        on=dt.date(2017, 10, 9),
    )
    # Trung Mỹ breaks its task down to its cells: each cell's secretary answers for its cell's task.
    trung_my = demo.communes["Trung Mỹ"]
    own = programs.program_create(
        actor=None,
        organization=trung_my,
        title="Chương trình hành động của Đảng ủy xã Trung Mỹ thực hiện Nghị quyết của Ban Thường vụ Huyện ủy",
        starts_on=dt.date(2017, 5, 20),
        ends_on=dt.date(2018, 6, 30),
        carries=given["Trung Mỹ"],
    )
    cells = list(Organization.objects.filter(parent=trung_my, kind="cell", status="active").order_by("name"))
    progress = [[25, 50, 75, 100], [30, 60, 90, 100], [20, 50, 80, 100], [25, 55, 85, 100]]
    for i, cell in enumerate(cells):
        secretary = Person.objects.filter(positions__organization=cell, positions__title="secretary").first()
        if secretary is None:
            continue
        cell_task = task(
            own,
            f"Đổi mới nội dung sinh hoạt {cell.name[0].lower()}{cell.name[1:]}",
            cell,
            secretary,
            dt.date(2018, 6, 30),
            deliverable="Sinh hoạt chuyên đề mỗi quý",
        )
        report(cell_task, progress[i % len(progress)], ["Sinh hoạt chuyên đề quý"] * 4)
        programs.task_set_status(
            actor=None,
            task=cell_task,
            status="done",
            reason="Đã sinh hoạt chuyên đề đủ bốn quý",
            on=dt.date(2018, 4, 10),
        )
    assert own.tasks.count() >= 3
    programs.task_set_status(
        actor=None,
        task=given["Trung Mỹ"],
        status="done",
        reason="Các chi bộ đã hoàn thành; Đảng ủy xã đã sơ kết",
        on=dt.date(2018, 4, 20),
    )


def current_program_2025(demo: DemoContext) -> None:
    """The new commune's program for its first congress's resolution (from 1 July 2025): tasks led by the
    committee and by cells, one quarterly report each up to the last closed quarter, one task at risk and one
    overdue — what the office follows today. Reads ``new_communes`` and ``binh_tuyen_leaders``."""
    commune, leaders = demo.new_communes["Bình Tuyền"], demo.binh_tuyen_leaders
    fields = {f.abbreviation: f for f in Field.objects.all()}
    today = timezone.localdate()
    program = programs.program_create(
        actor=None,
        organization=commune,
        title="Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ xã Bình Tuyền lần thứ I, "
        "nhiệm kỳ 2025 - 2030",
        starts_on=dt.date(2025, 7, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    economy = programs.objective_add(
        actor=None, program=program, field=fields["KT-XH"], title="Xây dựng xã đạt chuẩn nông thôn mới nâng cao"
    )
    security = programs.objective_add(
        actor=None, program=program, field=fields["QP-AN"], title="Bảo đảm an ninh, trật tự ở thôn, xóm"
    )
    party = programs.objective_add(
        actor=None, program=program, field=fields["XDĐ-HTCT"], title="Nâng cao chất lượng sinh hoạt chi bộ"
    )
    quarters = []
    end = dt.date(2025, 9, 30)
    while end + dt.timedelta(days=7) <= today:
        quarters.append(end)
        end = periods.bounds("quarter", end + dt.timedelta(days=1))[1]
    income = programs.indicator_add(
        actor=None,
        objective=economy,
        name="Thu nhập bình quân đầu người",
        unit="triệu đồng",
        baseline=Decimal(68),
        target=Decimal(90),
        deadline=dt.date(2030, 12, 31),
    )
    for i, quarter in enumerate(quarters):
        programs.indicator_record(
            actor=None,
            indicator=income,
            period_end=quarter,
            value=Decimal(68) + Decimal(i) * Decimal("1.5"),
            on=quarter + dt.timedelta(days=7),
        )
    cells = list(Organization.objects.filter(parent=commune, kind="cell", status="active").order_by("name"))[:6]
    work = [
        ("Cứng hóa đường liên thôn", economy, dt.date(2027, 12, 31), [10, 20, 30, 40, 50]),
        ("Mỗi thôn một sản phẩm chủ lực", economy, dt.date(2028, 6, 30), [5, 10, 15, 20, 25]),
        ("Xây dựng thôn an toàn về an ninh, trật tự", security, dt.date(2026, 9, 30), [20, 40, 55, 70, 80]),
        ("Sinh hoạt chuyên đề hằng quý", party, dt.date(2030, 12, 31), [10, 15, 20, 25, 30]),
    ]
    for i, cell in enumerate(cells):
        secretary = Person.objects.filter(positions__organization=cell, positions__title="secretary").first()
        if secretary is None:
            continue
        title, objective, due, values = work[i % len(work)]
        task = programs.task_create(
            actor=None,
            program=program,
            title=f"{title} ({cell.name.removeprefix('Chi bộ ')})",
            organization=cell,
            responsible=secretary,
            starts_on=dt.date(2025, 7, 15),
            due_on=due,
            objective=objective,
        )
        lag = 0.5 if i == 1 else 1  # the second cell lags behind
        for quarter, value in zip(quarters, values, strict=False):
            programs.task_report_progress(
                actor=None,
                task=task,
                period_end=quarter,
                progress=Decimal(round(value * lag)),
                narrative="Chi ủy đã họp, phân công đảng viên phụ trách; kết quả như báo cáo.",
                on=quarter + dt.timedelta(days=7),
            )
        if i == 1 and quarters:
            programs.task_set_status(
                actor=None,
                task=task,
                status="at_risk",
                reason="Thiếu vốn đối ứng; đề nghị Đảng ủy xã chỉ đạo",
                on=quarters[-1] + dt.timedelta(days=8),
            )
    programs.task_create(
        actor=None,
        program=program,
        title="Ban hành quy chế làm việc của Ban Chấp hành Đảng bộ xã nhiệm kỳ 2025 - 2030",
        organization=commune,
        responsible=leaders[2],
        starts_on=dt.date(2025, 7, 1),
        due_on=dt.date(2025, 9, 30),
        objective=party,
        deliverable="Quy chế làm việc",
    )


def follow_up(demo: DemoContext) -> None:
    """The daily follow-up (``manage.py program_reminders``), as if it had run this morning: tasks past their due
    date are flagged late."""
    programs.tasks_flag_overdue()
