from django.contrib import admin

from dongthuan.core.access import unclassified_or_named
from dongthuan.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from dongthuan.documents.models import (
    Acknowledgement,
    Dissemination,
    DisseminationMember,
    Document,
    DocumentType,
    NumberSequence,
    Relation,
    StudySession,
    Version,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """R-DOC-1: the types and abbreviations are data the office may extend."""

    list_display = ("name", "abbreviation", "order")
    ordering = ("order", "name")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("symbol", "doc_type", "title", "organization", "status", "issued_on")
    list_filter = ("status", "doc_type")
    search_fields = ("symbol", "title")

    def get_queryset(self, request):
        # Classified documents stay hidden even from administrators unless they are named on them.
        return unclassified_or_named(request.user, super().get_queryset(request))


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ("document", "number", "created_at")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="document")


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("key", "last")


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ("source", "kind", "target")

    def get_queryset(self, request):
        qs = unclassified_or_named(request.user, super().get_queryset(request), through="source")
        return unclassified_or_named(request.user, qs, through="target")


@admin.register(Dissemination)
class DisseminationAdmin(ReadOnlyAdmin):
    list_display = ("document", "organization", "deadline")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="document")


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyAdmin):
    list_display = ("dissemination", "organization", "held_on")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="dissemination__document")


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("dissemination", "person", "session", "acknowledged_at")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="dissemination__document")


@admin.register(DisseminationMember)
class DisseminationMemberAdmin(ReadOnlyAdmin):
    list_display = ("dissemination", "person", "unit")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="dissemination__document")
