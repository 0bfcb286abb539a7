"""Reads of action programs: the dashboard of an organisation's subtree (from ``Tally``, never the tasks
themselves, except the late ones shown), a program's objectives, indicators and task tree, a task's cascade, and the
tracking table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum

from dongthuan.organizations.models import Organization, Position
from dongthuan.people.models import Person
from dongthuan.programs.models import (
    Evidence,
    Field,
    Indicator,
    Objective,
    Program,
    ProgressReport,
    Tally,
    Task,
    TaskStatus,
)

PATH_STEP = 8  # organizations' paths are fixed-width segments ("0000001.")
LATE_SHOWN = 20


def _share(weighted: Decimal | float | None, weight: int | None) -> Decimal | None:
    if not weight:
        return None
    return (Decimal(weighted or 0) / weight).quantize(Decimal("0.1"))


@dataclass
class Cell:
    tasks: int = 0
    weight: int = 0
    weighted: float = 0.0

    @property
    def progress(self) -> Decimal | None:
        return _share(self.weighted, self.weight)

    @property
    def percent(self) -> int | None:
        """The progress rounded to a whole percent, as pages show it."""
        progress = self.progress
        return None if progress is None else int(progress.quantize(Decimal(1)))

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
    units: list[UnitRow]  # those leading tasks
    idle_units: int  # the other units directly under it
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


def late_tasks(organization_ids: list[int] | None, limit: int = LATE_SHOWN) -> list[Task]:
    """The late tasks led in a subtree, earliest due first (an index on late tasks by due date, or by organisation
    and due date when the subtree is named by ``organization_ids``)."""
    late = Task.objects.filter(status=TaskStatus.LATE)
    if organization_ids is not None:
        late = late.filter(organization_id__in=organization_ids)
    return list(late.select_related("organization", "responsible").order_by("due_on", "id")[:limit])


def _tally_rows(path: str, width: int) -> list[tuple[str, int | None, int, float, *tuple[int, ...]]]:
    """The tallies of the organisations under ``path`` added up by unit (the first ``width`` characters of their
    path) and field: (unit, field, leaf weight, weighted progress, then the count of each status in ``TaskStatus``
    order). Read as plain rows, without Django's per-row decimal conversion."""
    sums = ", ".join(f"SUM(t.{st})" for st in TaskStatus.values)
    sql = (
        f"SELECT SUBSTR(o.path, 1, %s) AS unit, t.field_id, SUM(t.leaf_weight), SUM(t.leaf_sum), {sums} "  # noqa: S608
        "FROM programs_tally t INNER JOIN organizations_organization o ON o.id = t.organization_id "
        "WHERE o.path LIKE %s GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [width, path + "%"])
        return [(u, f, int(w or 0), float(s or 0), *[int(n or 0) for n in rest]) for u, f, w, s, *rest in cursor]


def dashboard(organization: Organization) -> Dashboard:
    """Tasks led in ``organization``'s subtree: by status, overall progress, each directly subordinate unit (its
    subtree) ranked by progress and split by field, the late tasks with who answers for them, and the indicators
    of the organisation's own programs. Every count comes from ``Tally``, grouped by unit in the database; a task
    past its due date is counted late once the daily ``manage.py program_reminders`` has flagged it
    (``services.tasks_flag_overdue``)."""
    path = organization.path
    width = len(path) + PATH_STEP
    children = {
        o.path: o for o in Organization.objects.filter(parent=organization).exclude(status="dissolved").order_by("name")
    }
    statuses = TaskStatus.values
    by_status: dict[str, int] = defaultdict(int)
    total = Cell()
    units: dict[str, UnitRow] = {}
    for unit_path, field_id, weight, weighted, *counts in _tally_rows(path, width):
        n = sum(counts)
        for st, count in zip(statuses, counts, strict=True):
            by_status[st] += count
        total.tasks += n
        total.weight += weight
        total.weighted += weighted
        unit = children.get(unit_path)
        if unit is None:
            continue  # the organisation's own tasks
        row = units.setdefault(unit.path, UnitRow(unit, Cell()))
        row.late += counts[statuses.index(TaskStatus.LATE)]
        cell = row.by_field.setdefault(field_id, Cell())
        for target in (cell, row.total):
            target.tasks += n
            target.weight += weight
            target.weighted += weighted
    for child in children.values():
        units.setdefault(child.path, UnitRow(child, Cell()))
    fields = list(Field.objects.all())
    for unit_row in units.values():
        unit_row.heat = [unit_row.by_field.get(f.pk, Cell()) for f in fields]
    ranked = sorted(
        (u for u in units.values() if u.total.tasks),
        key=lambda u: (u.total.progress is None, -(u.total.progress or 0), u.late, u.organization.name),
    )
    if organization.parent_id is None and not Organization.objects.exclude(path__startswith=path).exists():
        in_tree = None  # the whole tree: no condition on who leads
    else:
        in_tree = list(Organization.objects.filter(path__startswith=path).values_list("pk", flat=True))
    programs = list(Program.objects.filter(organization=organization).order_by("-starts_on", "-id")[:20])
    indicators = list(
        Indicator.objects.filter(objective__program__in=[p.pk for p in programs])
        .select_related("objective__field", "objective__program")
        .order_by("objective__program", "objective__field__order", "id")
    )
    return Dashboard(
        organization=organization,
        by_status={k: v for k, v in by_status.items() if v},
        total=total,
        fields=fields,
        units=ranked,
        idle_units=len(units) - len(ranked),
        late=late_tasks(in_tree),
        late_count=by_status[TaskStatus.LATE],
        indicators=indicators,
        programs=programs,
    )


@dataclass
class ProgramPage:
    program: Program
    objectives: list[Objective]
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
    return list(
        task.children.select_related("organization", "responsible", "program__organization").order_by("due_on", "id")
    )


def task_reports(task: Task) -> list[ProgressReport]:
    """A task's progress reports with who made them and their evidence (without the files' content), each given
    the task as loaded (with its program) so that its period is named without a query."""
    reports = list(
        task.reports.select_related("reported_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.defer("content"))
        )
    )
    for report in reports:
        report.task = task
    return reports


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
        for t in Task.objects.filter(pk__in=ids).select_related(
            "organization", "responsible", "program__organization", "field"
        )
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
    under it, and the party members of its cells directly under it."""
    near = Q(organization__path__startswith=organization.path, organization__depth__lte=organization.depth + 1)
    posts = Position.objects.current().filter(near)
    cell_members = Q(cell__parent=organization) | Q(cell=organization)
    return Person.objects.filter(
        Q(pk__in=posts.values("person_id")) | (cell_members & Q(party_status__in=["full", "probationary"])),
        classification="",
    ).order_by("sort_key")


def my_tasks(person_id: int | None, limit: int = 10) -> list[Task]:
    """The open tasks a person answers for, the earliest due first (the home page)."""
    if person_id is None:
        return []
    found = Task.objects.filter(responsible_id=person_id).exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
    return list(found.select_related("organization").order_by("due_on", "id")[:limit])


def late_in_reach(paths: list[str]) -> list[tuple[Organization, int]]:
    """For each organisation an officer follows (their subtrees' roots), how many tasks in it are late (from the
    tallies: one query a subtree)."""
    out = []
    for org in Organization.objects.filter(path__in=paths).order_by("path"):
        late = Tally.objects.filter(organization__path__startswith=org.path).aggregate(n=Sum("late"))["n"] or 0
        if late:
            out.append((org, late))
    return out
