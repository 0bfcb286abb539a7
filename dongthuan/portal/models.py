"""The public portal: articles written by an organisation's communication staff (draft → review → published), the
comments citizens leave under an article or an issued document ("Ý kiến của bạn", confirmed by email, moderated,
answered officially), the disclosure board of a commune (R-PUB-1, R-PUB-2), and petitions (phản ánh, kiến nghị)
routed by commune and topic to the organisation that answers them, each followed with a tracking code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- articles ------------------------------------------------------------------------------------------------------


class Section(models.Model):
    """A section of the portal ("Xây dựng Đảng", "Tin tức - Sự kiện"…). Data, not code."""

    name = models.CharField(_("tên chuyên mục"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    description = models.CharField(_("giới thiệu"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = pgettext_lazy("plural", "chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:section", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("từ khóa"), max_length=60, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("từ khóa")
        verbose_name_plural = pgettext_lazy("plural", "từ khóa")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:tag", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã đăng")
    WITHDRAWN = "withdrawn", _("Đã gỡ")


class Article(models.Model):
    """A news article of an organisation. Its body is HTML kept sanitised (``portal.html``); its pictures are
    ``ArticleImage`` rows shown after the paragraph they name."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="articles", verbose_name=_("cơ quan đăng")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("chuyên mục")
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=120, allow_unicode=False)
    lead = models.TextField(_("sa-pô"), max_length=1000, help_text=_("Đoạn mở đầu, in đậm dưới tiêu đề."))
    body = models.TextField(_("nội dung"))
    author = models.CharField(_("tác giả"), max_length=150, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("từ khóa"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ArticleStatus.choices, default="draft")
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    review_note = models.CharField(_("ý kiến biên tập"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = pgettext_lazy("plural", "bài viết")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_public"),
            models.Index(fields=["section", "status", "-published_at", "-id"], name="article_section"),
            models.Index(fields=["organization", "status"], name="article_desk"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="article_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.pk, self.slug or "bai-viet"])


class ArticleImage(models.Model):
    """A picture of an article with its caption, shown after paragraph ``after_paragraph`` (0: before the body).
    Kept re-encoded in the database, like every uploaded file."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    content = models.BinaryField(_("ảnh"))
    kind = models.CharField(_("loại tệp"), max_length=4)  # jpg or png
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    after_paragraph = models.PositiveSmallIntegerField(_("sau đoạn thứ"), default=1)

    class Meta:
        verbose_name = _("ảnh minh họa")
        verbose_name_plural = pgettext_lazy("plural", "ảnh minh họa")
        ordering = ["article", "after_paragraph", "id"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("portal:image", args=[self.pk, self.kind])


# --- comments ------------------------------------------------------------------------------------------------------


class CommentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Chưa xác nhận email")
    PENDING = "pending", _("Chờ kiểm duyệt")
    PUBLISHED = "published", _("Đã đăng")
    REJECTED = "rejected", _("Không đăng")


class Comment(models.Model):
    """ "Ý kiến của bạn" under an article or an issued document: a name, an email that is never shown, and the text.
    It waits for its email to be confirmed, then for a moderator, who publishes it, refuses it with a reason, or
    answers it officially in the organisation's name (the answer is shown under it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, null=True, blank=True, related_name="portal_comments"
    )
    name = models.CharField(_("họ và tên"), max_length=120)
    email = models.EmailField(_("email"))
    text = models.TextField(_("ý kiến"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=CommentStatus.choices, default="unconfirmed")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("lý do không đăng"), max_length=500, blank=True)
    answer = models.TextField(_("trả lời chính thức"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ý kiến bạn đọc")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến bạn đọc")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article"),
            models.Index(fields=["document", "status", "created_at"], name="comment_document"),
            models.Index(fields=["status", "created_at"], name="comment_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True, document__isnull=False)
                | Q(article__isnull=False, document__isnull=True),
                name="comment_on_one_thing",
            ),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reason=""), name="comment_rejected_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"

    @property
    def target(self) -> Any:
        """The article or the document the comment is under."""
        return self.article if self.article_id else self.document


# --- disclosure board ----------------------------------------------------------------------------------------------


class Disclosure(models.Model):
    """An item of a commune's disclosure board: something the commune must make public (R-PUB-1, ``category``
    from ``rules.publicity.DISCLOSED``), or a matter its residents decided (R-PUB-2, from ``RESIDENTS_DECIDE``),
    with the result of their vote."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("xã, phường")
    )
    category = models.CharField(_("nội dung"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    posted_on = models.DateField(_("ngày công khai"))
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản kèm theo"),
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_kind = models.CharField(max_length=8, blank=True)
    file_content = models.BinaryField(_("tệp"), null=True, blank=True)
    # R-PUB-2: the residents' decision.
    voters = models.PositiveIntegerField(_("số hộ (cử tri) tham gia"), null=True, blank=True)
    agreed = models.PositiveIntegerField(_("số đồng ý"), null=True, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nội dung công khai")
        verbose_name_plural = pgettext_lazy("plural", "nội dung công khai")
        ordering = ["-posted_on", "-id"]
        indexes = [models.Index(fields=["organization", "year", "category"], name="disclosure_board")]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed__isnull=True) | Q(voters__isnull=False, agreed__lte=models.F("voters")),
                name="disclosure_agreed_within_voters",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- petitions -----------------------------------------------------------------------------------------------------


class Topic(models.Model):
    """A topic of petitions (land, environment, social policy…) with the days the organisation has to answer. Data."""

    name = models.CharField(_("lĩnh vực"), max_length=120, unique=True)
    handling_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày)"), default=15)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang nhận"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """Where a petition goes: for a commune and a topic (either may be empty: any), the organisation that answers.
    The most specific rule wins: commune and topic, then commune, then topic; with none, the commune itself."""

    commune = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="routes", verbose_name=_("lĩnh vực")
    )
    handler = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan giải quyết")
    )

    class Meta:
        verbose_name = _("quy tắc chuyển phản ánh")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc chuyển phản ánh")
        constraints = [
            models.UniqueConstraint(fields=["commune", "topic"], name="route_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commune or '*'} / {self.topic or '*'} → {self.handler}"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    ANSWERED = "answered", _("Đã trả lời")
    DECLINED = "declined", _("Không thụ lý")


OPEN_PETITION = (PetitionStatus.RECEIVED, PetitionStatus.PROCESSING)


class Petition(models.Model):
    """A citizen's petition, followed by its ``code`` without an account. Its contact details are seen only by the
    organisation handling it."""

    code = models.CharField(_("mã theo dõi"), max_length=16, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("lĩnh vực"))
    commune = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    handler = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("cơ quan giải quyết"),
    )
    title = models.CharField(_("tóm tắt"), max_length=200)
    text = models.TextField(_("nội dung"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    name = models.CharField(_("họ và tên"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PetitionStatus.choices, default="received")
    received_at = models.DateTimeField(_("ngày tiếp nhận"), default=timezone.now)
    due_on = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overdue_flagged_on = models.DateField(null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["handler", "status", "due_on"], name="petition_desk"),
            models.Index(fields=["status", "due_on"], name="petition_overdue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "processing"]) | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="petition_closed_has_answer",
            ),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="petition_has_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("portal:desk_petition", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PETITION


class PetitionFile(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=8)
    size = models.PositiveIntegerField(_("dung lượng"))
    content = models.BinaryField(_("nội dung"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = pgettext_lazy("plural", "tệp đính kèm")
        ordering = ["petition", "id"]

    def __str__(self) -> str:
        return self.name


class PetitionEventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    PROCESSING = "processing", _("Bắt đầu giải quyết")
    REASSIGNED = "reassigned", _("Chuyển cơ quan giải quyết")
    NOTE = "note", _("Ghi chú nội bộ")
    ANSWERED = "answered", _("Trả lời")
    DECLINED = "declined", _("Không thụ lý")
    OVERDUE = "overdue", _("Quá hạn, đã báo người đứng đầu")


class PetitionEvent(models.Model):
    """One step of a petition's history. Internal notes and who did what are for the handling organisation; the
    public tracking page shows the kind and day of the other steps only."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=PetitionEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    to_handler = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("diễn biến xử lý")
        verbose_name_plural = pgettext_lazy("plural", "diễn biến xử lý")
        ordering = ["petition", "at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"


class PortalState(models.Model):
    """One row: a number raised by every change the public pages show, so that cached pages are dropped at once
    by every process (``portal.cache``)."""

    generation = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("trạng thái cổng thông tin")
        verbose_name_plural = pgettext_lazy("plural", "trạng thái cổng thông tin")

    def __str__(self) -> str:
        return str(self.generation)
