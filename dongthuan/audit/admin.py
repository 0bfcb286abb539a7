from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from dongthuan.audit.models import AuditEvent
from dongthuan.core.access import classified_models, hidden_classified_ids


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows cannot be added, changed or deleted through any interface."""

    list_display = ("at", "actor_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name")
    date_hierarchy = "at"

    def get_queryset(self, request):
        # The history of a classified record is as secret as the record: hidden unless the reader is named on it.
        # So are the rows of other records that name it (a classified person's posts, attendance, the history of
        # their posts): hidden when their description or changes carry the record's name.
        qs = super().get_queryset(request)
        for model in classified_models():
            hidden = hidden_classified_ids(request.user, model)
            if hidden:
                qs = qs.exclude(
                    Q(content_type=ContentType.objects.get_for_model(model))
                    & Q(object_id__in=[str(pk) for pk in hidden])
                )
                names = {str(record) for record in model._default_manager.filter(pk__in=hidden)}
                for name in (n for n in names if len(n) >= 6):
                    qs = qs.annotate(changes_text=Cast("changes", TextField())).exclude(
                        Q(object_repr__contains=name) | Q(changes_text__contains=name)
                    )
        return qs

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
