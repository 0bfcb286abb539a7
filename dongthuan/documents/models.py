"""Party documents: types as data (R-DOC-1), drafts kept as versions of a structured outline, issuing with a gapless
number per issuer, type and term (R-DOC-2) and its symbol (R-DOC-3), the official layout (R-DOC-4, see
``rendering``), and documents that never change once issued (R-DOC-5), linked to what they implement, amend,
replace or guide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dongthuan.core.models import ClassifiedModel


class DocumentType(models.Model):
    """R-DOC-1: a type of party document and its abbreviation in symbols (NQ, QĐ, CT, KL…). Data, not code."""

    name = models.CharField(_("tên loại"), max_length=100, unique=True)
    abbreviation = models.CharField(_("viết tắt"), max_length=10)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = pgettext_lazy("plural", "loại văn bản")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Document(ClassifiedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("cơ quan ban hành"),
    )
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại văn bản")
    )
    title = models.CharField(
        _("trích yếu"), max_length=500, help_text=_("Ví dụ: về đổi mới phương thức lãnh đạo của Đảng ở cơ sở")
    )
    field = models.CharField(_("lĩnh vực"), max_length=100, blank=True)
    by_congress = models.BooleanField(
        _("văn bản của đại hội"), default=False, help_text=_("Văn bản của đại hội đánh số chung mọi loại (R-DOC-2).")
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=DocumentStatus.choices, default="draft")
    # Issuing (R-DOC-2, R-DOC-3): set once, never changed (R-DOC-5).
    term = models.ForeignKey(
        "organizations.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm kỳ"),
    )
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    signer = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người ký")
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True, help_text="T/M BAN THƯỜNG VỤ")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True, help_text="BÍ THƯ")
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    issued_version = models.ForeignKey(
        "Version", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("bản ban hành")
    )
    # What the library's search reads (documents/search.py): the whole text, and the symbol, type and title alone.
    search_text = models.TextField(editable=False, default="")
    search_title = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = pgettext_lazy("plural", "văn bản")
        ordering = ["-issued_on", "-id"]
        # The library lists issued, unclassified documents newest first and counts them from one index; a reader
        # who sees some issuers only, from the second.
        indexes = [
            models.Index(fields=["status", "classification", "-issued_on", "-id"], name="document_library"),
            models.Index(
                fields=["organization", "status", "classification", "-issued_on", "-id"], name="document_issuer_library"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="document_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.doc_type.name} {self.title}".strip() if self.symbol else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])


class Version(models.Model):
    """One version of a draft: an outline of sections (parts, articles, clauses) with their text. Every edit makes a
    new version; a version never changes."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    # [{"key": "d1", "heading": "Điều 1. Phạm vi", "text": "…"}]: ``key`` follows a section across versions.
    sections = models.JSONField(_("nội dung"), default=list)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_number_once")]

    def __str__(self) -> str:
        return f"{self.document} – v{self.number}"


class NumberSequence(models.Model):
    """R-DOC-2: the last number given for one issuer, term and type (``doc_type`` empty: a congress's one sequence
    across types). Taken under a row lock, so numbers are gapless and two documents issued at the same instant get
    consecutive numbers."""

    key = models.CharField(max_length=100, unique=True)  # "<organization>:<term or ->:<type or congress>"
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = pgettext_lazy("plural", "sổ đăng ký số văn bản")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class RelationKind(models.TextChoices):
    IMPLEMENTS = "implements", _("thực hiện")
    AMENDS = "amends", _("sửa đổi, bổ sung")
    REPLACES = "replaces", _("thay thế")
    GUIDES = "guides", _("hướng dẫn")


# How a relation reads from its target's side.
INVERSE_LABELS = {
    RelationKind.IMPLEMENTS: _("được thực hiện bởi"),
    RelationKind.AMENDS: _("được sửa đổi, bổ sung bởi"),
    RelationKind.REPLACES: _("được thay thế bởi"),
    RelationKind.GUIDES: _("được hướng dẫn bởi"),
}


class Relation(models.Model):
    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="relations_in")
    kind = models.CharField(_("quan hệ"), max_length=12, choices=RelationKind.choices)

    class Meta:
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = pgettext_lazy("plural", "liên kết văn bản")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_once"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="relation_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Dissemination(models.Model):
    """Quán triệt: the party members of ``organization`` (and its subtree) must study an issued document by
    ``deadline``; sessions held and each member's acknowledgement give the coverage per organisation."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="disseminations")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức quán triệt")
    )
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quán triệt văn bản")
        verbose_name_plural = pgettext_lazy("plural", "quán triệt văn bản")
        constraints = [models.UniqueConstraint(fields=["document", "organization"], name="dissemination_once")]

    def __str__(self) -> str:
        return f"{self.document} – {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("documents:dissemination", args=[self.pk])


class DisseminationMember(models.Model):
    """Who must study the document, fixed when it is given: the party members of the organisation's subtree that
    day, with the unit (a direct sub-organisation) they belonged to, so that coverage stays true after members move
    or the organisations are reorganised."""

    dissemination = models.ForeignKey(Dissemination, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("người thuộc diện quán triệt")
        verbose_name_plural = pgettext_lazy("plural", "người thuộc diện quán triệt")
        constraints = [models.UniqueConstraint(fields=["dissemination", "person"], name="dissemination_member_once")]

    def __str__(self) -> str:
        return str(self.person)


class StudySession(models.Model):
    """A session (hội nghị quán triệt) held by an organisation, with who attended."""

    dissemination = models.ForeignKey(Dissemination, on_delete=models.CASCADE, related_name="sessions")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("buổi quán triệt")
        verbose_name_plural = pgettext_lazy("plural", "buổi quán triệt")

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on:%d/%m/%Y}"


class Acknowledgement(models.Model):
    """A member has studied the document: at a session, or by acknowledging it themselves."""

    dissemination = models.ForeignKey(Dissemination, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(StudySession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xác nhận đã quán triệt")
        verbose_name_plural = pgettext_lazy("plural", "xác nhận đã quán triệt")
        constraints = [models.UniqueConstraint(fields=["dissemination", "person"], name="acknowledged_once")]

    def __str__(self) -> str:
        return str(self.person)
