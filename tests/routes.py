"""Every route of the site, read from the URL resolver (not a hand-written list), for the tests that must reach all
of them: the permission matrix and the malformed-input net.

The admin's routes are left out by rule: the admin has its own permission system (staff accounts, per-model
permissions) and is tested in tests/test_admin.py. Static files are not routes of the URLconf (WhiteNoise serves
them before it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, e.g. "meetings/<int:pk>/attendance/<int:person_pk>/"
    name: str  # "meetings:attendance"; the pattern itself for an unnamed route
    callback: Callable[..., Any]
    converters: tuple[tuple[str, str], ...]  # (argument, converter class name), in order


def _walk(patterns: list[Any], prefix: str, namespace: str, converters: dict[str, Any]) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            found = {**converters, **getattr(entry.pattern, "converters", {})}
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or "", found)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or pattern
            found = {**converters, **getattr(entry.pattern, "converters", {})}
            yield Route(pattern, name, entry.callback, tuple((k, type(v).__name__) for k, v in found.items()))


def is_admin(route: Route) -> bool:
    return route.pattern.startswith("admin/")


def all_routes() -> list[Route]:
    """Every route but the admin's (see the module's docstring)."""
    return [r for r in _walk(get_resolver().url_patterns, "", "", {}) if not is_admin(r)]
