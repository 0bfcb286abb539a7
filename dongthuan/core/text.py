"""Vietnamese text: stored in Unicode NFC, searched without diacritics or case."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache

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


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """One word folded; names and places reuse few words, so a large list folds mostly from this cache."""
    decomposed = unicodedata.normalize("NFD", word.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def date_text(value: dt.date | None) -> str:
    """A date as users read and type it: dd/mm/yyyy (empty for no date)."""
    return value.strftime("%d/%m/%Y") if value else ""


def given_name_sort_key(full_name: str, folded: str | None = None) -> str:
    """Vietnamese lists sort by given name (the last word), then by the whole name (``folded``: ``fold(full_name)``
    when the caller has it already)."""
    if folded is None:
        folded = fold(full_name)
    given = folded.rsplit(" ", 1)[-1] if folded else ""
    return f"{given} {folded}"
