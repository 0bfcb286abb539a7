"""Reorganisations of the apparatus as dated events: merges, splits, moves, renames, dissolutions, level changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RestructuringKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập, hợp nhất")
    SPLIT = "split", _("Chia tách")
    MOVE = "move", _("Chuyển trực thuộc")
    RENAME = "rename", _("Đổi tên")
    DISSOLVE = "dissolve", _("Giải thể")
    CHANGE_LEVEL = "change_level", _("Thay đổi cấp")


class RestructuringStatus(models.TextChoices):
    APPLIED = "applied", _("Đã thực hiện")
    REVERTED = "reverted", _("Đã hoàn tác")


class Restructuring(models.Model):
    """One reorganisation, applied in one transaction. ``effects`` lists every change it made, in order, so that
    it can be reverted while nothing newer depends on it."""

    kind = models.CharField(_("loại"), max_length=20, choices=RestructuringKind.choices)
    effective_on = models.DateField(_("có hiệu lực từ ngày"))
    reason = models.TextField(_("lý do"))
    legal_basis = models.CharField(_("căn cứ (số quyết định)"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RestructuringStatus.choices, default=RestructuringStatus.APPLIED
    )
    title = models.CharField(_("nội dung"), max_length=500)
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)
    effects = models.JSONField(_("các thay đổi"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("thực hiện lúc"), auto_now_add=True)
    reverted_at = models.DateTimeField(_("hoàn tác lúc"), null=True, blank=True)
    organizations = models.ManyToManyField(
        "organizations.Organization", related_name="restructurings", verbose_name=_("tổ chức liên quan"), blank=True
    )

    class Meta:
        verbose_name = _("đợt sắp xếp tổ chức")
        verbose_name_plural = pgettext_lazy("plural", "đợt sắp xếp tổ chức")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.effective_on:%d/%m/%Y})"


class Succession(models.Model):
    """Organisation ``successor`` takes over from ``predecessor`` (merge, split, dissolution with a successor)."""

    event = models.ForeignKey(Restructuring, on_delete=models.CASCADE, related_name="successions")
    predecessor = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="predecessor_links"
    )

    class Meta:
        verbose_name = _("kế thừa")
        verbose_name_plural = pgettext_lazy("plural", "kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
