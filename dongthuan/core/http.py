"""The request type our views see (Django's, plus django-htmx's ``request.htmx``) and file downloads."""

from __future__ import annotations

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
}


def file_response(body: bytes, fmt: str, stem: str) -> HttpResponse:
    """A download of ``body`` as ``<stem>.<fmt>`` (``stem``: ASCII, see ``file_stem``)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def file_stem(text: str) -> str:
    """A file name from Vietnamese text: "Biên bản Hội nghị" → "bien-ban-hoi-nghi"."""
    return "-".join(fold(text).split())
