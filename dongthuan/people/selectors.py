"""Reads on people: a person's record and posts, who the members of an organisation are, who holds its head
post, and the province-wide search by name."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from dongthuan.core.text import fold
from dongthuan.core.types import Actor
from dongthuan.organizations.models import Organization, PartyStatus, Position
from dongthuan.organizations.roles import access_for
from dongthuan.organizations.selectors import subtree_ids
from dongthuan.people.models import Person
from dongthuan.people.permissions import visible_people


def person_of_account(user: Actor) -> Person | None:
    """The signed-in account's own person record, as the permission check already read it (no query)."""
    record = access_for(user).person
    return record if isinstance(record, Person) else None


def own_record(user: Actor) -> tuple[Person | None, list[Position]]:
    """The signed-in account's own person record and current posts (already read by the permission check)."""
    return person_of_account(user), access_for(user).positions


def positions(person: Person, current_only: bool = False) -> list[Position]:
    qs = Position.objects.filter(person=person).select_related("organization", "body")
    if current_only:
        qs = qs.current()
    return list(qs.order_by("end", "-start"))


# A province-wide search needs this many letters; shorter ones match a large part of the province.
SEARCH_MIN_LENGTH = 3


def name_contains(folded: str) -> Q:
    """People whose folded name contains ``folded``, through the trigram index (migration people/0004): an FTS5
    table on SQLite, pg_trgm on PostgreSQL (which serves ``LIKE '%…%'`` directly)."""
    if connection.vendor == "sqlite" and len(folded) >= SEARCH_MIN_LENGTH:
        pattern = "%" + folded.replace("%", "").replace("_", "") + "%"
        return Q(pk__in=RawSQL("SELECT rowid FROM people_person_fts WHERE search_name LIKE %s", [pattern]))
    return Q(search_name__contains=folded)


def search(user: Actor, query: str) -> QuerySet[Person]:
    """People the account may see whose name contains the query, ignoring diacritics ("tran duy" → "Trần Duy")."""
    folded = fold(query)
    qs = visible_people(user)
    if len(folded) < SEARCH_MIN_LENGTH:
        return qs.none()
    return qs.filter(name_contains(folded)).select_related("cell").order_by("sort_key", "id")


# The posts whose holder heads an organisation (its secretary, chair or head).
HEAD_TITLES = ("secretary", "chair", "head")


def head_of(organization_id: int | None, on: dt.date) -> Person | None:
    """Who holds the head post (secretary, chair or head) of an organisation on a day."""
    if organization_id is None:
        return None
    post = (
        Position.objects.current(on)
        .filter(organization_id=organization_id, title__in=HEAD_TITLES)
        .select_related("person")
        .order_by("start", "id")
        .first()
    )
    return post.person if post else None


def members(org: Organization, query: str = "", status: str = "") -> QuerySet[Person]:
    """Party members whose cell lies in ``org``'s subtree (or, outside the party, people registered there)."""
    ids = subtree_ids(org)
    if org.is_party:
        qs = Person.objects.filter(cell_id__in=ids, party_status__in=[PartyStatus.FULL, PartyStatus.PROBATIONARY])
    else:
        qs = Person.objects.filter(home_organization_id__in=ids)
    qs = qs.filter(classification="")
    if status in (PartyStatus.FULL, PartyStatus.PROBATIONARY):
        qs = qs.filter(party_status=status)
    folded = fold(query)
    if folded:
        qs = qs.filter(name_contains(folded))
    return qs.select_related("cell").order_by("sort_key", "id")


def people_of_organization(org: Organization) -> QuerySet[Person]:
    """People holding a current post in ``org``, by name (the choices for a meeting's chair, secretary and guests,
    and for a document's signer)."""
    ids = Position.objects.current().filter(organization=org).values_list("person_id", flat=True)
    return Person.objects.filter(pk__in=ids, classification="").order_by("sort_key")
