"""Who may follow, manage and report on action programs, their indicators and tasks.

An organisation's results (its dashboard) are followed by its officers and those above; a program is seen by the
officers on its organisation's line (above it, at it, and below it, which carries out its tasks) and managed —
objectives, indicators, tasks — by its organisation's managers; a task is reported on by its answerable person and
the managers of its lead unit, and seen by those, by the officers on the lead unit's line and by the officers of
the program's owner. Decided with the roles of ``organizations.roles``.

Views load what a browser names with ``<entity>_for_user(user, id)`` (or ``_for_manager``, ``_for_reporter``): a
missing object and a forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.organizations.models import Organization
from dongthuan.organizations.permissions import can_manage_organization, organization_for_manager
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, Account, access_for
from dongthuan.programs.models import Evidence, Indicator, Program, Task


def _officer_on_line(user: Account, org: Organization) -> bool:
    """An officer of ``org``, of an organisation above it, or of one below it (which carries out its tasks)."""
    access = access_for(user)
    if access.is_admin:
        return True
    return any(
        g.role in OFFICER_ROLES and (org.path.startswith(g.path) or g.path.startswith(org.path)) for g in access.grants
    )


def can_view_dashboard(user: Account, org: Organization) -> bool:
    """The results of an organisation's subtree: its officers and those above."""
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_create_program(user: Account, org: Organization) -> bool:
    """Drafting an organisation's program — its own, or the one that carries a task given to it from above: the
    organisation's managers."""
    return can_manage_organization(user, org)


def can_view_program(user: Account, program: Program) -> bool:
    return _officer_on_line(user, program.organization)


def can_manage_program(user: Account, program: Program) -> bool:
    """Objectives, indicators and tasks of a program: the managers of its organisation."""
    return access_for(user).reaches(program.organization, MANAGER_ROLES)


def can_report_task(user: Account, task: Task) -> bool:
    """Report progress and change the status: the answerable person, or the managers of the lead organisation."""
    access = access_for(user)
    if access.person_id is not None and access.person_id == task.responsible_id:
        return True
    return access.reaches(task.organization, MANAGER_ROLES)


def can_view_task(user: Account, task: Task) -> bool:
    """A task, its reports and their evidence: its answerable person, the officers on the lead unit's line (its
    subtree, which carries it out, and the organisations above it) and the officers of the program's owner. Not
    the officers of a sibling unit under the same program: a commune does not read another commune's reports."""
    return (
        can_report_task(user, task)
        or _officer_on_line(user, task.organization)
        or access_for(user).reaches(task.program.organization, OFFICER_ROLES)
    )


def organization_for_dashboard(user: Account, organization_id: int | str) -> Organization:
    org = get_or_404(Organization.objects.select_related("level", "parent"), organization_id)
    if not can_view_dashboard(user, org):
        raise Http404
    return org


def organization_for_program_creator(user: Account, organization_id: int | str) -> Organization:
    """An organisation ``user`` may draft a program of (``can_create_program``)."""
    return organization_for_manager(user, organization_id)


def program_for_user(user: Account, program_id: int | str) -> Program:
    program = get_or_404(Program.objects.select_related("organization", "implements", "carries"), program_id)
    if not can_view_program(user, program):
        raise Http404
    return program


def program_for_manager(user: Account, program_id: int | str) -> Program:
    program = program_for_user(user, program_id)
    if not can_manage_program(user, program):
        raise Http404
    return program


def indicator_for_manager(user: Account, indicator_id: int | str) -> Indicator:
    indicator = get_or_404(Indicator.objects.select_related("objective__program__organization"), indicator_id)
    if not can_manage_program(user, indicator.objective.program):
        raise Http404
    return indicator


def task_for_user(user: Account, task_id: int | str) -> Task:
    related = ("organization", "responsible", "program__organization", "objective__field", "parent")
    task = get_or_404(Task.objects.select_related(*related), task_id)
    if not can_view_task(user, task):
        raise Http404
    return task


def evidence_for_user(user: Account, evidence_id: int | str) -> Evidence:
    found = get_or_404(
        Evidence.objects.select_related("report__task__organization", "report__task__program__organization"),
        evidence_id,
    )
    if not can_view_task(user, found.report.task):
        raise Http404
    return found


def task_for_reporter(user: Account, task_id: int | str) -> Task:
    task = task_for_user(user, task_id)
    if not can_report_task(user, task):
        raise Http404
    return task
