"""Reads on the organisation tree: what a user sees, children, search, what needs attention. Who the members of
an organisation are is the people app's to read (``people.selectors``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.core.text import fold
from dongthuan.core.types import Actor
from dongthuan.organizations.models import (
    BODY_KIND_ORDER,
    ORGANIZATION_KIND_ORDER,
    POSITION_ORDER,
    Body,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    ParentLink,
    PartyStatus,
    Position,
    PositionTitle,
    Term,
    rank_of,
)
from dongthuan.organizations.roles import access_for
from dongthuan.organizations.succession import predecessors_of
from dongthuan.rules import organization as org_rules


def visible_roots(user: Actor) -> QuerySet[Organization]:
    """The top of the tree an account sees: the roots for administrators, else the organisations it serves."""
    access = access_for(user)
    qs = Organization.objects.select_related("level")
    if access.is_admin:
        return qs.filter(parent__isnull=True)
    paths = access.officer_paths() or sorted({g.path for g in access.grants})
    return qs.filter(path__in=paths)


def with_child_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    return qs.annotate(child_count=Count("children", distinct=True))


def children(org: Organization) -> QuerySet[Organization]:
    """Direct children, by kind then name, each with its own number of children (for the tree's toggles)."""
    return with_child_counts(Organization.objects.filter(parent=org).select_related("level")).order_by(
        rank_of("kind", ORGANIZATION_KIND_ORDER), "search_name"
    )


def children_as_of(org: Organization, on: dt.date) -> QuerySet[Organization]:
    """The organisations directly under ``org`` on date ``on`` (from the dated parent links)."""
    ids = ParentLink.objects.in_force(on).filter(parent=org).values("organization_id")
    return _with_child_counts_as_of(Organization.objects.in_force(on).filter(pk__in=ids), on).order_by(
        rank_of("kind", ORGANIZATION_KIND_ORDER), "search_name"
    )


def visible_roots_as_of(user: Actor, on: dt.date) -> QuerySet[Organization]:
    """The account's own top organisations, if they existed on ``on`` (officers browse their subtree's past)."""
    roots = list(visible_roots(user).values_list("pk", flat=True))
    ids = set(roots) | predecessors_of(roots)
    return _with_child_counts_as_of(Organization.objects.in_force(on).filter(pk__in=ids), on).order_by("search_name")


def roots_as_of(on: dt.date) -> QuerySet[Organization]:
    ids = ParentLink.objects.in_force(on).filter(parent__isnull=True).values("organization_id")
    return _with_child_counts_as_of(Organization.objects.in_force(on).filter(pk__in=ids), on).order_by("search_name")


def _with_child_counts_as_of(qs: QuerySet[Organization], on: dt.date) -> QuerySet[Organization]:
    in_force = (Q(child_links__valid_from__isnull=True) | Q(child_links__valid_from__lte=on)) & (
        Q(child_links__valid_to__isnull=True) | Q(child_links__valid_to__gte=on)
    )
    return qs.select_related("level").annotate(child_count=Count("child_links", filter=in_force, distinct=True))


def parent_history(org: Organization) -> list[ParentLink]:
    return list(ParentLink.objects.filter(organization=org).select_related("parent").order_by("valid_from", "id"))


def search(user: Actor, query: str, limit: int = 50) -> list[Organization]:
    """Organisations whose name contains the query, ignoring diacritics and case ("trung my" finds "Trung Mỹ")."""
    folded = fold(query)
    if not folded:
        return []
    access = access_for(user)
    qs = Organization.objects.select_related("level", "parent").filter(search_name__contains=folded)
    if not access.is_admin:
        paths = access.officer_paths() or [g.path for g in access.grants]
        if not paths:
            return []
        scope = Q()
        for p in paths:
            scope |= Q(path__startswith=p)
        qs = qs.filter(scope)
    return list(qs.order_by("depth", "search_name")[:limit])


def ancestors(org: Organization) -> list[Organization]:
    ids = org.ancestor_ids()
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def bodies_with_positions(org: Organization) -> list[Body]:
    current = (
        Position.objects.current()
        .select_related("person")
        .order_by(rank_of("title", POSITION_ORDER), "person__sort_key")
    )
    return list(
        Body.objects.filter(organization=org)
        .order_by(rank_of("kind", BODY_KIND_ORDER), "id")
        .select_related("term")
        .prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
    )


def positions_without_body(org: Organization) -> list[Position]:
    return list(
        Position.objects.current()
        .filter(organization=org, body__isnull=True)
        .select_related("person")
        .order_by(rank_of("title", POSITION_ORDER), "person__sort_key")
    )


def bodies_of(org: Organization) -> QuerySet[Body]:
    """The bodies of an organisation (its committee, standing committee, inspection committee…)."""
    return Body.objects.filter(organization=org)


def cells_in_subtree(org: Organization | None) -> QuerySet[Organization]:
    """The cells of ``org``'s subtree (``org`` itself if it is one), by name; none without an organisation."""
    if org is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=org.path, kind=OrganizationKind.CELL).order_by("search_name")


