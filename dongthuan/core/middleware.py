"""Vietnamese first: the language is Vietnamese unless the user chose another one (language cookie)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    """Replaces Django's LocaleMiddleware, which follows the browser's Accept-Language: a cadre whose browser is in
    English still gets Vietnamese until they pick English in the menu."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# The public portal: pages and files anyone may read (its newsroom, for officers, is not).
PUBLIC_PREFIX = "/portal/"
PRIVATE_PREFIXES = ("/portal/toa-soan/",)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on what must not stay in a browser's or a proxy's cache: every response to a
    signed-in person (their pages show posts, members, drafts) and every file download (member lists, registers,
    evidence, petitions' files). The public portal is left to its own headers (portal/cache.py), except a response
    to a signed-in reader that the portal did not mark public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIX) and not path.startswith(PRIVATE_PREFIXES)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        download = isinstance(response, FileResponse | StreamingHttpResponse) or "Content-Disposition" in response
        if public:
            marked_public = "public" in response.get("Cache-Control", "")
            private = signed_in and not marked_public
        else:
            private = signed_in or download
        if private:
            response["Cache-Control"] = "no-store"
        return response
