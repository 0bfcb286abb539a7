from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from dongthuan.audit.models import AuditEvent


def _display(field: Any, value: Any) -> Any:
    """A stored value as a reader expects it: choice labels, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return None
    if field is not None and getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def change_rows(event: AuditEvent, model: type[models.Model] | None) -> list[tuple[str, Any, Any]]:
    """``(field label, before, after)`` in the reader's language. A creation lists only the fields it filled."""
    rows = []
    for name, pair in event.changes.items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field: Any = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        before, after = _display(field, before), _display(field, after)
        if event.action == "create" and after is None:
            continue
        label = str(getattr(field, "verbose_name", name))
        rows.append((label[:1].upper() + label[1:], before, after))
    return rows


def history_page(
    obj: models.Model, page: str | int | None, related: list[models.QuerySet[Any]] | None = None, per_page: int = 50
) -> Page[AuditEvent]:
    """One page of an object's audit trail, newest first, with the events of ``related`` objects (an
    organisation's posts, bodies and terms) interleaved; each event carries its readable ``rows``."""
    scope = Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    for qs in related or []:
        ids = qs.annotate(pk_text=Cast("pk", output_field=models.CharField())).values("pk_text")
        scope |= Q(content_type=ContentType.objects.get_for_model(qs.model), object_id__in=ids)
    result = Paginator(
        AuditEvent.objects.filter(scope).select_related("content_type").order_by("-at", "-id"), per_page
    ).get_page(page)
    for event in result.object_list:
        model = event.content_type.model_class()
        event.rows = change_rows(event, model)  # type: ignore[attr-defined]
        event.is_related = not (model is type(obj) and event.object_id == str(obj.pk))  # type: ignore[attr-defined]
    return result
