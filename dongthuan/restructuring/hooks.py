"""How later capabilities follow a reorganisation without this app knowing them.

Each capability that keeps open work attached to an organisation (draft documents, tasks, petitions…) registers a
hook once, in its AppConfig.ready():

    from dongthuan.restructuring import hooks
    hooks.register("documents", forward=repoint_drafts, backward=restore_drafts)

``forward(event, successors, on)`` gets ``{predecessor id: successor id}`` and the effective date, re-points its
open work, and returns JSON-able data that ``backward(event, data)`` uses to undo it when the event is reverted.
Both run inside the event's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Forward = Callable[[Any, dict[int, int], dt.date], Any]
Backward = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Hook:
    name: str
    forward: Forward
    backward: Backward


_HOOKS: dict[str, Hook] = {}


def register(name: str, *, forward: Forward, backward: Backward) -> None:
    _HOOKS[name] = Hook(name, forward, backward)


def unregister(name: str) -> None:
    _HOOKS.pop(name, None)


def registered() -> list[Hook]:
    return list(_HOOKS.values())
