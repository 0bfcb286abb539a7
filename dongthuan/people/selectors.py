from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dongthuan.core.text import fold
from dongthuan.organizations.models import Position
from dongthuan.people.models import Person
from dongthuan.permissions import access_for, visible_people


def own_record(user: Any) -> tuple[Person | None, list[Position]]:
    """The signed-in account's own person record and current posts (already read by the permission check)."""
    access = access_for(user)
    return access.person, access.positions


def positions(person: Person, current_only: bool = False) -> list[Position]:
    qs = Position.objects.filter(person=person).select_related("organization", "body")
    if current_only:
        qs = qs.current()
    return list(qs.order_by("end", "-start"))


def search(user: Any, query: str) -> QuerySet[Person]:
    """People the account may see whose name contains the query, ignoring diacritics ("tran duy" → "Trần Duy")."""
    folded = fold(query)
    qs = visible_people(user)
    if not folded:
        return qs.none()
    return qs.filter(search_name__contains=folded).select_related("cell").order_by("sort_key", "id")
