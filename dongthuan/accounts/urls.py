from django.contrib.auth import views as auth_views
from django.urls import path

from dongthuan.accounts import views

# Not namespaced: Django's password views reverse these names.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# Namespaced "accounts:".
own_patterns = [
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<str:sign_in_id>/end/", views.session_end, name="session_end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("2fa/", views.second_factor, name="second_factor"),
    path("2fa/setup/", views.setup, name="setup"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("2fa/off/", views.second_factor_off, name="second_factor_off"),
]
