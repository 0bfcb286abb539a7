from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from dongthuan.audit.models import AuditEvent


def _display(field: object, value: object) -> object:
    """A stored value as a reader expects it: choice labels, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return None
    if isinstance(field, models.Field) and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def change_rows(event: AuditEvent, model: type[models.Model] | None) -> list[tuple[str, object, object]]:
    """``(field label, before, after)`` in the reader's language. A creation lists only the fields it filled."""
    rows = []
    for name, pair in event.changes.items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field: object = None
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


@dataclass(frozen=True)
class HistoryEntry:
    """One row of an object's history page: the audit event, its changes as the reader reads them, and whether it
    is about a related object (then the page names that object)."""

    event: AuditEvent
    rows: list[tuple[str, object, object]]
    is_related: bool


def history_page(
    obj: models.Model,
    page: str | int | None,
    related: Sequence[models.QuerySet[models.Model]] | None = None,
    per_page: int = 50,
) -> Page[HistoryEntry]:
    """One page of an object's audit trail, newest first, with the events of ``related`` objects (an
    organisation's posts, bodies and terms) interleaved; each entry carries the event's readable ``rows``."""
    scope = Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    for qs in related or []:
        ids = qs.annotate(pk_text=Cast("pk", output_field=models.CharField())).values("pk_text")
        scope |= Q(content_type=ContentType.objects.get_for_model(qs.model), object_id__in=ids)
    events = AuditEvent.objects.filter(scope).select_related("content_type").order_by("-at", "-id")
    return Paginator(_Entries(events, obj), per_page).get_page(page)


class _Entries:
    """The events of a history as the paginator slices them: one page's events become entries, read in one
    query; the paginator counts them with one more."""

    def __init__(self, events: models.QuerySet[AuditEvent], obj: models.Model) -> None:
        self.events = events
        self.obj = obj

    def __len__(self) -> int:
        return self.events.count()

    def __iter__(self) -> Iterator[HistoryEntry]:
        return (self._entry(event) for event in self.events)

    @overload
    def __getitem__(self, index: int, /) -> HistoryEntry: ...
    @overload
    def __getitem__(self, index: slice[int | None, int | None, int | None], /) -> list[HistoryEntry]: ...
    def __getitem__(
        self, index: int | slice[int | None, int | None, int | None], /
    ) -> HistoryEntry | list[HistoryEntry]:
        if isinstance(index, slice):
            return [self._entry(event) for event in self.events[index]]
        return self._entry(self.events[index])

    def _entry(self, event: AuditEvent) -> HistoryEntry:
        model = event.content_type.model_class()
        return HistoryEntry(
            event=event,
            rows=change_rows(event, model),
            is_related=not (model is type(self.obj) and event.object_id == str(self.obj.pk)),
        )
