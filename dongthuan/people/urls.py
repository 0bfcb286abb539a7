from django.urls import path

from dongthuan.people import views

app_name = "people"
# Mounted at the site's root: a person's pages under people/, an organisation's people under the organisation's
# own address.
urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/<int:pk>/", views.detail, name="detail"),
    path("people/<int:pk>/edit/", views.edit, name="edit"),
    path("people/<int:pk>/history/", views.history, name="history"),
    path("people/new/in/<int:org_pk>/", views.create, name="create"),
    path("organizations/<int:pk>/members/", views.member_list, name="members"),
    path("organizations/<int:pk>/positions/add/", views.position_add, name="position_add"),
]
