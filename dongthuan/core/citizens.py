"""What a citizen types into a public form (a comment, an opinion on a draft, a petition): the name and email checked
the same way everywhere, the signed link emailed to confirm that the address is theirs, and the greeting of the
letters sent to them (which quote nothing they typed)."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from dongthuan.core.errors import ErrorCode, InputError
from dongthuan.core.text import nfc

MAX_NAME_CHARS = 120
CONFIRM_MAX_AGE = dt.timedelta(days=3)


def clean_name(value: str, errors: dict[str, list[str]]) -> str:
    """The name with single spaces (NFC); a message on ``errors["name"]`` when empty or too long."""
    name = " ".join(nfc(value).split())
    if not name:
        errors["name"] = [_("Hãy ghi họ và tên.")]
    elif len(name) > MAX_NAME_CHARS:
        errors["name"] = [_("Họ và tên dài tối đa %(n)s ký tự.") % {"n": MAX_NAME_CHARS}]
    return name


def clean_email(value: str, errors: dict[str, list[str]], *, required: bool = True) -> str:
    """The email trimmed; a message on ``errors["email"]`` when it is not an address (or missing, if required)."""
    email = value.strip()
    if not email and not required:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Địa chỉ email không hợp lệ.")]
    return email


def confirmation_token(pk: int, salt: str) -> str:
    """The token of the link that confirms record ``pk`` (signed with the site's secret, for ``salt``'s purpose)."""
    return signing.dumps(pk, salt=salt)


def confirmed_id(token: str, salt: str) -> int:
    """The record a confirmation link names, or DomainError when the link has expired or was not ours."""
    try:
        return int(signing.loads(token, salt=salt, max_age=CONFIRM_MAX_AGE))
    except signing.SignatureExpired:
        raise InputError(_("Đường dẫn xác nhận đã hết hạn; xin gửi lại ý kiến."), code=ErrorCode.LINK_EXPIRED) from None
    except (signing.BadSignature, TypeError, ValueError):
        raise InputError(_("Đường dẫn xác nhận không đúng."), code=ErrorCode.LINK_BAD) from None


def letter_greeting() -> str:
    """The first line of every letter to a citizen. It names nobody: the name is whatever a visitor typed into a
    public form, and a letter from the office's address must not carry a visitor's text — even filtered to words of
    letters, "An, hãy bấm vào đường dẫn sau hoặc gọi số…" still reads as the office's own words. Letters name a
    petition by its code and link to its page, never by what was typed."""
    return _("Kính gửi Ông/Bà,")
