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
    PUBLIC = "public", _("Nhân dân (công khai)")


class Audience(models.Model):
    """Who is asked: the committee's members; cadres or party members of an organisation (and its subtree); an
    organisation of the Fatherland Front or a socio-political organisation, which answers in writing by
    ``deadline`` (R-PUB-3: 15 days); or the public, on the public page of an unclassified draft (R-PUB-4), the
    organisation then being the one consulting."""

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


class OpinionStatus(models.TextChoices):
    """A member's opinion is received at once. A citizen's waits for the link sent to their email, then for the
    drafting team's moderation: received (published on the public page) or refused with a reason."""

    UNCONFIRMED = "unconfirmed", _("Chờ xác nhận email")
    PENDING = "pending", _("Chờ kiểm duyệt")
    RECEIVED = "received", _("Đã tiếp nhận")
    REJECTED = "rejected", _("Không tiếp nhận")


class Opinion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="opinions")
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED
    )
    section_key = models.CharField(_("phần"), max_length=20, blank=True)  # blank: the whole draft
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(  # a formal written opinion of an organisation
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(_("đối tượng"), max_length=16, choices=AudienceKind.choices)
    # A citizen's opinion: the name is published with it, the email never is.
    author_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    author_email = models.EmailField(_("thư điện tử"), blank=True)
    moderation_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("ý kiến"))
    # Near-duplicates share a group: the id of the group's first opinion (its own id for a new group), set when the
    # opinion arrives, so that the synthesis pages read groups in order without comparing texts again.
    group = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến góp ý")
        ordering = ["round", "id"]
        # The synthesis reads a round's taken-in opinions by section and group, and counts them, from this index.
        indexes = [
            models.Index(fields=["round", "status", "section_key", "group", "id"], name="opinion_synthesis"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def author(self) -> str:
        """Who gave it, as the drafting team reads it: the organisation, the person or the citizen's name."""
        if self.organization_id:
            return self.organization.name  # type: ignore[union-attr]
        if self.person_id:
            return self.person.full_name  # type: ignore[union-attr]
        return self.author_name


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


class NoticeKind(models.TextChoices):
    INVITATION = "invitation", _("Thư mời góp ý")
    REMINDER = "reminder", _("Thư nhắc góp ý")


class Notice(models.Model):
    """An email sent to one person asked in a round: the invitation when it opens, one reminder before it closes to
    those who have not yet given an opinion. Kept so that nobody gets the same letter twice."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại thư"), max_length=12, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư mời, nhắc góp ý")
        verbose_name_plural = pgettext_lazy("plural", "thư mời, nhắc góp ý")
        constraints = [models.UniqueConstraint(fields=["round", "person", "kind"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person_id}"
