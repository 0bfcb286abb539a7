"""Read-only in the admin: reorganisations are applied and reverted on their own pages, which preview, check the
rules and record every effect."""

from django.contrib import admin

from dongthuan.restructuring.models import Restructuring, Succession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Restructuring)
class RestructuringAdmin(ReadOnlyAdmin):
    list_display = ("effective_on", "kind", "title", "legal_basis", "status", "created_by")
    list_filter = ("kind", "status")
    search_fields = ("title", "legal_basis")


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "event")
