from django.urls import path

from dongthuan.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:slug>/", views.section, name="section"),
    path("chuyen-muc/<slug:slug>/rss.xml", feeds.SectionFeed(), name="section_rss"),
    path("tu-khoa/<slug:slug>/", views.tag, name="tag"),
    path("tim-kiem/", views.search, name="search"),
    path("bai-viet/<int:pk>-<slug:slug>/", views.article, name="article"),
    path("anh/<int:pk>.<str:kind>", views.image, name="image"),
    path("van-ban/", views.documents, name="documents"),
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/<int:pk>.<str:fmt>", views.document_file, name="document_file"),
    path("y-kien/xac-nhan/<str:token>/", views.comment_confirm, name="comment_confirm"),
    path("cong-khai/", views.disclosures, name="disclosures"),
    path("cong-khai/<int:pk>/", views.board, name="board"),
    path("cong-khai/tep/<int:pk>/", views.board_file, name="board_file"),
    path("phan-anh/", views.petition_new, name="petition_new"),
    path("phan-anh/tra-cuu/", views.track, name="track"),
    path("phan-anh/tra-cuu/<str:code>/", views.track_code, name="track_code"),
    path("phan-anh/thong-ke/", views.statistics, name="statistics"),
    path("rss.xml", feeds.LatestFeed(), name="rss"),
    path("atom.xml", feeds.LatestAtomFeed(), name="atom"),
    # The newsroom (signed in).
    path("toa-soan/", views.desk, name="desk"),
    path("toa-soan/viet/<int:org_pk>/", views.article_new, name="article_new"),
    path("toa-soan/bai/<int:pk>/", views.article_edit, name="article_edit"),
    path("toa-soan/bai/<int:pk>/anh/", views.article_image, name="article_image"),
    path("toa-soan/anh/<int:pk>/bo/", views.article_image_remove, name="article_image_remove"),
    path("toa-soan/bai/<int:pk>/<str:step>/", views.article_step, name="article_step"),
    path("toa-soan/y-kien/", views.comments, name="comments"),
    path("toa-soan/y-kien/<int:pk>/", views.comment_moderate, name="comment_moderate"),
    path("toa-soan/phan-anh/", views.petitions, name="desk_petitions"),
    path("toa-soan/phan-anh/<int:pk>/", views.petition, name="desk_petition"),
    path("toa-soan/phan-anh/tep/<int:pk>/", views.petition_file, name="petition_file"),
    path("toa-soan/cong-khai/<int:org_pk>/", views.disclosure_new, name="disclosure_new"),
]
