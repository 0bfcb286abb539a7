"""Consultations are recorded on their own pages; here they are read only, and what hangs off a classified draft (its
rounds, audiences, opinions, answers and letters) is as secret as the draft: hidden from anyone not named on it,
administrators included."""

from django.contrib import admin

from dongthuan.consultations.models import Answer, Audience, Notice, Opinion, Round
from dongthuan.core.access import unclassified_or_named
from dongthuan.core.admin_mixins import ReadOnlyAdmin


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("document", "version", "opens_on", "closes_on", "status")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="document")


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdmin):
    list_display = ("round", "kind", "organization", "deadline")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="round__document")


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("round", "section_key", "audience", "status", "person", "organization", "created_at")
    list_filter = ("status", "audience")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="round__document")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("opinion", "decision", "answered_at")

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="opinion__round__document")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("round", "person", "kind", "sent_at")
    list_filter = ("kind",)

    def get_queryset(self, request):
        return unclassified_or_named(request.user, super().get_queryset(request), through="round__document")
