from django.urls import path

from dongthuan.exchange import views

app_name = "exchange"
urlpatterns = [
    path("organizations/<int:pk>/", views.hub, name="hub"),
    path("organizations/<int:pk>/members.<slug:fmt>", views.members, name="members"),
    path("organizations/<int:pk>/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("organizations/<int:pk>/template/<slug:kind>.<slug:fmt>", views.template, name="template"),
    path("imports/<int:pk>/", views.batch, name="batch"),
    path("imports/<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("imports/<int:pk>/cancel/", views.batch_cancel, name="cancel"),
]
