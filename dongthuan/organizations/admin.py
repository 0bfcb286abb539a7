"""Django admin for configuration. Saves go through the services, so admin writes are audited too."""

from typing import Any

from django import forms
from django.contrib import admin

from dongthuan.core.access import unclassified_or_named
from dongthuan.core.admin_mixins import AuditedAdminMixin
from dongthuan.organizations import services
from dongthuan.organizations.models import Body, Level, Organization, ParentLink, Position, Term


@admin.register(Level)
class LevelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "rank", "valid_from", "valid_to")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "doc_code", "parent", "status", "valid_from", "valid_to")
    list_filter = ("kind", "level", "status")
    search_fields = ("name", "short_name", "search_name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")

    def get_readonly_fields(self, request, obj=None):
        # Moving an organisation is a restructuring operation, not an edit.
        return (*self.readonly_fields, "parent", "kind", "level", "status") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            fields = {f: form.cleaned_data[f] for f in services.ORGANIZATION_EDITABLE if f in form.cleaned_data}
            services.organization_update(actor=request.user, organization=obj, **fields)
        else:
            created = services.organization_create(
                actor=request.user,
                **{f: form.cleaned_data.get(f) for f in ("name", "kind", "parent", "level", "valid_from")},
                short_name=form.cleaned_data.get("short_name", ""),
                doc_code=form.cleaned_data.get("doc_code", ""),
                status=form.cleaned_data.get("status"),
            )
            obj.pk = created.pk


class TermAdminForm(forms.ModelForm):
    """The admin checks a term as the services do (R-ORG-3: the day after the congress, no overlap) and shows a
    refusal on the form."""

    class Meta:
        model = Term
        fields = ("organization", "name", "congress_closed_on", "start", "end")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        organization = data.get("organization") if self.instance.pk is None else self.instance.organization
        if organization is not None:
            data["start"] = services.term_check(
                organization=organization,
                start=data.get("start"),
                end=data.get("end"),
                congress_closed_on=data.get("congress_closed_on"),
                term=self.instance if self.instance.pk else None,
            )
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Terms are written through ``term_create`` and ``term_update`` (checked, locked, audited); closing a term
    and opening the next is done from a body's page."""

    form = TermAdminForm
    list_display = ("organization", "name", "congress_closed_on", "start", "end")
    raw_id_fields = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        return ("organization",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        fields = {k: d.get(k) for k in ("name", "congress_closed_on", "start", "end")}
        if change:
            term = services.term_update(actor=request.user, term=obj, **fields)
        else:
            term = services.term_create(actor=request.user, organization=d["organization"], **fields)
        obj.pk = term.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a term documents were numbered in stays; a wrong one is corrected


@admin.register(Body)
class BodyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "organization", "term")
    list_filter = ("kind",)
    raw_id_fields = ("organization", "term")
    search_fields = ("name",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    """Read-only here: posts are given, ended and changed on the organisation's page, where R-ORG-2 and the
    one-secretary rule are checked."""

    list_display = ("person", "title", "organization", "body", "start", "end")
    list_filter = ("title",)
    search_fields = ("person__search_name",)

    def get_queryset(self, request):
        # A classified person's posts name them: hidden as their record is, from anyone not named on it.
        return unclassified_or_named(request.user, super().get_queryset(request), through="person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParentLink)
class ParentLinkAdmin(admin.ModelAdmin):
    """The dated history of where each organisation sat; written only by creation and reorganisation."""

    list_display = ("organization", "parent", "valid_from", "valid_to")
    search_fields = ("organization__search_name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
