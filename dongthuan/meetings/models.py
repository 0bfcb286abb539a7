"""Meetings of a body, their attendance and agenda, the opinions given, and votes — open or secret.

Secret ballots (``Ballot``) hold the poll and a ciphertext, nothing else: no voter, no time, random ids, and a
choice that nobody can read — it is encrypted under the poll's public key (``sealing``), whose private key exists
only as shares sealed to the tellers (``SealShare``). Who has voted is a separate set (``VoterMark``); a vote inserts
one row in each in the same transaction, and the uniqueness of (poll, voter) refuses a second vote atomically. Even
a reader of the whole database who pairs the two rows (by their order, or by PostgreSQL's ``xmin``) holds a voter
and a ciphertext, never a choice: the count is the decryption of the sum of the ballots, and the ballots are deleted
once it is made.
"""

from __future__ import annotations

import uuid
from typing import Literal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Thường kỳ")
    EXTRAORDINARY = "extraordinary", _("Bất thường")
    CONGRESS = "congress", _("Đại hội")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Đã triệu tập")
    OPEN = "open", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")


class Meeting(models.Model):
    body = models.ForeignKey(
        "organizations.Body", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cơ quan")
    )
    title = models.CharField(_("tên hội nghị"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    starts_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    chair = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("chủ trì")
    )
    clerk = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("thư ký hội nghị"),
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=MeetingStatus.choices, default="planned")
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = pgettext_lazy("plural", "hội nghị")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])


