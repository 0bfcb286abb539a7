"""What a citizen types into a public form (a comment, an opinion on a draft, a petition): the name and email checked
the same way everywhere, and the signed link emailed to confirm that the address is theirs."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from dongthuan.core.errors import DomainError
from dongthuan.core.text import nfc

MAX_NAME_CHARS = 120
CONFIRM_MAX_AGE = dt.timedelta(days=3)
# A citizen's name as it goes out in a letter from the office's address: a few words of letters only.
LETTER_NAME_WORDS = 6
LETTER_NAME_CHARS = 60


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
        raise DomainError(_("Đường dẫn xác nhận đã hết hạn; xin gửi lại ý kiến."), code="expired") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise DomainError(_("Đường dẫn xác nhận không đúng."), code="bad_link") from None


def letter_name(name: str) -> str:
    """A citizen's name as letters from the office's address may repeat it: the name is whatever a visitor typed,
    and a letter from the official address must not carry their text (a link, a phone number, "bấm vào đây…").
    Only words made of letters stay (a word holding a digit, "/", ":", "." or "@" is dropped whole), at most
    LETTER_NAME_WORDS of them and LETTER_NAME_CHARS characters; "" when nothing is left.

    >>> letter_name("Trần Thị Ánh-Hồng")
    'Trần Thị Ánh-Hồng'
    >>> letter_name("An, bấm http://x.example/dang-nhap hoặc gọi 0912345678")
    'An bấm hoặc gọi'
    """
    words = []
    for word in nfc(name).split():
        word = word.strip(",.:;!?()\"'«»")
        if word and all(unicodedata.category(ch)[0] in "LM" or ch == "-" for ch in word):
            words.append(word)
    return " ".join(words[:LETTER_NAME_WORDS])[:LETTER_NAME_CHARS].strip()


def letter_greeting(name: str) -> str:
    """The first line of a letter to a citizen, naming them only as ``letter_name`` lets it."""
    shown = letter_name(name)
    return _("Kính gửi Ông/Bà %(name)s,") % {"name": shown} if shown else _("Kính gửi Ông/Bà,")
