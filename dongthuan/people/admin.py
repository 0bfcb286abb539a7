from django.contrib import admin

from dongthuan.core.models import Classification
from dongthuan.people.models import Person
from dongthuan.permissions import can_see_classified


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "party_status", "cell", "birth_date", "account")
    list_filter = ("party_status", "gender")
    search_fields = ("search_name", "party_card_number")
    raw_id_fields = ("cell", "home_organization", "account")

    def get_queryset(self, request):
        # Classified records stay hidden even from administrators unless they are named on them.
        qs = super().get_queryset(request)
        hidden = [
            p.pk for p in qs.exclude(classification=Classification.NONE) if not can_see_classified(request.user, p)
        ]
        return qs.exclude(pk__in=hidden)
