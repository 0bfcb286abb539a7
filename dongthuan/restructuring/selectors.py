from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dongthuan.organizations.models import Organization, OrganizationKind, OrganizationStatus
from dongthuan.permissions import MANAGER_ROLES, access_for
from dongthuan.restructuring.models import Restructuring, Succession


def move_targets(user: Any, org: Organization) -> QuerySet[Organization]:
    """Where ``org`` may be moved: organisations (not cells) the account manages, outside ``org``'s own subtree."""
    access = access_for(user)
    qs = (
        Organization.objects.exclude(kind=OrganizationKind.CELL)
        .exclude(status=OrganizationStatus.DISSOLVED)
        .exclude(path__startswith=org.path)
        .select_related("level")
        .order_by("depth", "search_name")
    )
    if access.is_admin:
        return qs
    scope = Q(pk__in=[])
    for grant in access.grants:
        if grant.role in MANAGER_ROLES:
            scope |= Q(path__startswith=grant.path)
    return qs.filter(scope)


def visible_events(user: Any) -> QuerySet[Restructuring]:
    access = access_for(user)
    qs = Restructuring.objects.select_related("created_by").order_by("-effective_on", "-id")
    if access.is_admin:
        return qs
    scope = Q(pk__in=[])
    for path in access.officer_paths():
        scope |= Q(organizations__path__startswith=path)
    return qs.filter(scope).distinct()


def lineage(org: Organization) -> tuple[list[Succession], list[Succession]]:
    """(predecessors, successors) of an organisation, with their events."""
    related = Succession.objects.select_related("predecessor", "successor", "event")
    return (
        list(related.filter(successor=org, event__status="applied")),
        list(related.filter(predecessor=org, event__status="applied")),
    )
