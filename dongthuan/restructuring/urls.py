from django.urls import path

from dongthuan.restructuring import views

app_name = "restructuring"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/revert/", views.revert, name="revert"),
    path("new/<slug:kind>/<int:org_pk>/", views.start, name="start"),
]
