"""Read-only in the admin: reorganisations are applied and reverted on their own pages, which preview, check the
rules and record every effect."""

from django.contrib import admin

from dongthuan.core.admin_mixins import ReadOnlyAdmin
from dongthuan.restructuring.models import Restructuring, Succession


@admin.register(Restructuring)
class RestructuringAdmin(ReadOnlyAdmin):
    list_display = ("effective_on", "kind", "title", "legal_basis", "status", "created_by")
    list_filter = ("kind", "status")
    search_fields = ("title", "legal_basis")


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "event")
