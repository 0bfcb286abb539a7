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
    path("2fa/passkeys/add/options/", views.passkey_add_options, name="passkey_add_options"),
    path("2fa/passkeys/add/", views.passkey_add, name="passkey_add"),
    path("2fa/passkeys/sign-in/options/", views.passkey_sign_in_options, name="passkey_sign_in_options"),
    path("2fa/passkeys/sign-in/", views.passkey_sign_in, name="passkey_sign_in"),
    path("2fa/passkeys/<str:passkey_id>/remove/", views.passkey_remove, name="passkey_remove"),
]
