from django.contrib import admin

from dongthuan.consultations.models import Answer, Audience, Notice, Opinion, Round
from dongthuan.core.admin_mixins import ReadOnlyAdmin


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("document", "version", "opens_on", "closes_on", "status")


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdmin):
    list_display = ("round", "kind", "organization", "deadline")


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("round", "section_key", "audience", "status", "person", "organization", "created_at")
    list_filter = ("status", "audience")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("opinion", "decision", "answered_at")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("round", "person", "kind", "sent_at")
    list_filter = ("kind",)
