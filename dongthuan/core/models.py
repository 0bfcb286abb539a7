"""What several parts of the domain share: secrecy classification and named access to classified records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Classification(models.TextChoices):
    """Độ mật. A classified record is visible only to people named on it (see core.access.can_see_classified)."""

    NONE = "", _("Thường")
    CONFIDENTIAL = "mat", _("Mật")
    SECRET = "toi_mat", _("Tối mật")
    TOP_SECRET = "tuyet_mat", _("Tuyệt mật")


class ClassifiedModel(models.Model):
    classification = models.CharField(
        _("độ mật"), max_length=16, choices=Classification.choices, default=Classification.NONE, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_classified(self) -> bool:
        return self.classification != Classification.NONE


class AccessGrant(models.Model):
    """A named person (account) who may see one classified record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("loại đối tượng"))
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("tài khoản")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("người cấp quyền"),
    )
    granted_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)

    class Meta:
        verbose_name = _("quyền xem tài liệu mật")
        verbose_name_plural = pgettext_lazy("plural", "quyền xem tài liệu mật")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "user"], name="accessgrant_unique_reader")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model}#{self.object_id}"


class ThrottleHit(models.Model):
    """One counted attempt of something limited per source (an address, an email): public forms keep these so
    that limits hold across processes and restarts. ``key`` is a keyed hash, never the address itself."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("lượt gửi được đếm")
        verbose_name_plural = pgettext_lazy("plural", "lượt gửi được đếm")
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%d/%m/%Y %H:%M}"
