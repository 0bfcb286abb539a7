from django.urls import path

from dongthuan.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.tree_children, name="children"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/activate/", views.activate, name="activate"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("positions/<int:pk>/change/", views.position_change, name="position_change"),
    path("<int:pk>/children/add/", views.child_create, name="child_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("bodies/<int:pk>/history/", views.body_history, name="body_history"),
    path("bodies/<int:pk>/term/next/", views.term_next, name="term_next"),
]
