from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from dongthuan.core.text import fold
from dongthuan.organizations.models import Position
from dongthuan.organizations.roles import access_for
from dongthuan.people.models import Person
from dongthuan.people.permissions import visible_people


def own_record(user: Any) -> tuple[Person | None, list[Position]]:
    """The signed-in account's own person record and current posts (already read by the permission check)."""
    access = access_for(user)
    return access.person, access.positions


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


def search(user: Any, query: str) -> QuerySet[Person]:
    """People the account may see whose name contains the query, ignoring diacritics ("tran duy" → "Trần Duy")."""
    folded = fold(query)
    qs = visible_people(user)
    if len(folded) < SEARCH_MIN_LENGTH:
        return qs.none()
    return qs.filter(name_contains(folded)).select_related("cell").order_by("sort_key", "id")
