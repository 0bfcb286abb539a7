"""Consultation on a draft: a round on one version, its audiences, the opinions given on a section or the whole
draft, and the answer to each — accepted, partly accepted, or explained (R-PUB-5) — from which the response
register (bản tổng hợp, tiếp thu, giải trình ý kiến) is made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc, đang tổng hợp")
    SYNTHESISED = "synthesised", _("Đã tổng hợp, tiếp thu, giải trình")


class Round(models.Model):
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="rounds")
    version = models.ForeignKey(
        "documents.Version", on_delete=models.PROTECT, related_name="+", verbose_name=_("phiên bản")
    )
    opens_on = models.DateField(_("bắt đầu"))
    closes_on = models.DateField(_("kết thúc"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt lấy ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "đợt lấy ý kiến")
        ordering = ["-opens_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_dates")]

    def __str__(self) -> str:
        return f"{self.document} – {self.opens_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])


class AudienceKind(models.TextChoices):
    COMMITTEE = "committee", _("Ủy viên cấp ủy")
    CADRES = "cadres", _("Cán bộ của tổ chức")
    MEMBERS = "members", _("Đảng viên của tổ chức")
    ORGANISATIONS = "organisations", _("Mặt trận, đoàn thể (ý kiến bằng văn bản)")


class Audience(models.Model):
    """Who is asked: the committee's members; cadres or party members of an organisation (and its subtree); or an
    organisation of the Fatherland Front or a socio-political organisation, which answers in writing by
    ``deadline`` (R-PUB-3: 15 days)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="audiences")
    kind = models.CharField(_("đối tượng"), max_length=16, choices=AudienceKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức")
    )
    deadline = models.DateField(_("hạn trả lời"), null=True, blank=True)

    class Meta:
        verbose_name = _("đối tượng lấy ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "đối tượng lấy ý kiến")
        constraints = [models.UniqueConstraint(fields=["round", "kind", "organization"], name="audience_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organization}"


class Opinion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="opinions")
    section_key = models.CharField(_("phần"), max_length=20, blank=True)  # blank: the whole draft
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(  # a formal written opinion of an organisation
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(_("đối tượng"), max_length=16, choices=AudienceKind.choices)
    text = models.TextField(_("ý kiến"))
    # Near-duplicates share a group: the id of the group's first opinion (its own id for a new group), set when the
    # opinion arrives, so that the synthesis pages read groups in order without comparing texts again.
    group = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến góp ý")
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["round", "section_key", "group", "id"], name="opinion_round_section_group")]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    PARTLY = "partly", _("Tiếp thu một phần")
    EXPLAINED = "explained", _("Giải trình, không tiếp thu")


class Answer(models.Model):
    """R-PUB-5: the drafting team's answer to one opinion, with its reasoning and, when the text changed, the
    section of the next version."""

    opinion = models.OneToOneField(Opinion, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("tiếp thu, giải trình"), max_length=10, choices=Decision.choices)
    reasoning = models.TextField(_("lý do, nội dung tiếp thu"))
    changed_version = models.ForeignKey(
        "documents.Version", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_section_key = models.CharField(max_length=20, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trả lời ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "trả lời ý kiến")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.reasoning[:60]}"
