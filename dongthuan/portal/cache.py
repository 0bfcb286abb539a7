"""Whole public pages served from the cache to anonymous visitors.

A page is rendered once per address, language and host and kept for ``PORTAL_CACHE_SECONDS``; its key carries
``PortalState.generation``, which every change of what public pages show raises (``portal.services.changed``), so a
published comment or a new article appears at once in every process (the generation is read at most once a second
per process). The page's forms carry a placeholder where the CSRF token goes; each visitor gets their own token
written in when the page is served. Signed-in users, visitors with a session or a pending message, and anything
but a successful GET are never served from or stored in the cache."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

PLACEHOLDER = "csrf-placeholder-2b8f1d0c"
_generation: tuple[float, int] = (0.0, 0)


def generation() -> int:
    global _generation
    now = time.monotonic()
    if now - _generation[0] > 1.0:
        from dongthuan.portal.models import PortalState

        value = PortalState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0
        _generation = (now, value)
    return _generation[1]


def forget() -> None:
    """Read the generation again on the next request (tests, and the process that made a change)."""
    global _generation
    _generation = (0.0, 0)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PORTAL_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{translation.get_language()}|{generation()}"
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _served(request: HttpRequest, body: bytes, content_type: str, disposition: str = "") -> HttpResponse:
    if PLACEHOLDER.encode() in body:
        body = body.replace(PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    if disposition:  # a file (a document as PDF or Word) keeps its name
        response["Content-Disposition"] = disposition
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        found = cache.get(key)
        if found is None:
            request.portal_cacheable = True  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:  # type: ignore[attr-defined]
                response.render()  # type: ignore[attr-defined]
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            found = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
            cache.set(key, found, settings.PORTAL_CACHE_SECONDS)
        return _served(request, *found)

    return wrapper


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: a page rendered for the cache gets the placeholder instead of a visitor's token."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "portal_cacheable", False) else {}
