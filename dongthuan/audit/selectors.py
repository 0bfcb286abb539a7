from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import models

from dongthuan.audit.models import AuditEvent


def history_page(obj: models.Model, page: str | int | None, per_page: int = 50) -> Page:
    """One page of an object's audit trail, newest first."""
    qs = AuditEvent.objects.for_object(obj).select_related("actor").order_by("-at", "-id")
    return Paginator(qs, per_page).get_page(page)
