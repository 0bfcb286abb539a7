from django.urls import path

from dongthuan.consultations import views

app_name = "consultations"
urlpatterns = [
    path("documents/<int:pk>/new/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("<int:pk>/opinions/<int:opinion_pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/opinions/<int:opinion_pk>/moderate/", views.moderate, name="moderate"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/<int:pk>/register.<str:fmt>", views.public_register, name="public_register"),
    path("public/confirm/<str:token>/", views.public_confirm, name="public_confirm"),
    path("<int:pk>/<str:step>/", views.round_step, name="step"),
    path("<int:pk>/register.<str:fmt>", views.register, name="register"),
]