def subtree_ids(org: Organization) -> list[int]:
    return list(Organization.objects.filter(path__startswith=org.path).values_list("id", flat=True))


@dataclass(frozen=True)
class Attention:
    """One thing on the home page that needs someone's action."""

    kind: str
    organization: Organization
    message: str
    rule: str = ""


def attention(user: Actor, limit: int = 20, on: dt.date | None = None) -> list[Attention]:
    """What needs attention in the organisations an account manages: cells below the minimum (R-ORG-1), party
    bodies with no secretary, terms that end within 180 days."""
    on = on or timezone.localdate()
    access = access_for(user)
    if access.is_admin:
        scope = Q()
    else:
        paths = access.officer_paths()
        if not paths:
            return []
        scope = Q(pk__in=[])
        for p in paths:
            scope |= Q(path__startswith=p)
    items: list[Attention] = []
    cells = (
        Organization.objects.filter(scope, kind=OrganizationKind.CELL)
        .exclude(status=OrganizationStatus.DISSOLVED)
        .annotate(full=Count("party_members", filter=Q(party_members__party_status=PartyStatus.FULL)))
        .filter(full__lt=org_rules.CELL_MIN_FULL_MEMBERS)
        .order_by("path")[:limit]
    )
    for cell in cells:
        items.append(
            Attention("cell_below_minimum", cell, org_rules.cell_minimum_message(cell.full), org_rules.R_ORG_1.id)
        )
    has_secretary = Position.objects.current().filter(
        body=OuterRef("pk"), title__in=[PositionTitle.SECRETARY, PositionTitle.CHAIR]
    )
    bodies = (
        Body.objects.filter(organization__in=Organization.objects.filter(scope).exclude(status="dissolved"))
        .exclude(Exists(has_secretary))
        .filter(kind__in=["committee", "cell_committee", "inspection_committee"])
        .select_related("organization")
        .order_by("organization__path")[:limit]
    )
    for body in bodies:
        items.append(
            Attention(
                "body_without_head", body.organization, _("%(body)s chưa có người đứng đầu.") % {"body": body.name}
            )
        )
    terms = (
        Term.objects.filter(
            organization__in=Organization.objects.filter(scope), end__gte=on, end__lte=on + dt.timedelta(days=180)
        )
        .select_related("organization")
        .order_by("end")[:limit]
    )
    for term in terms:
        items.append(
            Attention(
                "term_ending",
                term.organization,
                _("%(term)s kết thúc ngày %(date)s: chuẩn bị đại hội.")
                % {"term": str(term), "date": term.end.strftime("%d/%m/%Y") if term.end else ""},
                org_rules.R_ORG_3.id,
            )
        )
    return items
