from django.contrib import admin

from dongthuan.core.access import can_see_classified
from dongthuan.core.models import Classification
from dongthuan.people import services
from dongthuan.people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "party_status", "cell", "birth_date", "account")
    list_filter = ("party_status", "gender")
    search_fields = ("search_name", "party_card_number")
    raw_id_fields = ("cell", "home_organization", "account")

    def save_model(self, request, obj, form, change):
        # Through the services: NFC text, search keys, party-status checks and the audit trail.
        fields = {f: form.cleaned_data[f] for f in services.PERSON_FIELDS if f in form.cleaned_data}
        if change:
            person = services.person_update(actor=request.user, person=obj, **fields)
        else:
            full_name = fields.pop("full_name")
            person = services.person_create(actor=request.user, full_name=full_name, **fields)
        if "account" in form.cleaned_data and form.cleaned_data["account"] != person.account:
            services.person_link_account(actor=request.user, person=person, account=form.cleaned_data["account"])
        obj.pk = person.pk

    def has_delete_permission(self, request, obj=None):
        return False  # people leave organisations (their posts end, their status changes); records stay

    def get_queryset(self, request):
        # Classified records stay hidden even from administrators unless they are named on them.
        qs = super().get_queryset(request)
        hidden = [
            p.pk for p in qs.exclude(classification=Classification.NONE) if not can_see_classified(request.user, p)
        ]
        return qs.exclude(pk__in=hidden)
