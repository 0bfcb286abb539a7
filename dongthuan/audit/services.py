"""Writing the audit trail. Every service calls ``audit_record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dongthuan.audit import chain
from dongthuan.audit.models import AuditEvent
from dongthuan.core.bulk import new_instance
from dongthuan.core.types import Actor, JSONValue


def _plain(value: object) -> JSONValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, JSONValue]:
    """The values of ``fields`` on ``obj`` as JSON-friendly values (a related object by its name)."""
    values: dict[str, JSONValue] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            values[name] = _plain(getattr(obj, name)) if getattr(obj, field.attname) is not None else None
        else:
            values[name] = _plain(getattr(obj, name))
    return values


def diff(before: Mapping[str, JSONValue], after: Mapping[str, JSONValue]) -> dict[str, list[JSONValue]]:
    """``{field: [before, after]}`` for each field that changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def actor_display_name(actor: Actor) -> str:
    if actor is None:
        return ""  # the system (demo, management commands); shown as "Hệ thống" in the reader's language
    if hasattr(actor, "person"):  # the reverse one-to-one raises when no person is linked
        return f"{actor.person.full_name} ({actor.get_username()})"
    return str(actor.get_username())


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, JSONValue] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one audit row for a write on ``obj`` by ``actor`` (a user, or None for the system), chained to the
    last one (``chain.append``): one query more than the insert."""
    event = AuditEvent(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        actor_name=actor_display_name(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=dict(changes or {}),
        note=note,
    )
    chain.append([event])
    return event


def audit_record_many(
    *,
    actor: Actor,
    action: str,
    model: type[models.Model],
    rows: Sequence[tuple[object, str, Mapping[str, JSONValue]]],
    note: str = "",
) -> int:
    """Append one audit row per ``(pk, repr, changes)`` in one statement (bulk moves of thousands of records),
    chained by ``chain.append`` like any other."""
    if not rows:
        return 0
    common = {
        "actor_id": actor.pk if actor is not None and getattr(actor, "pk", None) else None,
        "actor_name": actor_display_name(actor),
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(model, for_concrete_model=True).pk,
        "note": note,
    }
    chain.append(
        [
            new_instance(
                AuditEvent, {**common, "object_id": str(pk), "object_repr": str(text)[:300], "changes": dict(changes)}
            )
            for pk, text, changes in rows
        ]
    )
    return len(rows)
