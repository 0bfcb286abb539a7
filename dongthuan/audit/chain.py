"""The audit history as a hash chain, so that tampering by someone who can write to the database shows.

Rows are chained in the order of their ids. Each row stores ``prev_hash``, the hash of the row before it (empty for
the first row), and ``row_hash``, the SHA-256 of ``prev_hash`` followed by a canonical serialisation of the row's
own fields (``digest``). Rows are appended under a lock, so the chain is linear: on SQLite a write transaction
holds the database's only write lock from its start (``transaction_mode`` IMMEDIATE); on PostgreSQL the function
``audit_chain_head()`` (migration 0004) takes a transaction-level advisory lock and then reads the last row's hash
with a fresh snapshot, in one query. ``verify`` walks the chain and names the first broken link:

- a row whose own hash no longer matches its fields was changed;
- a row that the chain steps over (the next row links to the one before it), or that neither links nor hashes
  right, was inserted;
- an intact row whose link points to a hash no earlier row has means the rows between were deleted (or the row
  before was changed and its hash recomputed, which the same break shows).

A chain proves nothing about rows cut from its end, or about rows appended by someone who recomputes the hashes:
``manage.py audit_verify --anchor FILE`` keeps the head seen at each check outside the database, and a later
check fails if that row is gone or changed.

``append`` is the one writer of the chain: every row of the history (one at a time from
``audit.services.audit_record``, many at once from ``audit_record_many``) is stamped, linked, hashed and inserted
there, under the chain's lock; nothing else computes the hash of a new row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dongthuan.audit.models import AuditEvent
from dongthuan.core.bulk import insert_values

GENESIS = ""
# The key of PostgreSQL's advisory lock on the chain ("audi" in ASCII); nothing else in the project takes one.
LOCK_KEY = 0x61756469
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "changes",
    "note",
)
ROW_FIELDS = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)
# The columns ``append`` writes (the id comes from the database).
COLUMNS = (*HASHED_FIELDS, "prev_hash", "row_hash")


def _canonical(value: Any) -> Any:
    """JSON values as the database gives them back: PostgreSQL's jsonb keeps numbers as numerics, so a float with
    an integral value may come back as an integer."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return value
    if kind is float:
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
_last_instant: tuple[dt.datetime | None, str] = (None, "")


def _instant(value: dt.datetime) -> str:
    global _last_instant
    seen, text = _last_instant  # the rows of a bulk write share one instant
    if seen is None or value != seen:
        text = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        _last_instant = (value, text)
    return text


def digest(prev_hash: str, values: Sequence[Any]) -> str:
    """The hash of a row whose ``HASHED_FIELDS`` hold ``values``, chained after ``prev_hash``."""
    at, *rest = values
    payload = _ENCODER.encode([_instant(at), *map(_canonical, rest)])
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def lock_head() -> str:
    """Take the chain's lock for the rest of the transaction and return the hash of its last row: one query.
    Call inside the transaction that appends."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_chain_head()")
        else:  # SQLite: the transaction already holds the database's write lock
            cursor.execute("SELECT row_hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0] if row else None) or GENESIS


def append(events: Sequence[AuditEvent]) -> None:
    """Append ``events`` — unsaved rows with every field but the time and the hashes set — to the end of the chain,
    in order: under the chain's lock (``lock_head``) each gets the same instant, the hash of the row before it and its
    own hash, then they are inserted (one row as one INSERT, several in one statement per batch) and get their ids.
    Call inside the transaction that made the change: the rows are written, or nothing is, with it."""
    if not events:
        return
    with transaction.atomic(savepoint=False):
        prev_hash = lock_head()
        now = timezone.now()
        for event in events:
            event.at = now
            event.prev_hash = prev_hash
            event.row_hash = prev_hash = digest(prev_hash, [getattr(event, name) for name in HASHED_FIELDS])
        if len(events) == 1:
            events[0].save(force_insert=True)
            return
        ids = insert_values(AuditEvent, COLUMNS, [[getattr(e, name) for name in COLUMNS] for e in events])
        for event, pk in zip(events, ids, strict=True):
            event.pk = pk
            event._state.adding = False
            event._state.db = connection.alias


@dataclass(frozen=True)
class Problem:
    kind: str  # "deleted", "changed" or "inserted"
    row_id: int  # the row that was changed or inserted; for a deletion, the first intact row after the gap
    after_id: int | None  # the last row before the broken link that is in order
    detail: str


@dataclass(frozen=True)
class Report:
    count: int  # rows walked before the first problem (all of them when there is none)
    head_id: int | None
    head_hash: str
    problem: Problem | None


@dataclass(frozen=True)
class _Row:
    id: int
    prev_hash: str
    row_hash: str
    values: tuple[Any, ...]


def _rows(values: Iterable[Sequence[Any]]) -> Iterator[_Row]:
    for pk, prev_hash, row_hash, *rest in values:
        yield _Row(pk, prev_hash or "", row_hash or "", tuple(rest))


def verify(values: Iterable[Sequence[Any]], anchor: tuple[int, str] | None = None) -> Report:
    """Walk rows given as ``ROW_FIELDS`` tuples in id order and report the first broken link. ``anchor`` is a
    ``(id, row_hash)`` recorded by an earlier check: that row must still be there, unchanged."""
    rows = _rows(values)
    before_hash, before_id, before_prev = GENESIS, None, None
    count = 0
    anchor_seen = anchor is None
    row = next(rows, None)
    while row is not None:
        after = next(rows, None)
        whole = digest(row.prev_hash, row.values) == row.row_hash
        skipped = after is not None and after.prev_hash == before_hash
        problem: Problem | None = None
        if row.prev_hash == before_hash:
            if not whole:
                if skipped:
                    problem = Problem("inserted", row.id, before_id, "the next row links past it")
                else:
                    problem = Problem("changed", row.id, before_id, "its fields no longer match its hash")
        elif skipped:
            problem = Problem("inserted", row.id, before_id, "the next row links past it")
        elif whole and before_id is not None and row.prev_hash == before_prev:
            problem = Problem("inserted", before_id, None, "the row after it links past it")
            count -= 1  # the row before, counted as intact, is the forged one
        elif whole:
            if before_id is not None and row.id == before_id + 1:
                problem = Problem(
                    "changed", before_id, None, "the next row does not link to it: it was changed and rehashed"
                )
            else:
                where = f"between row {before_id} and row {row.id}" if before_id is not None else f"before row {row.id}"
                detail = f"rows are missing {where}" + (
                    f" (or row {before_id} was changed and its hash recomputed)" if before_id is not None else ""
                )
                problem = Problem("deleted", row.id, before_id, detail)
        else:
            problem = Problem("inserted", row.id, before_id, "it neither links to the row before it nor hashes right")
        if problem is None and anchor is not None and row.id == anchor[0]:
            anchor_seen = True
            if row.row_hash != anchor[1]:
                problem = Problem("changed", row.id, before_id, "its hash differs from the one kept at the last check")
        if problem is not None:
            return Report(count, before_id, before_hash, problem)
        before_hash, before_id, before_prev = row.row_hash, row.id, row.prev_hash
        count += 1
        row = after
    if not anchor_seen and anchor is not None:
        missing = Problem("deleted", anchor[0], before_id, "the last row seen at the last check is gone")
        return Report(count, before_id, before_hash, missing)
    return Report(count, before_id, before_hash, None)
