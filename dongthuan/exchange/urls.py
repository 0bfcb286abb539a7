from django.urls import path

from dongthuan.exchange import views

app_name = "exchange"
urlpatterns = [
    path("organizations/<int:pk>/members.<slug:fmt>", views.members, name="members"),
]
