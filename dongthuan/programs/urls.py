from django.urls import path

from dongthuan.programs import views

app_name = "programs"
urlpatterns = [
    path("organizations/<int:org_pk>/", views.dashboard, name="dashboard"),
    path("organizations/<int:org_pk>/new/", views.program_create, name="create"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/objectives/", views.objective_add, name="objective_add"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tracking.xlsx", views.tracking_export, name="tracking"),
    path("<int:pk>/review/", views.review, name="review"),
    path("indicators/<int:pk>/values/", views.indicator_record, name="indicator_record"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
