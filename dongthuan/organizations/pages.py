"""What the apps above this one add to an organisation's page.

An organisation's page (``views.detail``, ``organizations/detail.html``) shows, besides this app's own records, what
other apps keep about the organisation: the reorganisations it went through and the menu to start one (the
restructuring app). Those apps sit above this one and import it; it does not import them back. Each registers its
part once, from its AppConfig.ready():

    from dongthuan.organizations import pages
    pages.register("restructuring", organization_page)

A part is a function ``(user, organisation) -> {name: value}`` whose names join the page's template context; the
template shows them where they are present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dongthuan.organizations.models import Organization

Part = Callable[[Any, Organization], dict[str, Any]]

_parts: dict[str, Part] = {}


def register(name: str, part: Part) -> None:
    _parts[name] = part


def unregister(name: str) -> None:
    _parts.pop(name, None)


def detail_context(user: Any, org: Organization) -> dict[str, Any]:
    """The names every registered part adds to ``org``'s page, as ``user`` sees it."""
    context: dict[str, Any] = {}
    for part in _parts.values():
        context.update(part(user, org))
    return context
