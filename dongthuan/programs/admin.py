"""Fields are data the office may extend; programs and their parts are written through their pages (the services
keep roll-ups and tallies), so the admin only reads them."""

from django.contrib import admin

from dongthuan.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from dongthuan.programs.models import (
    Evidence,
    Field,
    Indicator,
    IndicatorValue,
    Objective,
    Program,
    ProgressReport,
    StatusChange,
    Tally,
    Task,
)


@admin.register(Field)
class FieldAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "abbreviation", "order")
    ordering = ("order", "name")


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "starts_on", "ends_on", "report_every")
    search_fields = ("title",)


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ("title", "program", "field")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "baseline", "target", "current", "deadline")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "on", "value")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "responsible", "due_on", "status", "progress")
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("task", "from_status", "to_status", "reason", "at")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("task", "period_end", "progress", "reported_at")


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ("organization", "field", "tasks", "late", "done")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "size", "report", "uploaded_at")
    exclude = ("content",)
