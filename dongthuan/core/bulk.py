"""Inserting hundreds of thousands of rows at once (imports, the audit rows of bulk moves).

Django's ``bulk_create`` compiles every value of every row through the field machinery, which costs more than the
database's own work at this scale. ``insert_many`` reserves the ids first (the sequence on PostgreSQL; above the
table's highest id on SQLite, whose write transaction is already exclusive here), converts each column once per
type and hands the rows to the driver's ``executemany``. Objects come back with their ids set, as with
``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models.base import ModelState

BATCH = 5000
M = TypeVar("M", bound=models.Model)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s table; call inside the transaction that inserts them."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
        return list(range(highest + 1, highest + 1 + count))


_DEFAULTS: dict[type[models.Model], dict[str, tuple[Any, bool]]] = {}


def new_instance(model: type[M], values: dict[str, Any]) -> M:
    """An unsaved instance with ``values`` (by attname) over the fields' defaults, built without ``Model.__init__``
    (whose per-field work dominates when a file makes hundreds of thousands of them). Callable defaults such as
    ``dict`` are called for each instance."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = {
            f.attname: (f.default, True) if f.has_default() and callable(f.default) else (f.get_default(), False)
            for f in model._meta.concrete_fields
        }
        _DEFAULTS[model] = defaults
    obj = model.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    for attname, (default, call) in defaults.items():
        data[attname] = default() if call else default
    data.update(values)
    return obj


def set_related(obj: models.Model, name: str, related: models.Model | None) -> None:
    """Set a foreign key and its cached object without the descriptor's checks."""
    field = obj._meta.get_field(name)
    obj.__dict__[field.attname] = related.pk if related is not None else None  # type: ignore[union-attr]
    obj._state.fields_cache[name] = related


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes a database value (None: as it is). Dates and times repeat (every row
    of an import is created at the same instant), so their conversions are remembered."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField | models.DateField):
        adapt = ops.adapt_datetimefield_value if isinstance(field, models.DateTimeField) else ops.adapt_datefield_value
        seen: dict[Any, Any] = {None: None}

        def convert(value: Any) -> Any:
            found = seen.get(value, seen)
            if found is seen:
                found = seen[value] = adapt(value)
            return found

        return convert
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda v: None if v is None else ops.adapt_json_value(v, encoder)
    return None


def insert_values(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert ``rows`` of Python values for the columns ``attnames`` (without the primary key) and return the new
    ids in order. For callers that never need model instances, such as the audit trail."""
    if not rows:
        return []
    ids = reserve_ids(model, len(rows))
    meta = model._meta
    fields = [meta.pk, *[next(f for f in meta.concrete_fields if f.attname == a) for a in attnames]]
    converters = [_converter(f) for f in fields]  # type: ignore[arg-type]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    converted = [(i, c) for i, c in enumerate(converters) if c is not None]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = []
            for pk, row in zip(ids[start : start + BATCH], rows[start : start + BATCH], strict=True):
                values = [pk, *row]
                for i, convert in converted:
                    values[i] = convert(values[i])
                batch.append(values)
            cursor.executemany(sql, batch)
    return ids


@transaction.atomic
def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert ``objects`` (unsaved, with every field already holding its final value) and set their ids."""
    if not objects:
        return
    attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    ids = insert_values(model, attnames, [[obj.__dict__[a] for a in attnames] for obj in objects])
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
