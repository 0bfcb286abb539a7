from django.urls import path

from dongthuan.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/in/<int:org_pk>/", views.draft_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("<int:pk>.<str:fmt>", views.export, name="export"),
    path("<int:pk>/disseminations/", views.dissemination_create, name="dissemination_create"),
    path("disseminations/<int:pk>/", views.dissemination, name="dissemination"),
]
