"""What the accounts keep about signing in: each signed-in session (to list and end one's own), the devices an
account has signed in from (to warn of a new one), and its passkeys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp_webauthn.models import WebAuthnCredential


class Device(models.Model):
    """A browser an account has signed in from, known by a random token kept in a long-lived cookie (only its
    hash is stored here)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("tài khoản")
    )
    token_hash = models.CharField(max_length=64)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    first_seen = models.DateTimeField(_("lần đầu"))
    last_seen = models.DateTimeField(_("lần gần nhất"))

    class Meta:
        verbose_name = _("thiết bị đăng nhập")
        verbose_name_plural = pgettext_lazy("plural", "thiết bị đăng nhập")
        constraints = [models.UniqueConstraint(fields=["user", "token_hash"], name="device_unique_token")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.first_seen:%d/%m/%Y}"


class SignIn(models.Model):
    """One signed-in session of an account, recorded when it signs in through the login page; it lasts as long as
    the session it names."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("tài khoản")
    )
    session_key = models.CharField(max_length=64, unique=True)
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("đăng nhập lúc"))
    last_seen = models.DateTimeField(_("hoạt động gần nhất"))

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = pgettext_lazy("plural", "phiên đăng nhập")
        indexes = [models.Index(fields=["user", "-last_seen"], name="signin_user_last_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%d/%m/%Y %H:%M}"


class Passkey(WebAuthnCredential):
    """A passkey (WebAuthn credential) of an account, used as its second factor: django-otp-webauthn's credential
    (public key, sign counter, name, added and last used), under the name people know it by. Only the public key is
    kept; the private key never leaves the person's device."""

    class Meta:
        proxy = True
        verbose_name = _("khóa truy cập")
        verbose_name_plural = pgettext_lazy("plural", "khóa truy cập")

    def __str__(self) -> str:
        return self.name
