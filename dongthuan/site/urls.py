from django.urls import path

from dongthuan.site import views

urlpatterns = [
    path("", views.home, name="home"),
]
