from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models

from dongthuan.audit.models import AuditEvent


def _label_value(field: Any, value: Any) -> Any:
    if field is not None and getattr(field, "choices", None) and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


def change_rows(event: AuditEvent, model: type[models.Model] | None) -> list[tuple[str, Any, Any]]:
    """``(field label, before, after)`` in the reader's language; choice values shown by their labels."""
    rows = []
    for name, pair in event.changes.items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field: Any = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        rows.append((label[:1].upper() + label[1:], _label_value(field, before), _label_value(field, after)))
    return rows


def history_page(obj: models.Model, page: str | int | None, per_page: int = 50) -> Page[AuditEvent]:
    """One page of an object's audit trail, newest first, each event with its readable ``rows``."""
    qs = AuditEvent.objects.for_object(obj).order_by("-at", "-id")
    result = Paginator(qs, per_page).get_page(page)
    model = type(obj)
    for event in result.object_list:
        event.rows = change_rows(event, model)
    return result
