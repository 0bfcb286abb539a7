"""Lists coming in and going out as files: an uploaded list (an import batch), its file and the result of each row.

A batch moves through explicit states (``ImportStatus``): it is checked (every row, nothing written), shown as a
preview, and — only if no row has an error and someone confirms — imported, all rows or none, in one transaction.
The rows' results are stored in chunks of ``CHUNK_ROWS`` rows so that a list of 200,000 members costs a few
hundred database rows, not 200,000.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CHUNK_ROWS = 1000


class ImportKind(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Tổ chức")
    PEOPLE = "people", _("Cán bộ, đảng viên")
    POSITIONS = "positions", _("Chức vụ")
    TASKS = "tasks", _("Nhiệm vụ")
    INDICATOR_VALUES = "indicator_values", _("Giá trị chỉ tiêu")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (.csv)")


class ImportStatus(models.TextChoices):
    QUEUED_CHECK = "queued_check", _("Đang chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    INVALID = "invalid", _("Có lỗi, chưa nhập")
    READY = "ready", _("Sẵn sàng nhập")
    QUEUED_IMPORT = "queued_import", _("Đang chờ nhập")
    IMPORTING = "importing", _("Đang nhập")
    DONE = "done", _("Đã nhập")
    FAILED = "failed", _("Không nhập được")
    CANCELLED = "cancelled", _("Đã hủy")


QUEUED = (ImportStatus.QUEUED_CHECK, ImportStatus.QUEUED_IMPORT)
RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class RowAction(models.TextChoices):
    CREATE = "create", _("Thêm mới")
    UPDATE = "update", _("Cập nhật")
    UNCHANGED = "unchanged", _("Không đổi")
    ERROR = "error", _("Có lỗi")


class ImportBatch(models.Model):
    """One uploaded list and what became of it."""

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ImportKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("nhập vào"),
        help_text=_("Mọi dòng của tệp phải thuộc tổ chức này hoặc các đơn vị trực thuộc."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED_CHECK
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=8, choices=FileFormat.choices)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    columns = models.JSONField(_("các cột"), default=list, blank=True, editable=False)
    message = models.TextField(_("thông báo"), blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_error = models.PositiveIntegerField(_("số dòng có lỗi"), default=0)
    rows_create = models.PositiveIntegerField(_("thêm mới"), default=0)
    rows_update = models.PositiveIntegerField(_("cập nhật"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận nhập"),
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu xử lý lúc"), null=True, blank=True)
    checked_at = models.DateTimeField(_("kiểm tra xong lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("nhập xong lúc"), null=True, blank=True)
    seconds_check = models.FloatField(_("thời gian kiểm tra (giây)"), null=True, blank=True)
    seconds_import = models.FloatField(_("thời gian nhập (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "các lần nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(rows_error=0),
                name="importbatch_done_without_errors",
                violation_error_message=_("Chỉ nhập được khi không còn dòng nào có lỗi."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="importbatch_status_idx"),
            models.Index(fields=["organization", "-created_at"], name="importbatch_org_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} – {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in QUEUED or self.status in RUNNING

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.READY and self.rows_error == 0 and self.rows_total > 0

    @property
    def can_cancel(self) -> bool:
        return self.status in (ImportStatus.READY, ImportStatus.QUEUED_CHECK, ImportStatus.INVALID)


class ImportFile(models.Model):
    """The uploaded file itself, kept in the database (one table on SQLite and PostgreSQL alike, so a worker on
    another machine reads it too), apart from the batch so that listing batches never loads it."""

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, related_name="upload", primary_key=True)
    content = models.BinaryField(_("nội dung"))

    class Meta:
        verbose_name = _("tệp tải lên")
        verbose_name_plural = pgettext_lazy("plural", "tệp tải lên")

    def __str__(self) -> str:
        return str(self.batch)


class ImportChunk(models.Model):
    """The checked rows ``first_number``… of a batch: for each, its line in the file, the values read, what the
    import will do (create, update, unchanged, error), the record it updates, errors, notes and changes."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    rows = models.JSONField(default=list)
    n_create = models.PositiveIntegerField(default=0)
    n_update = models.PositiveIntegerField(default=0)
    n_unchanged = models.PositiveIntegerField(default=0)
    n_error = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kết quả kiểm tra các dòng")
        verbose_name_plural = pgettext_lazy("plural", "kết quả kiểm tra các dòng")
        ordering = ["batch", "index"]
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="importchunk_unique_index")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.index}"
