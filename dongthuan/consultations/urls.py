from django.urls import path

from dongthuan.consultations import views

app_name = "consultations"
urlpatterns = [
    path("documents/<int:pk>/new/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("<int:pk>/opinions/<int:opinion_pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/<str:step>/", views.round_step, name="step"),
    path("<int:pk>/register.<str:fmt>", views.register, name="register"),
]
