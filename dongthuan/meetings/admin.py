"""Read-only in the admin: meetings and votes are recorded on their own pages, under the rules of R-DEC-*. Secret
ballots, who has voted in a secret poll, and the seals of secret polls are not in the admin at all: not even an
administrator sees a running count or a list of voters to set beside it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dongthuan.core.access import unclassified_or_named
from dongthuan.core.admin_mixins import ReadOnlyAdmin
from dongthuan.meetings.agenda import public_title
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    Candidate,
    Meeting,
    Minutes,
    OpenVote,
    Opinion,
    PaperTally,
    Poll,
)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "title", "body", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "person", "role", "status")

    def get_queryset(self, request):
        # A classified person's attendance names them: hidden as their record is, from anyone not named on it.
        return unclassified_or_named(request.user, super().get_queryset(request), through="person")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "number", "shown_title", "kind")
    list_select_related = ("meeting", "document__doc_type")
    # Shown as anyone may read it: a classified draft's title (or name) reaches only those named on it.
    exclude = ("title", "document")
    readonly_fields = ("shown_title",)

    @admin.display(description=_("nội dung"))
    def shown_title(self, obj: AgendaItem) -> str:
        return public_title(obj)


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("item", "person", "reserved")


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ("question", "kind", "status", "serving", "approve", "reject", "abstain", "passed")


@admin.register(OpenVote)
class OpenVoteAdmin(ReadOnlyAdmin):
    list_display = ("poll", "person", "choice")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("poll", "person", "write_in", "votes", "elected", "high", "medium", "low")


@admin.register(PaperTally)
class PaperTallyAdmin(ReadOnlyAdmin):
    list_display = ("poll", "teller", "entered_at")


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "status", "version", "signed_at")
