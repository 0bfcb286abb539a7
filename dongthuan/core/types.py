"""Types shared by every app."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who makes a write or asks a question: a request's user (signed in or not), or nobody — the system itself (a
# command, a scheduled job, the demo). Services take it as ``actor``; checks take it as ``user``.
Actor: TypeAlias = "User | AnonymousUser | None"

# A value stored in a JSON field or written to the history (an audit row's changes, a job's figures).
JSONValue: TypeAlias = "str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]"
