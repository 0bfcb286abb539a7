from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet

from dongthuan.core.types import Actor
from dongthuan.organizations.models import Organization, OrganizationKind, OrganizationStatus
from dongthuan.organizations.roles import MANAGER_ROLES, access_for
from dongthuan.restructuring.models import Restructuring, RestructuringKind, Succession
from dongthuan.restructuring.permissions import can_restructure


def move_targets(user: Actor, org: Organization) -> QuerySet[Organization]:
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


def visible_events(user: Actor) -> QuerySet[Restructuring]:
    access = access_for(user)
    qs = Restructuring.objects.select_related("created_by").order_by("-effective_on", "-id")
    if access.is_admin:
        return qs
    scope = Q(pk__in=[])
    for path in access.officer_paths():
        scope |= Q(organizations__path__startswith=path)
    return qs.filter(scope).distinct()


def organization_page(user: Actor, org: Organization) -> dict[str, object]:
    """What an organisation's page shows of its reorganisations (registered with ``organizations.pages``): the menu
    to start one, for those who may, and what it took over and what took it over."""
    predecessors, successors = lineage(org)
    return {
        "can_restructure": can_restructure(user, org) and org.status != OrganizationStatus.DISSOLVED,
        "restructuring_kinds": RestructuringKind.choices,
        "predecessors": predecessors,
        "successors": successors,
    }


def lineage(org: Organization) -> tuple[list[Succession], list[Succession]]:
    """(predecessors, successors) of an organisation, with their events."""
    related = Succession.objects.select_related("predecessor", "successor", "event")
    return (
        list(related.filter(successor=org, event__status="applied")),
        list(related.filter(predecessor=org, event__status="applied")),
    )


def successor_ids(org_ids: Collection[int]) -> QuerySet[Succession, int]:
    """The organisations that directly took over any of ``org_ids`` in an applied reorganisation, as a query of ids
    (read by the organisations' rules through ``organizations.succession``)."""
    return Succession.objects.filter(predecessor_id__in=org_ids, event__status="applied").values_list(
        "successor_id", flat=True
    )


def predecessor_ids(org_ids: Collection[int]) -> QuerySet[Succession, int]:
    """The organisations that any of ``org_ids`` directly took over in an applied reorganisation, as a query of ids."""
    return Succession.objects.filter(successor_id__in=org_ids, event__status="applied").values_list(
        "predecessor_id", flat=True
    )
