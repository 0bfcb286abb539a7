"""RSS and Atom feeds of the portal's articles (all of them, or one section's) and its sitemap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongthuan.documents.models import Document
from dongthuan.portal import selectors
from dongthuan.portal.cache import public_page
from dongthuan.portal.models import Article, Section

FEED_SIZE = 30


class LatestFeed(Feed):  # type: ignore[type-arg]
    title = gettext_lazy("Đồng Thuận — tin mới")
    description = gettext_lazy("Tin bài mới đăng trên cổng thông tin.")

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return public_page(super().__call__)(request, *args, **kwargs)

    def link(self) -> str:
        return reverse("portal:home")

    def items(self) -> QuerySet[Article]:
        return selectors.published().defer("body", "search_text")[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Readers take an RSS description (and an Atom summary) as HTML; a lead is plain text, so it goes escaped:
        # what the editor typed shows as typed, and no markup of theirs reaches a reader.
        return escape(item.lead)

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description


class SectionFeed(LatestFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Section:  # type: ignore[override]
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section) -> str:  # type: ignore[override]
        return _("Đồng Thuận — %(section)s") % {"section": obj.name}

    def link(self, obj: Section) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def items(self, obj: Section) -> QuerySet[Article]:  # type: ignore[override]
        return selectors.published().filter(section=obj).defer("body", "search_text")[:FEED_SIZE]


class ArticleSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return Article.objects.filter(status="published").only("id", "slug", "updated_at").order_by("-id")

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at


class DocumentSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    limit = 5000

    def items(self) -> QuerySet[Document]:
        return Document.objects.filter(status="issued", classification="").only("id", "issued_on").order_by("-id")

    def location(self, item: Document) -> str:  # type: ignore[override]
        return reverse("portal:document", args=[item.pk])

    def lastmod(self, item: Document) -> dt.date | None:
        return item.issued_on


class PageSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["portal:home", "portal:documents", "portal:disclosures", "portal:petition_new", "portal:statistics"]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class SectionSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"

    def items(self) -> QuerySet[Section]:
        return Section.objects.all()


SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "documents": DocumentSitemap,
}
