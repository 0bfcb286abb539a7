"""Imports of action programs' tasks and indicator values, row by row through the programs' services (checked in a
rolled-back run for the preview, then written all or nothing). A task row with an id changes that task; without
one it matches a task of the same program with the same title and lead unit, or adds one. An indicator row records
the value of a period, as the program's page does (the period must still take reports).

Also the rows of both lists going out, as the imports read them back. Programs registers both with exchange when it
starts (``ProgramsConfig.ready``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dongthuan.core.text import date_text, fold, number_text
from dongthuan.exchange.importers import Cells, Row, ServiceImport, changes
from dongthuan.exchange.models import ImportKind, RowAction
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.programs import periods
from dongthuan.programs.models import Indicator, IndicatorValue, Program, Task
from dongthuan.programs.quantities import parse_quantity
from dongthuan.programs.services import TaskChanges, indicator_record, task_create, task_update

SEVERAL = re.compile(r"[;,/]|\s(và|and)\s|\n", re.I)


class TaskImport(ServiceImport):
    kind = ImportKind.TASKS

    def prepare(self) -> None:
        self.programs = {
            p.pk: p
            for p in Program.objects.filter(organization__path__startswith=self.organization.path).select_related(
                "organization", "carries"
            )
        }
        self.objectives: dict[int, dict[str, Any]] = {}
        for program in self.programs.values():
            self.objectives[program.pk] = {fold(o.title): o for o in program.objectives.all()}

    def _responsible(self, c: Cells) -> Person | None:
        scope = (
            models.Q(cell__path__startswith=self.organization.path)
            | models.Q(home_organization__path__startswith=self.organization.path)
            | models.Q(positions__organization__path__startswith=self.organization.path)
        )
        people = Person.objects.filter(scope, classification="").distinct()
        pk = c.id("responsible_id") if c.has("responsible_id") else None
        name = c.text("responsible", 200) if c.has("responsible") else ""
        if pk is not None:
            found = people.filter(pk=pk).first()
            if found is None:
                c.fail(
                    "responsible_id",
                    _("không có người mang mã %(id)s trong %(root)s.") % {"id": pk, "root": self.organization.name},
                )
            return found
        if not name:
            c.fail("responsible", _("bắt buộc: mỗi nhiệm vụ có một cá nhân phụ trách."))
            return None
        if SEVERAL.search(name):
            c.fail("responsible", _("chỉ ghi một người («%(name)s»).") % {"name": name})
            return None
        matches = list(people.filter(search_name=fold(name))[:5])
        if len(matches) != 1:
            c.fail(
                "responsible",
                _("có %(count)s người tên «%(name)s»; hãy ghi mã cá nhân phụ trách.")
                % {"count": len(matches), "name": name}
                if matches
                else _("không tìm thấy «%(name)s» trong %(root)s.") % {"name": name, "root": self.organization.name},
            )
            return None
        return matches[0]

    def row(self, row: Row, c: Cells) -> None:
        pk = c.id("id")
        program_id = c.id("program_id")
        program = self.programs.get(program_id) if program_id is not None else None
        if program_id is None and not row.errors:
            c.fail("program_id", _("bắt buộc, đang để trống."))
        elif program is None and program_id is not None:
            c.fail(
                "program_id",
                _("không có chương trình mang mã %(id)s trong %(root)s.")
                % {"id": program_id, "root": self.organization.name},
            )
        title = c.required("title", 500)
        objective = None
        objective_name = c.text("objective", 500) if c.has("objective") else ""
        if program is not None and objective_name:
            objective = self.objectives[program.pk].get(fold(objective_name))
            if objective is None:
                c.fail("objective", _("chương trình không có mục tiêu «%(name)s».") % {"name": objective_name})
        parent = None
        parent_id = c.id("parent_id") if c.has("parent_id") else None
        if program is not None and parent_id is not None:
            parent = Task.objects.filter(
                models.Q(program=program) | models.Q(pk=program.carries_id or 0), pk=parent_id
            ).first()
            if parent is None:
                c.fail("parent_id", _("không có nhiệm vụ mang mã %(id)s trong chương trình.") % {"id": parent_id})
        org = self.orgs.find(
            c,
            "organization_id" if c.has("organization_id") else None,
            "organization",
            within=program.organization if program else None,
            what=_("đơn vị"),
        )
        if org is None and not any(k in ("organization", "organization_id") for k, _m in row.errors):
            c.fail("organization", _("bắt buộc (ghi mã hoặc tên)."))
        responsible = self._responsible(c)
        starts_on = c.date("starts_on", not_after_today=False)
        due_on = c.date("due_on", not_after_today=False)
        for key, value in (("starts_on", starts_on), ("due_on", due_on)):
            if value is None and not any(k == key for k, _m in row.errors):
                c.fail(key, _("bắt buộc, đang để trống."))
        deliverable = c.text("deliverable", 300) if c.has("deliverable") else ""
        weight_text = c.text("weight") if c.has("weight") else ""
        weight = 1
        if weight_text:
            if not weight_text.isdigit() or not 1 <= int(weight_text) <= 100:
                c.fail("weight", _("«%(value)s» không phải số nguyên từ 1 đến 100.") % {"value": weight_text})
            else:
                weight = int(weight_text)
        if row.errors or program is None or org is None or responsible is None or starts_on is None or due_on is None:
            return
        existing = None
        if pk is not None:
            existing = Task.objects.filter(pk=pk, program=program).first()
            if existing is None:
                c.fail("id", _("không có nhiệm vụ mang mã %(id)s trong chương trình này.") % {"id": pk})
                return
        else:
            existing = Task.objects.filter(program=program, title=title, organization=org).order_by("pk").first()
        if existing is None:
            task = task_create(
                actor=self.actor,
                program=program,
                title=title,
                organization=org,
                responsible=responsible,
                starts_on=starts_on,
                due_on=due_on,
                objective=objective,
                parent=parent,
                deliverable=deliverable,
                weight=weight,
            )
            row.target = task.pk
            return
        row.target = existing.pk
        placed = (existing.organization_id, existing.parent_id, existing.objective_id)
        wanted = (org.pk, parent.pk if parent else existing.parent_id, objective.pk if objective else None)
        if c.has("objective") and placed != wanted or (not c.has("objective") and placed[:2] != wanted[:2]):
            row.error(
                "",
                _(
                    "Không đổi được đơn vị chủ trì, nhiệm vụ cấp trên hay mục tiêu của nhiệm vụ đã có; hãy sửa trên "
                    "trang chương trình hoặc thêm dòng mới (để trống mã)."
                ),
            )
            return
        shown = {"status": str(existing.get_status_display()), "progress": number_text(existing.progress)}
        for key, current in shown.items():
            typed = c.text(key) if c.has(key) else ""
            if typed and fold(typed) != fold(current) and not (key == "progress" and _same_number(typed, current)):
                c.fail(key, _("chỉ để xem (đang là «%(value)s»); đổi trên trang nhiệm vụ.") % {"value": current})
        if row.errors:
            return
        wanted_fields: TaskChanges = {
            "title": title,
            "responsible": responsible,
            "starts_on": starts_on,
            "due_on": due_on,
            "deliverable": deliverable if c.has("deliverable") else existing.deliverable,
            "weight": weight if weight_text else existing.weight,
        }
        before = {k: getattr(existing, k) for k in wanted_fields}
        if before == wanted_fields:
            row.action = RowAction.UNCHANGED
            return
        task_update(actor=self.actor, task=existing, **wanted_fields)
        row.action = RowAction.UPDATE
        labels = {k: self.layout[k].header for k in wanted_fields}
        row.changes = changes(_texts(before), _texts(wanted_fields), labels)


def _texts(values: Mapping[str, object]) -> dict[str, Any]:
    return {k: (v.full_name if isinstance(v, Person) else v) for k, v in values.items()}


def _same_number(typed: str, shown: str) -> bool:
    try:
        return parse_quantity(typed, "%") == parse_quantity(shown, "%")
    except ValidationError:
        return False


class IndicatorValueImport(ServiceImport):
    kind = ImportKind.INDICATOR_VALUES

    def prepare(self) -> None:
        self.indicators = {
            i.pk: i
            for i in Indicator.objects.filter(
                objective__program__organization__path__startswith=self.organization.path
            ).select_related("objective__program")
        }

    def row(self, row: Row, c: Cells) -> None:
        indicator_id = c.id("indicator_id")
        indicator = self.indicators.get(indicator_id) if indicator_id is not None else None
        if indicator_id is None and not row.errors:
            c.fail("indicator_id", _("bắt buộc, đang để trống."))
        elif indicator is None and indicator_id is not None:
            c.fail(
                "indicator_id",
                _("không có chỉ tiêu mang mã %(id)s trong %(root)s.")
                % {"id": indicator_id, "root": self.organization.name},
            )
        day = c.date("period_end", not_after_today=False)
        if day is None and not any(k == "period_end" for k, _m in row.errors):
            c.fail("period_end", _("bắt buộc, đang để trống."))
        typed = c.text("value", 40) if c.has("value") else ""
        note = c.text("note", 500) if c.has("note") else ""
        value = None
        if typed and indicator is not None:
            try:
                value = parse_quantity(typed, indicator.unit)
            except ValidationError as error:
                c.fail("value", error.messages[0])
        if row.errors or indicator is None or day is None:
            return
        end = periods.bounds(indicator.objective.program.report_every, day)[1]
        existing = IndicatorValue.objects.filter(indicator=indicator, on=end).first()
        row.target = indicator.pk
        if value is None:  # an empty value: nothing to record for that period
            row.action = RowAction.UNCHANGED
            return
        if existing is not None and existing.value == value and existing.note == note:
            row.action = RowAction.UNCHANGED
            return
        indicator_record(actor=self.actor, indicator=indicator, period_end=end, value=value, note=note)
        if existing is not None:
            row.action = RowAction.UPDATE
            label = self.layout["value"].header
            row.changes = {label: [number_text(existing.value), number_text(value)]}
            if end != day:
                row.notes.append(_("Ghi cho kỳ kết thúc ngày %(day)s.") % {"day": date_text(end)})


def task_rows(org: Organization) -> Iterator[dict[str, str]]:
    """The tasks of the programs of ``org``'s subtree, program by program, as the import reads them back."""
    qs = (
        Task.objects.filter(program__organization__path__startswith=org.path)
        .select_related("program", "objective", "organization", "responsible")
        .order_by("program_id", "id")
    )
    with translation.override("vi"):
        for t in qs.iterator(chunk_size=2000):
            yield {
                "id": str(t.pk),
                "program_id": str(t.program_id),
                "program": t.program.title,
                "title": t.title,
                "objective": t.objective.title if t.objective else "",
                "parent_id": "" if t.parent_id is None else str(t.parent_id),
                "organization_id": str(t.organization_id),
                "organization": t.organization.name,
                "responsible_id": str(t.responsible_id),
                "responsible": t.responsible.full_name,
                "starts_on": date_text(t.starts_on),
                "due_on": date_text(t.due_on),
                "deliverable": t.deliverable,
                "weight": str(t.weight),
                "status": str(t.get_status_display()),
                "progress": number_text(t.progress),
            }


def indicator_value_rows(org: Organization) -> Iterator[dict[str, str]]:
    """Every value recorded for the indicators of ``org``'s subtree, and for each indicator a row for the current
    period when it has none yet (its value to fill in)."""
    indicators = (
        Indicator.objects.filter(objective__program__organization__path__startswith=org.path)
        .select_related("objective__program")
        .prefetch_related("values")
        .order_by("objective__program_id", "id")
    )
    today = timezone.localdate()
    for i in indicators:
        base = {"indicator_id": str(i.pk), "indicator": i.name, "unit": i.unit}
        values = sorted(i.values.all(), key=lambda v: v.on)
        for v in values:
            yield base | {"period_end": date_text(v.on), "value": number_text(v.value), "note": v.note}
        program = i.objective.program
        current = periods.bounds(program.report_every, today)[1]
        if program.starts_on <= today <= program.ends_on and current not in {v.on for v in values}:
            yield base | {"period_end": date_text(current), "value": "", "note": ""}
