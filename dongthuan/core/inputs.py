"""What a browser sends, made safe once for every view: no NUL character anywhere (PostgreSQL refuses them in text,
so a NUL in a search box was a 500), no path holding one, and no single value larger than any field could hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

# The largest id a path may name: the database's 64-bit integer (ids are BigAutoField); one larger matches no row
# and, sent to the database, fails (PostgreSQL: "bigint out of range"; SQLite: an OverflowError).
MAX_ID = 2**63 - 1
# A value in a query string (a search, a filter, an id) is cut to this many characters: no list is searched by more.
MAX_QUERY_CHARS = 1_000
# A value of a submitted form above this many characters is refused whole: the longest field (a document's
# section, a minutes section) holds far less; one larger is not typed by a person.
MAX_FORM_CHARS = 200_000


def without_nul(value: str) -> str:
    return value.replace("\x00", "") if "\x00" in value else value


def _cleaned(data: QueryDict, limit: int | None) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(without_nul(key), [without_nul(v)[:limit] if limit else without_nul(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _has_nul_or_longer(data: QueryDict, limit: int) -> tuple[bool, bool]:
    nul = too_long = False
    for key, values in data.lists():
        nul = nul or "\x00" in key
        for value in values:
            nul = nul or "\x00" in value
            too_long = too_long or len(value) > limit
    return nul, too_long


class InputHygieneMiddleware:
    """A path with a NUL, or naming an id past MAX_ID, is no page (404); NUL characters are dropped from every query and form value; a query
    value is cut to MAX_QUERY_CHARS; a form with a value over MAX_FORM_CHARS is refused with a message (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404
        nul, too_long = _has_nul_or_longer(request.GET, MAX_QUERY_CHARS)
        if nul or too_long:
            request.GET = _cleaned(request.GET, MAX_QUERY_CHARS)  # type: ignore[assignment]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            nul, too_long = _has_nul_or_longer(request.POST, MAX_FORM_CHARS)
            if too_long:
                message = _("Nội dung gửi lên có một ô dài quá %(limit)s ký tự, không nhận được. Hãy rút gọn.") % {
                    "limit": f"{MAX_FORM_CHARS:,}".replace(",", ".")
                }
                return render(request, "400.html", {"message": message}, status=400)
            if nul:
                request.POST = _cleaned(request.POST, None)  # type: ignore[assignment]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                raise Http404
