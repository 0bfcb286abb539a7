"""What the account pages accept: the second factor's code, and the JSON answers of the passkey ceremonies."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

from dongthuan.accounts import passkeys
from dongthuan.core.errors import ErrorCode, InputError
from dongthuan.core.http import int_param

TOKEN_MAX = 20  # a code of the app (6 digits) or a recovery code, with room for spaces; the rest is not read


class SecondFactorForm(forms.Form):
    """A code of the authenticator app or a recovery code (``token``), and the page to go to after (``next``).
    Neither is required: a missing or refused value (a NUL byte) reads as empty, so a wrong code gets the page's
    own message and a bad ``next`` leads home."""

    token = forms.CharField(required=False, strip=False)
    next = forms.CharField(required=False, strip=False)

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        return token[:TOKEN_MAX]

    def value(self, name: str) -> str:
        """The field's checked value, or "" when the form was not posted or the value was refused."""
        if not self.is_bound:
            return ""
        self.is_valid()
        value = self.cleaned_data.get(name)
        return value if isinstance(value, str) else ""


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object (a passkey ceremony's answer), or an InputError: not JSON, not an object, or larger
    than a browser's answer."""
    unreadable = InputError(
        _("Dữ liệu gửi lên không đọc được. Hãy tải lại trang và thử lại."), code=ErrorCode.REQUEST_UNREADABLE
    )
    if request.content_type != "application/json":
        raise unreadable
    length = int_param(request.META.get("CONTENT_LENGTH") or "0", digits=18)
    if length is None or length > passkeys.BODY_MAX_BYTES:
        raise InputError(
            _("Dữ liệu gửi lên quá lớn, không nhận được."),
            code=ErrorCode.REQUEST_TOO_LARGE,
            data={"max_bytes": passkeys.BODY_MAX_BYTES},
        )
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (RawPostDataException, RequestDataTooBig, UnicodeDecodeError, ValueError, RecursionError):
        raise unreadable from None
    if not isinstance(data, dict):
        raise unreadable
    return data
