"""Sections, topics (with their handling days) and routing rules are data the office configures here; articles,
comments, disclosures and petitions are written through the portal's pages (their services keep the workflow, the
history and the cache), so the admin only reads them."""

from django.contrib import admin

from dongthuan.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from dongthuan.portal.models import (
    Article,
    ArticleImage,
    Comment,
    Disclosure,
    Petition,
    PetitionEvent,
    PetitionFile,
    PortalState,
    Route,
    Section,
    Tag,
    Topic,
)


@admin.register(Section)
class SectionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "handling_days", "active", "order")


@admin.register(Route)
class RouteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("commune", "topic", "handler")
    autocomplete_fields = ("commune", "handler")


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "section", "status", "published_at")
    list_filter = ("status", "section")
    search_fields = ("title",)
    exclude = ("search_text",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "created_at")
    list_filter = ("status",)
    exclude = ("email",)


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "category", "year", "posted_on")
    exclude = ("file_content",)


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "handler", "status", "due_on")
    list_filter = ("status", "topic")
    search_fields = ("code",)
    # A citizen's contact details are for the organisation handling the petition (its page), not the admin.
    exclude = ("search_text", "name", "email", "phone")


@admin.register(ArticleImage)
class ArticleImageAdmin(ReadOnlyAdmin):
    list_display = ("article", "caption", "kind", "width", "height")
    exclude = ("content",)


@admin.register(PetitionFile)
class PetitionFileAdmin(ReadOnlyAdmin):
    list_display = ("petition", "name", "kind", "size")
    exclude = ("content",)


@admin.register(PetitionEvent)
class PetitionEventAdmin(ReadOnlyAdmin):
    list_display = ("petition", "kind", "at")


@admin.register(PortalState)
class PortalStateAdmin(ReadOnlyAdmin):
    list_display = ("generation",)
