"""Reads of action programs: the dashboard of an organisation's subtree (from ``Tally``, never the tasks
themselves, except the late ones shown), a program's objectives, indicators and task tree, a task's cascade, and the
tracking table."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from dongthuan.organizations.models import Organization, Position
from dongthuan.people.models import Person
from dongthuan.programs.models import (
    CLOSED_STATUSES,
    Field,
    Indicator,
    Program,
    Tally,
    Task,
    TaskStatus,
)

PATH_STEP = 8  # organizations' paths are fixed-width segments ("0000001.")
LATE_SHOWN = 20


def _share(weighted: Decimal | int | None, weight: int | None) -> Decimal | None:
    if not weight:
        return None
    return (Decimal(weighted or 0) / weight).quantize(Decimal("0.1"))


@dataclass
class Cell:
    tasks: int = 0
    weight: int = 0
    weighted: Decimal = Decimal(0)

    @property
    def progress(self) -> Decimal | None:
        return _share(self.weighted, self.weight)

    @property
    def colour(self) -> str:
        from dongthuan.programs.charts import heat

        return heat(self.progress)


@dataclass
class UnitRow:
    organization: Organization
    total: Cell
    by_field: dict[int | None, Cell] = field(default_factory=dict)
    late: int = 0
    heat: list[Cell] = field(default_factory=list)


@dataclass
class Dashboard:
    organization: Organization
    by_status: dict[str, int]
    total: Cell
    fields: list[Field]
    units: list[UnitRow]
    late: list[Task]
    late_count: int
    indicators: list[Indicator]
    programs: list[Program]

    @property
    def tasks(self) -> int:
        return sum(self.by_status.values())

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_status.get(s.value, 0)) for s in TaskStatus]


def _late(subtree: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Tasks past their due date and not done or cancelled, or marked late."""
    return subtree.exclude(status__in=CLOSED_STATUSES).filter(Q(due_on__lt=today) | Q(status=TaskStatus.LATE))


def dashboard(organization: Organization, today: dt.date | None = None) -> Dashboard:
    """Tasks led in ``organization``'s subtree: by status, overall progress, each directly subordinate unit (its
    subtree) ranked by progress and split by field, the late tasks with who answers for them, and the indicators
    of the organisation's own programs."""
    today = today or timezone.localdate()
    path = organization.path
    tallies = Tally.objects.filter(organization__path__startswith=path)
    by_status = {
        r["status"]: r["n"] for r in tallies.values("status").annotate(n=Sum("tasks")).filter(n__gt=0).order_by()
    }
    total = Cell()
    units: dict[str, UnitRow] = {}
    children = {
        o.path: o for o in Organization.objects.filter(parent=organization).exclude(status="dissolved").order_by("name")
    }
    width = len(path) + PATH_STEP
    rows = (
        tallies.annotate(unit=Substr("organization__path", 1, width))
        .values("unit", "field_id")
        .annotate(n=Sum("tasks"), w=Sum("leaf_weight"), s=Sum("leaf_sum"))
        .order_by()
    )
    for r in rows:
        total.tasks += r["n"]
        total.weight += r["w"] or 0
        total.weighted += r["s"] or 0
        unit = children.get(r["unit"]) if len(r["unit"]) == width else None
        if unit is None:
            continue  # the organisation's own tasks
        row = units.setdefault(unit.path, UnitRow(unit, Cell()))
        cell = row.by_field.setdefault(r["field_id"], Cell())
        for target in (cell, row.total):
            target.tasks += r["n"]
            target.weight += r["w"] or 0
            target.weighted += r["s"] or 0
    for child in children.values():
        units.setdefault(child.path, UnitRow(child, Cell()))
    subtree = Task.objects.filter(organization__path__startswith=path)
    late = _late(subtree, today)
    late_by_unit = (
        late.annotate(unit=Substr("organization__path", 1, width)).values("unit").annotate(n=Count("id")).order_by()
        if children
        else []
    )
    for late_row in late_by_unit:
        if late_row["unit"] in units:
            units[late_row["unit"]].late = late_row["n"]
    fields = list(Field.objects.all())
    for unit_row in units.values():
        unit_row.heat = [unit_row.by_field.get(f.pk, Cell()) for f in fields]
    ranked = sorted(
        units.values(),
        key=lambda u: (u.total.progress is None, -(u.total.progress or 0), u.late, u.organization.name),
    )
    late_rows = list(
        late.select_related("organization", "responsible", "program").order_by("due_on", "id")[:LATE_SHOWN]
    )
    programs = list(Program.objects.filter(organization=organization).order_by("-starts_on", "-id")[:20])
    indicators = list(
        Indicator.objects.filter(objective__program__in=[p.pk for p in programs])
        .select_related("objective__field", "objective__program")
        .order_by("objective__program", "objective__field__order", "id")
    )
    return Dashboard(
        organization=organization,
        by_status=by_status,
        total=total,
        fields=fields,
        units=ranked,
        late=late_rows,
        late_count=late.count(),
        indicators=indicators,
        programs=programs,
    )


