"""Which organisation took over which in a reorganisation, for the rules of this app that follow it.

Reorganisations (communes merged, the districts ended) are recorded by the restructuring app
(``restructuring.Succession``), which sits above this one and imports it; this app does not import it back. Yet who
may read an organisation follows the successions: the officers of a commune read the pages of the communes merged
into it, and the documents those issued. So restructuring tells this module how to read its successions, once,
from its AppConfig.ready():

    from dongthuan.organizations import succession
    succession.register(successors=successor_ids, predecessors=predecessor_ids)

Each reader takes organisation ids and returns, as a query of ids (usable as a subquery), the organisations that
directly took them over (``successors``) or that they directly took over (``predecessors``), through applied
reorganisations only. Until readers are registered no organisation has a predecessor or a successor.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dongthuan.organizations.models import Organization

Reader = Callable[[Collection[int]], "QuerySet[Any, int]"]


@dataclass(frozen=True)
class Readers:
    successors: Reader
    predecessors: Reader


_readers: list[Readers] = []  # at most one: the restructuring app's


def register(*, successors: Reader, predecessors: Reader) -> None:
    _readers[:] = [Readers(successors, predecessors)]


def unregister() -> None:
    _readers.clear()


def successor_ids(org_ids: Collection[int]) -> QuerySet[Any, int]:
    """The ids of the organisations that directly took over any of ``org_ids``, as a query."""
    if not _readers:
        return Organization.objects.none().values_list("pk", flat=True)
    return _readers[0].successors(org_ids)


def predecessor_ids(org_ids: Collection[int]) -> QuerySet[Any, int]:
    """The ids of the organisations that any of ``org_ids`` directly took over, as a query."""
    if not _readers:
        return Organization.objects.none().values_list("pk", flat=True)
    return _readers[0].predecessors(org_ids)


def predecessors_of(org_ids: list[int], depth: int = 6) -> set[int]:
    """Every organisation that (transitively) preceded these ones in a reorganisation (merged or split into them)."""
    found: set[int] = set()
    frontier = set(org_ids)
    for _step in range(depth):
        frontier = set(predecessor_ids(frontier)) - found
        if not frontier:
            break
        found |= frontier
    return found
