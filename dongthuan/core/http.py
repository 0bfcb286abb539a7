"""The request type our views see (Django's, plus django-htmx's ``request.htmx``) and file downloads."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from dongthuan.core.text import fold


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


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for limits on public forms. Behind the reverse proxy (DJANGO_SECURE_COOKIES
    or DONGTHUAN_BEHIND_PROXY set) it is the last address of X-Forwarded-For, the one the proxy itself appended;
    earlier ones are whatever the client claimed."""
    from django.conf import settings

    if settings.BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]
