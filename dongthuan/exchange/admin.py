"""Read-only in the admin: imports are uploaded, checked and confirmed on their own pages."""

from django.contrib import admin

from dongthuan.core.admin_mixins import ReadOnlyAdmin
from dongthuan.exchange.models import ImportBatch, ImportChunk, ImportFile


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "organization", "file_name", "status", "rows_total", "rows_error")
    list_filter = ("kind", "status")
    search_fields = ("file_name",)
    exclude = ("columns",)


@admin.register(ImportFile)
class ImportFileAdmin(ReadOnlyAdmin):
    list_display = ("batch",)
    exclude = ("content",)


@admin.register(ImportChunk)
class ImportChunkAdmin(ReadOnlyAdmin):
    list_display = ("batch", "index", "n_create", "n_update", "n_unchanged", "n_error")
    exclude = ("rows",)
