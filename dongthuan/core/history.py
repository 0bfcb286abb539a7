"""How core's own writes reach the history without core knowing the app that keeps it.

Naming someone on a classified record (``core/access.py``) and saving a configuration in the admin
(``core/admin_mixins.py``) are audited like every other write. The audit app hands core its recorder once, in
its ``AppConfig.ready()``:

    from dongthuan.core import history
    history.register(record=audit_record, snapshot=snapshot, diff=diff)

so core imports no app. Without a recorder, a write refuses to happen rather than go unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from dongthuan.core.types import Actor


class Record(Protocol):
    def __call__(
        self, *, actor: Actor, action: str, obj: models.Model, changes: Mapping[str, Any] | None = None
    ) -> object: ...


class Snapshot(Protocol):
    def __call__(self, obj: models.Model, fields: Iterable[str]) -> dict[str, Any]: ...


class Diff(Protocol):
    def __call__(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]: ...


@dataclass(frozen=True)
class Recorder:
    record: Record
    snapshot: Snapshot
    diff: Diff


_recorder: Recorder | None = None


def register(*, record: Record, snapshot: Snapshot, diff: Diff) -> None:
    """Called once by the app that keeps the history: ``record`` appends one row for a write on ``obj``,
    ``snapshot`` gives the values of some fields as the history stores them, ``diff`` what changed between two."""
    global _recorder
    _recorder = Recorder(record=record, snapshot=snapshot, diff=diff)


def recorder() -> Recorder:
    if _recorder is None:
        raise ImproperlyConfigured("No history recorder: the audit app registers one in its AppConfig.ready().")
    return _recorder


def record(*, actor: Actor, action: str, obj: models.Model, changes: Mapping[str, Any] | None = None) -> None:
    """Append one history row for a write on ``obj`` by ``actor`` (a user, or None for the system)."""
    recorder().record(actor=actor, action=action, obj=obj, changes=changes)
