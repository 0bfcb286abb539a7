"""Tasks and indicator values in and out as files, through the same upload, preview and confirm as member lists:
an export imports back unchanged, an edited cell updates exactly that, and every bad row says why."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dongthuan.exchange.models import ImportStatus
from dongthuan.programs import periods, services
from dongthuan.programs.models import Field, IndicatorValue, Task
from tests.exchange.conftest import rows_of


def _today():
    return timezone.localdate()


@pytest.fixture
def program(world):
    today = _today()
    program = services.program_create(
        actor=None,
        organization=world.trung_my,
        title="Chương trình hành động",
        starts_on=today - dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=800),
    )
    objective = services.objective_add(
        actor=None, program=program, field=Field.objects.get(abbreviation="KT-XH"), title="Nông thôn mới"
    )
    services.indicator_add(
        actor=None,
        objective=objective,
        name="Đường liên thôn được cứng hóa",
        unit="km",
        baseline=Decimal(0),
        target=Decimal(20),
        deadline=program.ends_on,
    )
    first = services.task_create(
        actor=None,
        program=program,
        title="=Cứng hóa đường thôn Thanh Lanh",
        organization=world.cell,
        responsible=world.people["member"],
        starts_on=today,
        due_on=today + dt.timedelta(days=90),
        objective=objective,
    )
    services.task_create(
        actor=None,
        program=program,
        title="Vận động nhân dân hiến đất",
        organization=world.trung_my,
        responsible=world.people["deputy"],
        starts_on=today,
        due_on=today + dt.timedelta(days=60),
        parent=first,
    )
    return program


def _export(client, org, kind, fmt="xlsx"):
    response = client.get(reverse("exchange:export", args=[org.pk, kind, fmt]))
    assert response.status_code == 200
    return response.content


def _tasks():
    return list(Task.objects.order_by("pk").values())


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["tasks", "indicator_values"])
def test_export_then_import_changes_nothing(uploader, world, program, kind, fmt):
    content = _export(uploader.client, world.trung_my, kind, fmt)
    before = (_tasks(), list(IndicatorValue.objects.values()))
    batch = uploader.batch(f"xuat.{fmt}", content, kind=kind)
    assert batch.status == ImportStatus.READY, [r["errors"] for r in rows_of(batch) if r["errors"]] or batch.message
    assert (batch.rows_create, batch.rows_update, batch.rows_error) == (0, 0, 0)
    assert batch.rows_unchanged == batch.rows_total == 2 if kind == "tasks" else 1
    assert uploader.confirm(batch).status == ImportStatus.DONE
    assert (_tasks(), list(IndicatorValue.objects.values())) == before


@pytest.mark.django_db
def test_tasks_edited_in_excel_update_added_rows_create_and_bad_rows_say_why(uploader, world, program):
    book = load_workbook(io.BytesIO(_export(uploader.client, world.trung_my, "tasks")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    col = {h: i for i, h in enumerate(header)}
    today = _today()
    for row in sheet.iter_rows(min_row=2):
        if row[col["Nhiệm vụ"]].value == "Vận động nhân dân hiến đất":
            row[col["Hạn hoàn thành"]].value = (today + dt.timedelta(days=75)).strftime("%d/%m/%Y")
            row[col["Trọng số"]].value = "2"
    base = [""] * len(header)

    def line(**cells):
        values = list(base)
        for name, value in cells.items():
            values[col[name]] = value
        return values

    start, due = today.strftime("%d/%m/%Y"), (today + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    common = {"Mã chương trình": str(program.pk), "Bắt đầu": start, "Hạn hoàn thành": due}
    sheet.append(line(**common, **{"Nhiệm vụ": "Thu gom rác thải", "Đơn vị chủ trì": "Chi bộ thôn Đồng Giang",
                                   "Cá nhân phụ trách": "Đỗ Thu Hà"}))  # fmt: skip
    sheet.append(line(**common, **{"Nhiệm vụ": "Hai người", "Đơn vị chủ trì": "Chi bộ thôn Đồng Giang",
                                   "Cá nhân phụ trách": "Đỗ Thu Hà; Bùi Văn Nam"}))  # fmt: skip
    sheet.append(line(**common, **{"Nhiệm vụ": "Ngoài xã", "Đơn vị chủ trì": "Chi bộ thôn Bá Cầu",
                                   "Cá nhân phụ trách": "Đỗ Thu Hà"}))  # fmt: skip
    sheet.append(line(**{**common, "Hạn hoàn thành": (today - dt.timedelta(days=1)).strftime("%d/%m/%Y")},
                      **{"Nhiệm vụ": "Hạn trước", "Đơn vị chủ trì": "Chi bộ thôn Đồng Giang",
                         "Cá nhân phụ trách": "Đỗ Thu Hà"}))  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    before = _tasks()
    batch = uploader.batch("sua.xlsx", out.getvalue(), kind="tasks")
    assert (batch.rows_create, batch.rows_update, batch.rows_unchanged, batch.rows_error) == (1, 1, 1, 3)
    assert _tasks() == before  # the preview wrote nothing
    errors = {r["cells"]["title"]: [m for _k, m in r["errors"]] for r in rows_of(batch) if r["errors"]}
    assert errors == {
        "Hai người": ["Cá nhân phụ trách: chỉ ghi một người («Đỗ Thu Hà; Bùi Văn Nam»)."],
        "Ngoài xã": ["Đơn vị chủ trì: không tìm thấy đơn vị «Chi bộ thôn Bá Cầu» trong Đảng bộ xã Trung Mỹ."],
        "Hạn trước": ["Hạn hoàn thành phải từ ngày bắt đầu trở đi."],
    }
    updated = next(r for r in rows_of(batch) if r["action"] == "update")
    assert updated["changes"] == {
        "Hạn hoàn thành": [
            (today + dt.timedelta(days=60)).strftime("%d/%m/%Y"),
            (today + dt.timedelta(days=75)).strftime("%d/%m/%Y"),
        ],
        "Trọng số": ["1", "2"],
    }


@pytest.mark.django_db
def test_indicator_values_from_a_file_for_the_current_period_only(uploader, world, program):
    book = load_workbook(io.BytesIO(_export(uploader.client, world.trung_my, "indicator_values")))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2))
    end = periods.bounds("quarter", _today())[1]
    assert [c.value for c in rows[0]][:5] == [
        str(program.objectives.get().indicators.get().pk),
        "Đường liên thôn được cứng hóa",
        "km",
        end.strftime("%d/%m/%Y"),
        None,
    ]
    indicator_id = rows[0][0].value
    rows[0][4].value = "4,5 km"
    closed = periods.bounds("quarter", end - dt.timedelta(days=200))[1]
    sheet.append([indicator_id, "", "", closed.strftime("%d/%m/%Y"), "3", ""])
    sheet.append([indicator_id, "", "", end.strftime("%d/%m/%Y"), "12 ha", ""])
    out = io.BytesIO()
    book.save(out)
    batch = uploader.batch("chi-tieu.xlsx", out.getvalue(), kind="indicator_values")
    assert (batch.rows_create, batch.rows_error) == (1, 2)
    messages = sorted(m for r in rows_of(batch) for _k, m in r["errors"])
    assert messages[0].startswith("Giá trị: Chỉ tiêu này tính bằng “km”; không nhận giá trị “12 ha”.")
    assert "đã khóa sổ" in messages[1]
    lines = [r for r in rows_of(batch) if not r["errors"]]
    assert len(lines) == 1 and IndicatorValue.objects.count() == 0
