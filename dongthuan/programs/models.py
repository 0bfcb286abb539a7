"""Action programs: a program (chương trình hành động) carries out a resolution or an upper level's task; it holds
objectives grouped by field (KT-XH, QP-AN, party building — data), indicators with targets and the values reported
over time, and tasks, each led by one organisation with exactly one answerable person (cá nhân phụ trách). A task
assigned to a lower organisation is carried out by that organisation's own program, whose tasks are its children:
progress rolls up from the leaves, weighted, one ancestor at a time (``services._roll_up``), and each organisation's
counts are kept in ``Tally`` so that a dashboard never reads the tasks themselves."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Field(models.Model):
    """A field of work objectives are grouped by (KT-XH, QP-AN, …). Data, not code."""

    name = models.CharField(_("tên lĩnh vực"), max_length=100, unique=True)
    abbreviation = models.CharField(_("viết tắt"), max_length=20)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ReportEvery(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    HALF = "half", _("Sáu tháng")
    YEAR = "year", _("Hằng năm")


class Program(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="programs", verbose_name=_("cấp ủy")
    )
    title = models.CharField(_("tên chương trình"), max_length=500)
    implements = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("thực hiện văn bản"),
    )
    carries = models.ForeignKey(
        "programs.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("thực hiện nhiệm vụ cấp trên"),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    report_every = models.CharField(
        _("kỳ báo cáo"), max_length=8, choices=ReportEvery.choices, default=ReportEvery.QUARTER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chương trình hành động")
        verbose_name_plural = pgettext_lazy("plural", "chương trình hành động")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="program_dates_in_order")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.pk])


class Objective(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+", verbose_name=_("lĩnh vực"))
    title = models.CharField(_("mục tiêu"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = pgettext_lazy("plural", "mục tiêu")
        ordering = ["program", "field__order", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Computation(models.TextChoices):
    LATEST = "latest", _("Giá trị mới nhất")
    SUM = "sum", _("Cộng dồn các kỳ")


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("chỉ tiêu"), max_length=300)
    unit = models.CharField(_("đơn vị tính"), max_length=30)
    baseline = models.DecimalField(_("giá trị ban đầu"), max_digits=16, decimal_places=2)
    target = models.DecimalField(_("chỉ tiêu đề ra"), max_digits=16, decimal_places=2)
    deadline = models.DateField(_("thời hạn"))
    direction = models.CharField(_("chiều"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    computation = models.CharField(
        _("cách tính"), max_length=8, choices=Computation.choices, default=Computation.LATEST
    )
    current = models.DecimalField(_("đạt được"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu")
        ordering = ["objective", "id"]
        constraints = [models.CheckConstraint(condition=~Q(target=models.F("baseline")), name="indicator_has_a_way")]

    def __str__(self) -> str:
        return self.name

    @property
    def progress(self) -> Decimal:
        """How far from the baseline to the target, in percent (0 to 100)."""
        if self.current is None or self.target == self.baseline:
            return Decimal(0)
        share = (self.current - self.baseline) / (self.target - self.baseline) * 100
        return max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1"))


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField(_("kỳ (ngày cuối)"))
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "giá trị chỉ tiêu")
        ordering = ["indicator", "on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "on"], name="one_value_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.on:%d/%m/%Y})"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ chậm")
    LATE = "late", _("Chậm tiến độ")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Hủy bỏ")


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class Task(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tasks")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("mục tiêu")
    )
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("thuộc")
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("đơn vị chủ trì")
    )
    coordinators = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="coordinated_tasks", verbose_name=_("đơn vị phối hợp")
    )
    # Exactly one answerable person (cá nhân phụ trách): one column, never empty.
    responsible = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("cá nhân phụ trách")
    )
    starts_on = models.DateField(_("bắt đầu"))
    due_on = models.DateField(_("hạn hoàn thành"))
    deliverable = models.CharField(_("sản phẩm"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    weight = models.PositiveSmallIntegerField(_("trọng số"), default=1, validators=[MinValueValidator(1)])
    # Progress in percent: reported for a task without children; for one with children, their weighted average,
    # kept from the sums below as a child changes (never recomputed from all of them).
    progress = models.DecimalField(_("tiến độ (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT)
    children_weight = models.PositiveIntegerField(default=0, editable=False)
    children_sum = models.DecimalField(max_digits=14, decimal_places=2, default=0, editable=False)
    reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)  # the due date was last reminded of
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="task_due_after_start"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_percent"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="task_weight_positive"),
        ]
        indexes = [
            models.Index(fields=["organization", "due_on"], name="task_org_due"),
            models.Index(fields=["program", "parent", "id"], name="task_program_tree"),
            models.Index(fields=["due_on"], condition=~Q(status__in=["done", "cancelled"]), name="task_open_due"),
            models.Index(fields=["due_on", "id"], condition=Q(status="late"), name="task_late_due"),
            models.Index(fields=["organization", "due_on"], condition=Q(status="late"), name="task_late_org_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:task", args=[self.pk])

    @property
    def is_leaf(self) -> bool:
        return self.children_weight == 0


class StatusChange(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=TaskStatus.choices)
    to_status = models.CharField(max_length=12, choices=TaskStatus.choices)
    reason = models.CharField(_("lý do"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thay đổi trạng thái")
        verbose_name_plural = pgettext_lazy("plural", "thay đổi trạng thái")
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task}: {self.from_status} → {self.to_status}"


class ProgressReport(models.Model):
    """A periodic report (báo cáo định kỳ) on a task: the progress reached and what was done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField(_("kỳ báo cáo (ngày cuối)"))
    progress = models.DecimalField(_("tiến độ (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    narrative = models.TextField(_("kết quả thực hiện"), max_length=5000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo định kỳ")
        ordering = ["task", "-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_end"], name="one_report_per_period"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="report_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.progress}% ({self.period_end:%d/%m/%Y})"

    @property
    def period_label(self) -> str:
        """ "Quý III/2026" (the task's program must be loaded)."""
        from dongthuan.programs.periods import label

        return label(self.task.program.report_every, self.period_end)


class Evidence(models.Model):
    """A file attached to a periodic report as evidence (minutes, photos, a table), kept in the database like
    uploaded lists, so that every machine of the site reads it and a backup holds it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=8)  # pdf, docx, xlsx, jpg, png (from the content)
    size = models.PositiveIntegerField(_("dung lượng"))
    content = models.BinaryField(_("nội dung"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu minh chứng")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class Tally(models.Model):
    """The tasks an organisation leads in a field, counted by status, with the weight and weighted progress of
    those without children: kept by every write on a task, summed over a subtree by the dashboards (one row per
    organisation and field, so a province's dashboard adds up a few thousand rows, never its tasks)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, null=True, related_name="+")
    not_started = models.IntegerField(default=0)
    on_track = models.IntegerField(default=0)
    at_risk = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    leaf_weight = models.IntegerField(default=0)
    leaf_sum = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "field"], name="one_tally_per_field"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(field__isnull=True), name="one_tally_no_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.field_id}"

    @property
    def tasks(self) -> int:
        return sum(getattr(self, s) for s in TaskStatus.values)
