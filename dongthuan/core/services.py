"""Helpers every service uses: NFC normalisation of text input and model validation with field messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from dongthuan.core.text import nfc


def normalize_text_fields(obj: models.Model, names: Iterable[str] | None = None) -> None:
    """Store every text field of ``obj`` in NFC (input typed on macOS often arrives in NFD)."""
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if isinstance(field, models.CharField | models.TextField) and field.editable:
            value = getattr(obj, field.attname)
            if isinstance(value, str):
                setattr(obj, field.attname, nfc(value))


def validate(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    """Run the model's field and constraint validation; raises ValidationError with a message per field."""
    obj.full_clean(exclude=list(exclude or []), validate_unique=True, validate_constraints=True)


def apply_fields(obj: models.Model, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Fields not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