class AttendanceRole(models.TextChoices):
    MEMBER = "member", _("Thành viên")
    GUEST = "guest", _("Khách mời")


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng")
    LEFT = "left", _("Đã rời hội nghị")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người"))
    role = models.CharField(_("tư cách"), max_length=8, choices=AttendanceRole.choices)
    status = models.CharField(
        _("điểm danh"), max_length=8, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = pgettext_lazy("plural", "điểm danh")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class ItemKind(models.TextChoices):
    TOPIC = "topic", _("Nội dung thảo luận")
    DOCUMENT = "document", _("Văn bản cần quyết định")
    PERSONNEL = "personnel", _("Công tác cán bộ")
    ELECTION = "election", _("Bầu cử")
    NOMINATION = "nomination", _("Giới thiệu nhân sự")
    CONFIDENCE = "confidence", _("Lấy phiếu tín nhiệm")


class AgendaItem(models.Model):
    """A point of a meeting's agenda. An item on a draft to decide (``document``) has no title of its own unless the
    office gave one: the draft names it when it is shown, as each reader may see it (``agenda``) — a classified
    draft's title reaches only those named on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("thứ tự"))
    # NULL for an item named by its draft (the constraint below: a title, or a draft).
    title = models.CharField(_("nội dung"), max_length=255, null=True, blank=True)  # noqa: DJ001
    kind = models.CharField(_("loại"), max_length=16, choices=ItemKind.choices, default=ItemKind.TOPIC)
    description = models.TextField(_("mô tả"), blank=True)
    # A draft to decide (kind "document"): the meeting's vote on it is shown on the document's page.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("dự thảo văn bản"),
    )

    class Meta:
        verbose_name = _("nội dung hội nghị")
        verbose_name_plural = pgettext_lazy("plural", "nội dung hội nghị")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number"),
            models.CheckConstraint(
                condition=Q(document__isnull=False) | (Q(title__isnull=False) & ~Q(title="")),
                name="agenda_item_title_or_document",
                violation_error_message=_("Hãy ghi nội dung hoặc chọn dự thảo văn bản."),
            ),
        ]

    def __str__(self) -> str:
        """As anyone may read it (the admin, the history): never a classified draft's title."""
        from dongthuan.meetings.agenda import public_title

        return f"{self.number}. {public_title(self)}"


class Opinion(models.Model):
    """An opinion stated on an item (R-DEC-2); a reserved opinion is kept and can be reported upward."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="opinions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người"))
    text = models.TextField(_("ý kiến"))
    reserved = models.BooleanField(_("bảo lưu ý kiến"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến")
        ordering = ["item", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:40]}"


class PollKind(models.TextChoices):
    OPEN = "open", _("Biểu quyết công khai")
    SECRET = "secret", _("Bỏ phiếu kín")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa mở")
    OPEN = "open", _("Đang biểu quyết")
    COUNTING = "counting", _("Đang kiểm phiếu")
    CLOSED = "closed", _("Đã kết thúc")
    VOID = "void", _("Đã hủy, không có kết quả")


class Choice(models.TextChoices):
    APPROVE = "approve", _("Tán thành")
    REJECT = "reject", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class PollMethod(models.TextChoices):
    CHOICE = "choice", _("Tán thành / không tán thành")
    CANDIDATES = "candidates", _("Bầu trong danh sách")
    NOMINATION = "nomination", _("Giới thiệu nhân sự (mỗi phiếu một người)")
    CONFIDENCE = "confidence", _("Lấy phiếu tín nhiệm")


class Elects(models.TextChoices):
    """What an election by list fills (R-ELE-1: the surplus binds a committee and its standing committee)."""

    COMMITTEE = "committee", _("Ban Chấp hành (cấp ủy)")
    STANDING_COMMITTEE = "standing_committee", _("Ban Thường vụ")
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    INSPECTION_COMMITTEE = "inspection_committee", _("Ủy ban Kiểm tra")
    INSPECTION_CHAIR = "inspection_chair", _("Chủ nhiệm Ủy ban Kiểm tra")


# Methods whose ballots name people on the poll's list (``Candidate``): always secret (R-DEC-5).
LIST_METHODS = (PollMethod.CANDIDATES, PollMethod.NOMINATION, PollMethod.CONFIDENCE)

# The totals of a paper poll's count, beside its choices, votes or levels.
TALLY_TOTALS: tuple[Literal["issued", "received", "invalid"], ...] = ("issued", "received", "invalid")


class Confidence(models.TextChoices):
    HIGH = "high", _("Tín nhiệm cao")
    MEDIUM = "medium", _("Tín nhiệm")
    LOW = "low", _("Tín nhiệm thấp")


class Poll(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("nội dung biểu quyết"), max_length=500)
    kind = models.CharField(_("hình thức"), max_length=8, choices=PollKind.choices)
    method = models.CharField(_("cách bầu"), max_length=12, choices=PollMethod.choices, default=PollMethod.CHOICE)
    seats = models.PositiveSmallIntegerField(_("số lượng cần bầu"), null=True, blank=True)
    runoff = models.JSONField(_("bầu lại giữa"), default=list, blank=True, editable=False)
    # R-ELE-3: a round held between candidates tied for the last seat(s) of ``previous``.
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("vòng trước"),
    )
    # Paper ballots: printed, counted by two tellers whose entries must agree (``PaperTally``).
    paper = models.BooleanField(_("bỏ phiếu giấy"), default=False)
    tellers = models.ManyToManyField("people.Person", blank=True, related_name="+", verbose_name=_("ban kiểm phiếu"))
    # R-ELE-4: an election of a cell secretary; after the third round with nobody elected the higher level appoints.
    cell_secretary = models.BooleanField(_("bầu bí thư chi bộ"), default=False)
    elects = models.CharField(_("bầu vào"), max_length=24, choices=Elects.choices, default=Elects.COMMITTEE)
    status = models.CharField(_("trạng thái"), max_length=8, choices=PollStatus.choices, default=PollStatus.DRAFT)
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # R-DEC-3: the serving members when the poll opened; the outcome is counted against their number.
    serving = models.PositiveIntegerField(_("số thành viên đương nhiệm"), null=True, blank=True)
    approve = models.PositiveIntegerField(_("tán thành"), null=True, blank=True)
    reject = models.PositiveIntegerField(_("không tán thành"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    passed = models.BooleanField(_("thông qua"), null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc biểu quyết")
        verbose_name_plural = pgettext_lazy("plural", "cuộc biểu quyết")
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed") | Q(approve__isnull=True),
                name="poll_result_only_when_closed",
            )
        ]

    def __str__(self) -> str:
        return self.question


class Candidate(models.Model):
    """A person on an election's list (R-ELE-1), with the count once the poll is closed (R-ELE-3)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người"))
    write_in = models.BooleanField(_("do hội nghị đề cử thêm"), default=False)
    agree = models.PositiveIntegerField(_("số đại biểu đồng ý đưa vào danh sách"), null=True, blank=True)  # R-ELE-2
    votes = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    elected = models.BooleanField(_("trúng cử"), null=True, blank=True)  # in a nomination: nominated
    high = models.PositiveIntegerField(_("tín nhiệm cao"), null=True, blank=True)
    medium = models.PositiveIntegerField(_("tín nhiệm"), null=True, blank=True)
    low = models.PositiveIntegerField(_("tín nhiệm thấp"), null=True, blank=True)

    class Meta:
        verbose_name = _("ứng cử viên")
        verbose_name_plural = pgettext_lazy("plural", "ứng cử viên")
        ordering = ["poll", "person__sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["poll", "person"], name="candidate_once")]

    def __str__(self) -> str:
        return str(self.person)


class OpenVote(models.Model):
    """A member's choice in an open vote, recorded with the member."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="open_votes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("lựa chọn"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu biểu quyết công khai")
        verbose_name_plural = pgettext_lazy("plural", "phiếu biểu quyết công khai")
        constraints = [models.UniqueConstraint(fields=["poll", "person"], name="open_vote_once")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class Ballot(models.Model):
    """A secret ballot: the poll and the ciphertext of its choice (``sealing.encrypt``), nothing else. The id is
    random and reveals no order. Deleted once the poll is counted; its receipt (the ciphertext's hash) stays on the
    seal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    ciphertext = models.BinaryField(_("phiếu đã mã hóa"))

    class Meta:
        verbose_name = _("phiếu kín")
        verbose_name_plural = pgettext_lazy("plural", "phiếu kín")

    def __str__(self) -> str:
        return str(self.id)


class SealMode(models.TextChoices):
    TELLERS = "tellers", _("Ban kiểm phiếu giữ niêm phong")
    SERVER = "server", _("Niêm phong bằng khóa của máy chủ")


class PollSeal(models.Model):
    """The seal of a secret electronic poll: its public key, how its private key was split (``threshold`` of the
    shares rebuild it), the slots a ballot has, and — once voting ends — the sum of the ballots, the receipts of
    every ballot counted and their digest. The private key is never stored."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="seal")
    mode = models.CharField(_("cách niêm phong"), max_length=8, choices=SealMode.choices)
    public_key = models.BinaryField(_("khóa công khai"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("số người cần để mở niêm phong"), default=1)
    slots = models.JSONField(_("các ô của phiếu"), default=list)
    # How the slots are packed into ciphertexts (sealing.Packing): ``slots_per_cipher`` slots of ``slot_bits`` bits.
    slot_bits = models.PositiveSmallIntegerField(_("số bit của một ô"), default=0)
    slots_per_cipher = models.PositiveSmallIntegerField(_("số ô trong một bản mã"), default=1)
    total = models.BinaryField(_("tổng các phiếu (đã mã hóa)"), null=True, blank=True)
    ballots = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    receipts = models.JSONField(_("biên nhận các phiếu"), default=list, blank=True)
    digest = models.CharField(_("mã kiểm tra hòm phiếu"), max_length=64, blank=True)
    counts = models.JSONField(_("kết quả giải mã"), default=list, blank=True)
    # Keyed hashes under the server's seal key (not in the database): a database writer cannot swap the public key,
    # the shares' public parts or the sum of the ballots without it being noticed.
    mac = models.CharField(max_length=64, blank=True)
    shares_mac = models.CharField(max_length=64, blank=True)
    count_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("niêm phong phiếu kín")
        verbose_name_plural = pgettext_lazy("plural", "niêm phong phiếu kín")

    def __str__(self) -> str:
        return str(self.poll)


class SealShare(models.Model):
    """One share of a poll's private key: sealed to a teller's code (``teller``) or, without tellers, to the
    server's seal key (``teller`` empty). ``verification`` is the share's public part; ``partial`` and ``proof`` are
    the teller's decryption of the sum of the ballots, checkable by anyone against ``verification``."""

    seal = models.ForeignKey(PollSeal, on_delete=models.CASCADE, related_name="shares")
    index = models.PositiveSmallIntegerField(_("thứ tự"))
    teller = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người kiểm")
    )
    recipient = models.BinaryField(_("khóa nhận của người kiểm"), null=True, blank=True)
    recipient_mac = models.CharField(max_length=64, blank=True)  # the recipient as the server received it
    box = models.BinaryField(_("phần khóa đã niêm phong"), null=True, blank=True)
    verification = models.BinaryField(_("phần công khai"), null=True, blank=True)
    partial = models.BinaryField(_("phần giải mã"), null=True, blank=True)
    proof = models.BinaryField(_("bằng chứng"), null=True, blank=True)
    unsealed_at = models.DateTimeField(_("mở niêm phong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phần niêm phong")
        verbose_name_plural = pgettext_lazy("plural", "phần niêm phong")
        constraints = [
            models.UniqueConstraint(fields=["seal", "index"], name="seal_share_index"),
            models.UniqueConstraint(fields=["seal", "teller"], name="seal_share_teller"),
        ]

    def __str__(self) -> str:
        return f"{self.seal} – {self.index}"


class VoterMark(models.Model):
    """That a member has voted in a secret poll (and not how). Unique per poll and member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voter_marks")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đánh dấu đã bỏ phiếu")
        verbose_name_plural = pgettext_lazy("plural", "đánh dấu đã bỏ phiếu")
        constraints = [models.UniqueConstraint(fields=["poll", "person"], name="voter_mark_once")]

    def __str__(self) -> str:
        return str(self.person)


class PaperTally(models.Model):
    """One teller's count of a paper poll. Two tellers count apart; the poll closes only when their entries agree."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    teller = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người kiểm")
    )
    counts = models.JSONField(_("số liệu kiểm phiếu"), default=dict)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biên bản kiểm phiếu")
        verbose_name_plural = pgettext_lazy("plural", "biên bản kiểm phiếu")
        constraints = [models.UniqueConstraint(fields=["poll", "teller"], name="paper_tally_once")]

    def __str__(self) -> str:
        return f"{self.poll} – {self.teller}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký, khóa")


class Minutes(models.Model):
    """The minutes (biên bản) of a meeting: generated from the record in sections, edited in draft, then signed
    and frozen. ``version`` guards against two people saving over each other."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("trạng thái"), max_length=8, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    sections = models.JSONField(_("nội dung"), default=list)  # [{"key", "heading", "text"}]
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("biên bản")
        verbose_name_plural = pgettext_lazy("plural", "biên bản")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_at__isnull=False), name="minutes_signed_has_time"
            )
        ]

    def __str__(self) -> str:
        return str(self.meeting)
