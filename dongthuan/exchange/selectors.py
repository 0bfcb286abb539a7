"""Reads for lists going out (each row as the template's cells, so that an export imports back unchanged) and for
the imports screens (batches, a page of a batch's checked rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from django.db.models import Q, QuerySet
from django.utils import translation

from dongthuan.core.text import date_text
from dongthuan.core.types import Actor, JSONValue
from dongthuan.exchange.importers import registered_rows
from dongthuan.exchange.models import ImportBatch, ImportChunk, ImportKind, RowAction
from dongthuan.organizations.models import Organization, Position
from dongthuan.organizations.roles import organization_reach
from dongthuan.people import selectors as people_selectors
from dongthuan.people.models import Person
from dongthuan.people.permissions import PRIVATE_PERSON_FIELDS, private_details_reader


class _Named(Protocol):
    name: str


def _name(obj: _Named | None) -> str:
    return obj.name if obj is not None else ""


def _id(value: object) -> str:
    return "" if value is None else str(value)


def template_organizations(org: Organization) -> QuerySet[Organization]:
    """The organisations a template lists with their ids: ``org``'s subtree, in tree order."""
    return Organization.objects.subtree_of(org).select_related("parent").order_by("path")


def organization_rows(org: Organization, reach: Q | None = None) -> Iterator[dict[str, str]]:
    """The organisations of ``org``'s subtree within ``reach`` (those whose pages the reader opens; None: all)."""
    qs = Organization.objects.subtree_of(org).select_related("level", "parent", "parent__parent").order_by("path")
    if reach is not None:
        qs = qs.filter(reach)
    with translation.override("vi"):
        for o in qs.iterator(chunk_size=2000):
            yield {
                "id": str(o.pk),
                "name": o.name,
                "short_name": o.short_name,
                "kind": str(o.get_kind_display()),
                "level": _name(o.level),
                "doc_code": o.doc_code,
                "parent_id": _id(o.parent_id),
                "parent": _name(o.parent),
                "grandparent": _name(o.parent.parent) if o.parent is not None else "",
                "valid_from": date_text(o.valid_from),
                "address": o.address,
            }


def people_rows(
    people: QuerySet[Person], sees_private: Callable[[Person], bool] = lambda person: True
) -> Iterator[dict[str, str]]:
    """People as the template's cells; the private details (``people.permissions.PRIVATE_PERSON_FIELDS``) are left empty
    in the rows where ``sees_private`` says the reader's pages hide them."""
    qs = people.select_related("cell", "home_organization")
    with translation.override("vi"):
        for p in qs.iterator(chunk_size=2000):
            row = {
                "id": str(p.pk),
                "full_name": p.full_name,
                "gender": str(p.get_gender_display()) if p.gender else "",
                "birth_date": date_text(p.birth_date),
                "party_status": str(p.get_party_status_display()) if p.party_status else "",
                "party_card_number": p.party_card_number or "",
                "joined_on": date_text(p.joined_on),
                "full_on": date_text(p.full_on),
                "cell_id": _id(p.cell_id),
                "cell": _name(p.cell),
                "home_id": _id(p.home_organization_id),
                "home": _name(p.home_organization),
                "phone": p.phone,
                "email": p.email,
                "address": p.address,
            }
            if not sees_private(p):
                row |= dict.fromkeys(PRIVATE_PERSON_FIELDS, "")
            yield row


def member_people(org: Organization, query: str = "", status: str = "") -> QuerySet[Person]:
    return people_selectors.members(org, query, status)


def position_rows(org: Organization) -> Iterator[dict[str, str]]:
    qs = (
        Position.objects.filter(organization__path__startswith=org.path, person__classification="")
        .select_related("person", "organization", "body")
        .order_by("organization__path", "body_id", "start", "id")
    )
    with translation.override("vi"):
        for p in qs.iterator(chunk_size=2000):
            yield {
                "id": str(p.pk),
                "person_id": str(p.person_id),
                "full_name": p.person.full_name,
                "party_card_number": p.person.party_card_number or "",
                "organization_id": str(p.organization_id),
                "organization": p.organization.name,
                "body": _name(p.body),
                "title": str(p.get_title_display()),
                "start": date_text(p.start),
                "end": date_text(p.end),
                "end_reason": p.end_reason,
            }


def export_rows(
    kind: str, org: Organization, query: str = "", status: str = "", reader: Actor = None
) -> Iterator[dict[str, str]]:
    """The rows of a list going out, as ``reader``'s pages show them: the organisations they open, people without
    the details their pages hide (None: everything, for the system)."""
    if kind == ImportKind.ORGANIZATIONS:
        return organization_rows(org, organization_reach(reader) if reader is not None else None)
    if kind == ImportKind.POSITIONS:
        return position_rows(org)
    registered = registered_rows(kind)  # the lists of the apps above exchange (programs' tasks and indicators)
    if registered is not None:
        return registered(org)
    people = member_people(org, query, status)
    return people_rows(people, private_details_reader(reader)) if reader is not None else people_rows(people)


def batches(org: Organization, limit: int = 20) -> list[ImportBatch]:
    return list(
        ImportBatch.objects.filter(organization=org).select_related("created_by").order_by("-created_at", "-id")[:limit]
    )


FILTERS = ("all", RowAction.ERROR, RowAction.CREATE, RowAction.UPDATE, RowAction.UNCHANGED)


def batch_rows(batch: ImportBatch, action: str, page: int, per_page: int) -> tuple[list[dict[str, JSONValue]], int]:
    """One page of a batch's checked rows (all, or those with one action) and the number of pages. Reads only
    the chunks that hold the page, using each chunk's counts."""
    wanted = None if action == "all" else action
    counts = list(
        ImportChunk.objects.filter(batch=batch)
        .order_by("index")
        .values_list("index", "n_create", "n_update", "n_unchanged", "n_error")
    )
    by_action: dict[str, int] = {RowAction.CREATE: 1, RowAction.UPDATE: 2, RowAction.UNCHANGED: 3, RowAction.ERROR: 4}
    sizes = [(c[0], sum(c[1:]) if wanted is None else c[by_action[wanted]]) for c in counts]
    total = sum(n for _i, n in sizes)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    skip, take = (page - 1) * per_page, per_page
    needed: list[int] = []
    offset = 0
    first_skip = 0
    for index, n in sizes:
        if offset + n > skip and offset < skip + take and n:
            if not needed:
                first_skip = skip - offset
            needed.append(index)
        offset += n
    rows: list[dict[str, JSONValue]] = []
    for chunk in ImportChunk.objects.filter(batch=batch, index__in=needed).order_by("index"):
        rows.extend(r for r in chunk.rows if wanted is None or r["action"] == wanted)
    return rows[first_skip : first_skip + take], pages
