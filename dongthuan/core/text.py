"""Vietnamese text: stored in Unicode NFC, searched without diacritics or case."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import Any

_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Normalise to NFC and trim; NFD input (macOS, some keyboards) becomes the same string as NFC input."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Fold text for search: no diacritics, "đ" → "d", lower case, single spaces.

    >>> fold("Trần Duy Hưng")
    'tran duy hung'
    """
    return " ".join(_fold_word(word) for word in value.split())


def _letter_folds() -> dict[int, str]:
    """Every Latin letter with diacritics (and A–Z) folded to one plain lower-case letter."""
    table: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        folded = _fold_word(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    return table


@lru_cache(maxsize=4096)
def unfolded_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding any of these folded words in text as written, whatever its diacritics and case ("dan"
    finds "Dân", "dẫn", "ĐÀN"): for marking found words without folding the text."""
    variants: dict[str, set[str]] = {}
    for code, folded in _LETTER_FOLDS.items():
        variants.setdefault(folded, {folded}).add(chr(code))
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        parts.append(
            "".join(f"[{re.escape(''.join(sorted(variants[c])))}]" if c in variants else re.escape(c) for c in word)
        )
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """One word folded; names and places reuse few words, so a large list folds mostly from this cache."""
    decomposed = unicodedata.normalize("NFD", word.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def date_text(value: dt.date | None) -> str:
    """A date as users read and type it: dd/mm/yyyy (empty for no date)."""
    return value.strftime("%d/%m/%Y") if value else ""


def number_text(value: Any) -> str:
    """A number as users read and type it, the decimal comma and no trailing zeros: 12.50 → "12,5", 60.0 → "60"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def given_name_sort_key(full_name: str, folded: str | None = None) -> str:
    """Vietnamese lists sort by given name (the last word), then by the whole name (``folded``: ``fold(full_name)``
    when the caller has it already)."""
    if folded is None:
        folded = fold(full_name)
    given = folded.rsplit(" ", 1)[-1] if folded else ""
    return f"{given} {folded}"


_LETTER_FOLDS = _letter_folds()


# A cell starting with one of these would be read as a formula by Excel or LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A value for a spreadsheet cell: text that would run as a formula gets a leading apostrophe; other values,
    empty text included, are kept as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
