from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from dongthuan.accounts import urls as account_urls
from dongthuan.portal import views as portal_views
from dongthuan.portal.cache import public_page
from dongthuan.portal.feeds import SITEMAPS

urlpatterns = [
    path("", include("dongthuan.site.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("dongthuan.accounts.urls")),
    path("accounts/", include((account_urls.own_patterns, "accounts"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organizations/", include("dongthuan.organizations.urls")),
    path("", include("dongthuan.people.urls")),
    path("restructuring/", include("dongthuan.restructuring.urls")),
    path("exchange/", include("dongthuan.exchange.urls")),
    path("meetings/", include("dongthuan.meetings.urls")),
    path("documents/", include("dongthuan.documents.urls")),
    path("consultations/", include("dongthuan.consultations.urls")),
    path("programs/", include("dongthuan.programs.urls")),
    path("portal/", include("dongthuan.portal.urls")),
    path("sitemap.xml", public_page(sitemap_views.index), {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"}),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("healthz", portal_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "dongthuan.site.views.not_found"
handler500 = "dongthuan.site.views.server_error"
