from django.contrib import admin

from dongthuan.consultations.models import Answer, Audience, Opinion, Round
from dongthuan.core.admin_mixins import ReadOnlyAdmin


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("document", "version", "opens_on", "closes_on", "status")


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdmin):
    list_display = ("round", "kind", "organization", "deadline")


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("round", "section_key", "audience", "person", "organization", "created_at")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("opinion", "decision", "answered_at")