@dataclass
class ProgramPage:
    program: Program
    objectives: list[Any]
    rows: list[tuple[Task, int]]  # the tasks in tree order, with their depth


def program_page(program: Program) -> ProgramPage:
    """A program's objectives (by field) with their indicators, and its tasks as a tree."""
    objectives = list(program.objectives.select_related("field").prefetch_related("indicators"))
    tasks = list(program.tasks.select_related("organization", "responsible").order_by("due_on", "id"))
    ids = {t.pk for t in tasks}
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        children[task.parent_id if task.parent_id in ids else None].append(task)
    rows: list[tuple[Task, int]] = []
    stack = [(t, 0) for t in reversed(children[None])]
    while stack:
        task, depth = stack.pop()
        rows.append((task, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(task.pk, [])))
    return ProgramPage(program, objectives, rows)


def task_children(task: Task) -> list[Task]:
    """The tasks that break ``task`` down: in its own program, and in the programs of the organisations it was
    assigned to."""
    return list(task.children.select_related("organization", "responsible", "program").order_by("due_on", "id"))


def ancestors(task: Task) -> list[Task]:
    """The tasks above ``task``, top first (a handful of levels)."""
    chain: list[Task] = []
    current = task
    while current.parent_id and len(chain) < 20:
        current = Task.objects.select_related("organization", "program").get(pk=current.parent_id)
        chain.append(current)
    return chain[::-1]


def cascade(program: Program) -> list[Task]:
    """The program's tasks and every task below them, down the cascade (one query per level), in tree order."""
    level = list(
        program.tasks.filter(Q(parent__isnull=True) | ~Q(parent__program=program)).values_list("pk", flat=True)
    )
    ids: list[int] = []
    seen: set[int] = set()
    while level and len(ids) < 200_000:
        ids += [pk for pk in level if pk not in seen]
        seen.update(level)
        level = list(Task.objects.filter(parent_id__in=level).values_list("pk", flat=True))
    rows = {
        t.pk: t
        for t in Task.objects.filter(pk__in=ids).select_related("organization", "responsible", "program", "field")
    }
    kids: dict[int | None, list[Task]] = defaultdict(list)
    for t in sorted(rows.values(), key=lambda t: (t.due_on, t.pk)):
        kids[t.parent_id if t.parent_id in rows else None].append(t)
    ordered: list[Task] = []
    stack = list(reversed(kids[None]))
    while stack:
        t = stack.pop()
        ordered.append(t)
        stack.extend(reversed(kids.get(t.pk, [])))
    return ordered


def depth_of(tasks: list[Task]) -> dict[int, int]:
    """Each task's depth in the list made by ``cascade``."""
    depth: dict[int, int] = {}
    for t in tasks:
        depth[t.pk] = depth.get(t.parent_id, -1) + 1 if t.parent_id in depth else 0
    return depth


def responsible_choices(organization: Organization) -> QuerySet[Person]:
    """Who may answer for a task of ``organization``'s program: those holding a post in it or in a unit directly
    under it."""
    posts = Position.objects.current().filter(
        organization__path__startswith=organization.path, organization__depth__lte=organization.depth + 1
    )
    return Person.objects.filter(pk__in=posts.values("person_id"), classification="").order_by("sort_key")
