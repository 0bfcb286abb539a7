"""The request type our views see (Django's, plus django-htmx's ``request.htmx``), file downloads, and the numbers
and ids a browser sends."""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import TypeVar
from urllib.parse import quote

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from dongthuan.core.text import fold

M = TypeVar("M", bound=Model)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# The office formats we hand out.
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "json": "application/json",
}


def file_response(body: bytes, fmt: str, stem: str) -> HttpResponse:
    """A download of ``body`` as ``<stem>.<fmt>`` (``stem``: see ``file_stem``)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(stem, fmt)
    return response


# What a file name may hold in a header: letters, digits, "-", "_" and "."; anything else (quotes, ";", "\\",
# "/", spaces, control characters) could end the name and start a parameter of the header's own.
_UNSAFE_IN_NAME = re.compile(r"[^a-z0-9._-]+")


def attachment_header(stem: str, fmt: str) -> str:
    """``Content-Disposition`` for a download named ``<stem>.<fmt>`` (RFC 6266): the name reduced to safe ASCII,
    both as ``filename`` and as ``filename*=UTF-8''`` percent-encoded. Only ``fmt`` — the checked kind, one of
    CONTENT_TYPES — ends the name, whatever the stem (an uploaded name) holds."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(fmt)
    name = f"{file_stem(stem)[:120] or 'tep'}.{fmt}"
    return f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_stem(text: str) -> str:
    """A file name from Vietnamese text: "Biên bản Hội nghị" → "bien-ban-hoi-nghi"; only letters, digits, "-",
    "_" and "." stay (see ``_UNSAFE_IN_NAME``)."""
    return _UNSAFE_IN_NAME.sub("-", fold(text)).strip("-.")


def int_param(value: str | None, digits: int = 9) -> int | None:
    """A whole number typed or sent by a browser, or None: only digits, at most ``digits`` of them (so that no
    user input overflows a database column)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= digits else None


def int_params(values: list[str], digits: int = 18) -> list[int]:
    """The whole numbers among ``values`` (ids from checkboxes or a multiple select); anything else is dropped."""
    return [n for n in (int_param(v, digits) for v in values) if n is not None]


def get_or_404(qs: QuerySet[M], pk: object) -> M:
    """The row of ``qs`` with the id ``pk`` sent by a browser, or ``Http404``. Each app's ``permissions.py`` loads
    through it and answers 404 for a forbidden row too, so that a missing and a forbidden row look the same."""
    try:
        pk = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


_trusted_networks = functools.lru_cache(maxsize=4)(_networks)


def _is_trusted(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for limits on public forms. X-Forwarded-For is believed only when the
    request comes from one of DONGTHUAN_TRUSTED_PROXIES: the client is then the last address in it that is not
    itself a trusted proxy (each proxy appends the address it was reached from; what comes before that is whatever
    the client claimed). From anywhere else the header is ignored."""
    from django.conf import settings

    remote = str(request.META.get("REMOTE_ADDR", ""))
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if networks and _is_trusted(remote, networks):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        for address in reversed(forwarded):
            if not _is_trusted(address, networks):
                return address[:64]
        if forwarded:
            return forwarded[0][:64]
    return remote[:64]
