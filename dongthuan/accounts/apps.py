from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and what protects it: lockout after wrong passwords, password reset, one's sessions, two factors."""

    name = "dongthuan.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")
