"""Admin writes are audited like any other write (through the recorder of ``core/history.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from dongthuan.core import history
from dongthuan.core.services import normalize_text_fields


class AuditedAdminMixin:
    """For configuration models without a workflow of their own (levels, terms, bodies, access grants): the
    admin's save and delete store text in NFC and leave an audit row with before → after."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        recorder = history.recorder()
        fields = [f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key]
        before = recorder.snapshot(type(obj)._default_manager.get(pk=obj.pk), fields) if change else {}
        normalize_text_fields(obj)
        with transaction.atomic():
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            changes = recorder.diff(before, recorder.snapshot(obj, fields))
            if changes or not change:
                recorder.record(actor=request.user, action="update" if change else "create", obj=obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            history.record(actor=request.user, action="delete", obj=obj)
            super().delete_model(request, obj)  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit
        return actions


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by their own pages (which preview, check the rules and audit): view only."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
