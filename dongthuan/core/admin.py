from django.contrib import admin

from dongthuan.core.admin_mixins import AuditedAdminMixin
from dongthuan.core.models import AccessGrant, ThrottleHit


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "content_type", "object_id", "granted_by", "granted_at")
    list_filter = ("content_type",)
    raw_id_fields = ("user", "granted_by")


@admin.register(ThrottleHit)
class ThrottleHitAdmin(admin.ModelAdmin):
    list_display = ("scope", "at")
    list_filter = ("scope",)
