from django.urls import path

from dongthuan.meetings import views

app_name = "meetings"
urlpatterns = [
    path("bodies/<int:body_pk>/", views.meeting_list, name="list"),
    path("bodies/<int:body_pk>/new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/attendance/<int:person_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/polls/", views.poll_add, name="poll_add"),
    path("polls/<int:pk>/candidates/", views.candidate_add, name="candidate_add"),
    path("polls/<int:pk>/open/", views.poll_open, name="poll_open"),
    path("polls/<int:pk>/close/", views.poll_close, name="poll_close"),
    path("polls/<int:pk>/runoff/", views.poll_runoff, name="poll_runoff"),
    path("polls/<int:pk>/vote/", views.vote, name="vote"),
    path("polls/<int:pk>/ballots.pdf", views.ballots, name="ballots"),
    path("polls/<int:pk>/tally/", views.tally, name="tally"),
    path("polls/<int:pk>/seal-code/", views.seal_code, name="seal_code"),
    path("polls/<int:pk>/void/", views.poll_void, name="poll_void"),
    path("polls/<int:pk>/unseal/", views.unseal, name="unseal"),
    path("polls/<int:pk>/seal.json", views.bulletin, name="bulletin"),
    path("<int:pk>/items/<int:item_pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.<str:fmt>", views.minutes_export, name="minutes_export"),
]
