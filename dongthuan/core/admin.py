from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from dongthuan.core.access import access_grant, access_grant_problem, classified_models, named_record_ids
from dongthuan.core.admin_mixins import AuditedAdminMixin
from dongthuan.core.models import AccessGrant, ThrottleHit


def _target(content_type: ContentType | None, object_id: str | None) -> Any:
    if content_type is None or not object_id or not str(object_id).isdigit():
        return None
    model = content_type.model_class()
    if model is None:
        return None
    try:
        return model._default_manager.get(pk=int(object_id))
    except ObjectDoesNotExist:
        return None


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Names are given through ``core.access.access_grant`` (only by someone named, never to oneself); the list
    shows only the records the administrator is named on."""

    list_display = ("user", "content_type", "object_id", "granted_by", "granted_at")
    list_filter = ("content_type",)
    raw_id_fields = ("user",)
    fields = ("content_type", "object_id", "user")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        mine = Q(pk__in=[])
        for model in classified_models():
            ids = [str(pk) for pk in named_record_ids(request.user, model)]
            mine |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        return qs.filter(mine)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            ids = [ContentType.objects.get_for_model(m).pk for m in classified_models()]
            kwargs["queryset"] = ContentType.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class GrantForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                target = _target(data.get("content_type"), data.get("object_id"))
                problem = access_grant_problem(actor=request.user, target=target, user=data.get("user"))
                if problem is not None:
                    raise forms.ValidationError(problem)
                return data

        return GrantForm

    def has_change_permission(self, request, obj=None):
        return False  # a name is given or taken away, never rewritten

    def save_model(self, request, obj, form, change):
        target = _target(obj.content_type, obj.object_id)
        grant = access_grant(actor=request.user, target=target, user=obj.user)
        obj.pk = grant.pk


@admin.register(ThrottleHit)
class ThrottleHitAdmin(admin.ModelAdmin):
    list_display = ("scope", "at")
    list_filter = ("scope",)
