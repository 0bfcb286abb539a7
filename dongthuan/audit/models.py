"""Append-only record of every write: who, when, which object, what changed (before → after)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    "create": _("Tạo mới"),
    "update": _("Cập nhật"),
    "activate": _("Đưa vào hoạt động"),
    "assign": _("Giao chức vụ"),
    "end": _("Kết thúc chức vụ"),
    "link_account": _("Gắn tài khoản"),
    "delete": _("Xóa"),
    "restructure": _("Sắp xếp tổ chức"),
    "revert": _("Hoàn tác"),
    "move": _("Chuyển trực thuộc"),
    "dissolve": _("Kết thúc hoạt động"),
    "transfer": _("Chuyển sinh hoạt"),
    "grant_access": _("Cấp quyền xem tài liệu mật"),
    # Meetings and votes
    "attendance": _("Điểm danh"),
    "item_add": _("Thêm nội dung hội nghị"),
    "opinion": _("Ghi ý kiến"),
    "poll_create": _("Tạo biểu quyết"),
    "candidate_add": _("Thêm vào danh sách bầu"),
    "poll_open": _("Mở biểu quyết"),
    "vote": _("Biểu quyết công khai"),
    "poll_count": _("Kết thúc bỏ phiếu kín, cộng phiếu"),
    "poll_close": _("Kết quả biểu quyết"),
    "poll_void": _("Hủy cuộc bỏ phiếu"),
    "seal_code": _("Nhận mã niêm phong"),
    "unseal": _("Mở niêm phong"),
    "tally": _("Nhập kết quả kiểm phiếu"),
    "meeting_close": _("Kết thúc hội nghị"),
    "minutes_generate": _("Lập biên bản"),
    "minutes_edit": _("Sửa biên bản"),
    "minutes_sign": _("Ký biên bản"),
    # Documents
    "version": _("Lưu phiên bản dự thảo"),
    "relation": _("Liên kết văn bản"),
    "issue": _("Ban hành văn bản"),
    "dissemination": _("Giao quán triệt"),
    "study_session": _("Ghi buổi học tập, quán triệt"),
    # Consultations
    "consultation_open": _("Mở đợt lấy ý kiến"),
    "consultation_close": _("Kết thúc đợt lấy ý kiến"),
    "consultation_synthesise": _("Tổng hợp, tiếp thu ý kiến"),
    "opinion_moderate": _("Kiểm duyệt ý kiến góp ý"),
    "opinion_answer": _("Tiếp thu, giải trình ý kiến"),
    # Action programs
    "program_create": _("Tạo chương trình hành động"),
    "objective_add": _("Thêm mục tiêu"),
    "indicator_add": _("Thêm chỉ tiêu"),
    "indicator_record": _("Ghi giá trị chỉ tiêu"),
    "task_create": _("Giao nhiệm vụ"),
    "task_update": _("Sửa nhiệm vụ"),
    "task_set_status": _("Đổi trạng thái nhiệm vụ"),
    "task_report_progress": _("Báo cáo tiến độ nhiệm vụ"),
    "task_move": _("Chuyển nhiệm vụ"),
    # Lists in and out
    "upload": _("Tải tệp lên để nhập"),
    "confirm": _("Xác nhận nhập danh sách"),
    "import": _("Nhập danh sách"),
    "cancel": _("Hủy nhập danh sách"),
    # Public portal
    "article_save": _("Lưu bài viết"),
    "article_review": _("Gửi duyệt bài viết"),
    "article_draft": _("Trả bài viết để sửa"),
    "article_published": _("Đăng bài viết"),
    "article_withdrawn": _("Gỡ bài viết"),
    "article_image_add": _("Thêm ảnh vào bài viết"),
    "article_image_remove": _("Bỏ ảnh khỏi bài viết"),
    "comment_moderate": _("Kiểm duyệt ý kiến bạn đọc"),
    "comment_answer": _("Trả lời ý kiến bạn đọc"),
    "disclosure_post": _("Đăng công khai"),
    "petition_start": _("Bắt đầu giải quyết phản ánh"),
    "petition_reassign": _("Chuyển phản ánh"),
    "petition_answer": _("Trả lời phản ánh"),
    # Accounts
    "unlock": _("Mở khóa đăng nhập"),
    "sign_out": _("Đăng xuất phiên"),
    "second_factor_on": _("Bật xác thực hai bước"),
    "second_factor_off": _("Tắt xác thực hai bước"),
    "recovery_codes_renew": _("Tạo mã dự phòng mới"),
    "passkey_add": _("Thêm khóa truy cập"),
    "passkey_remove": _("Xóa khóa truy cập"),
}


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("Audit records are append-only")

    def delete(self):  # type: ignore[override]
        raise PermissionError("Audit records are append-only")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One write. Rows are never changed: the model refuses updates and deletes, and so does the database
    (a trigger created by migration 0002 rejects UPDATE on every backend and DELETE on PostgreSQL). Rows form a
    hash chain in the order of their ids (``audit/chain.py``): each carries the hash of the row before it and its
    own hash over its fields and that one, so a row deleted, changed or slipped in by someone who could write to
    the database is found by ``manage.py audit_verify``."""

    # Set by audit_record when the chain's lock is held (and part of the row's hash), hence no auto_now_add.
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("thao tác"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("loại đối tượng"))
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    prev_hash = models.CharField(_("mã băm bản ghi trước"), max_length=64, default="", blank=True, editable=False)
    row_hash = models.CharField(_("mã băm"), max_length=64, default="", blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit records are append-only")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
