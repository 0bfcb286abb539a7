from django.contrib import admin

from dongthuan.core.admin_mixins import AuditedAdminMixin
from dongthuan.core.models import AccessGrant


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "content_type", "object_id", "granted_by", "granted_at")
    list_filter = ("content_type",)
    raw_id_fields = ("user", "granted_by")
