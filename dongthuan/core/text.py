"""Vietnamese text: stored in Unicode NFC, searched without diacritics or case."""

from __future__ import annotations

import unicodedata

_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Normalise to NFC and trim; NFD input (macOS, some keyboards) becomes the same string as NFC input."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Fold text for search: no diacritics, "đ" → "d", lower case, single spaces.

    >>> fold("Trần Duy Hưng")
    'tran duy hung'
    """
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def given_name_sort_key(full_name: str) -> str:
    """Vietnamese lists sort by given name (the last word), then by the whole name."""
    folded = fold(full_name)
    given = folded.rsplit(" ", 1)[-1] if folded else ""
    return f"{given} {folded}"
