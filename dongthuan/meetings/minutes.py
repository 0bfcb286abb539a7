"""The minutes (biên bản) of a meeting: their text drafted from the record, and the official document they print as.

The text is an official record and is written in Vietnamese whatever the language of the person who drafts it.
Sections: opening, attendance, one per agenda item (opinions with reserved ones marked — R-DEC-2 —, votes and
outcomes counted as R-DEC-1, R-ELE-3, R-ELE-5 say), closing. A nomination's tally is not announced at the
conference (R-ELE-5), so its counts stay out of the minutes: only who was nominated or goes on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dongthuan.meetings.agenda import minutes_sections, stored_title
from dongthuan.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    Meeting,
    Minutes,
    PaperTally,
    Poll,
    PollKind,
    PollMethod,
    PollStatus,
)
from dongthuan.rules import decisions
from dongthuan.rules.documents import place_date
from dongthuan.writer.official import Heading, OfficialDocument, Paragraph, Signature, locality

KIND_TEXT = {"regular": "thường kỳ", "extraordinary": "bất thường", "congress": "đại hội"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def percent(part: int, whole: int) -> str:
    """ "63,64%" — two decimals, Vietnamese decimal comma."""
    if not whole:
        return "0%"
    return f"{100 * part / whole:.2f}".replace(".", ",") + "%"


def _clock(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.hour:02d} giờ {local.minute:02d}"


def _names(rows: list[Attendance], with_reason: bool = False) -> str:
    parts = []
    for a in rows:
        parts.append(f"{a.person.full_name} ({a.reason})" if with_reason and a.reason else a.person.full_name)
    return ", ".join(parts)


def _attendance_text(meeting: Meeting, rows: list[Attendance]) -> str:
    members = [a for a in rows if a.role == AttendanceRole.MEMBER]
    guests = [a for a in rows if a.role == AttendanceRole.GUEST and a.status == AttendanceStatus.PRESENT]
    by = {s: [a for a in members if a.status == s] for s in AttendanceStatus.values}
    lines = []
    if meeting.chair:
        lines.append(f"Chủ trì hội nghị: đồng chí {meeting.chair.full_name}.")
    if meeting.clerk:
        lines.append(f"Thư ký hội nghị: đồng chí {meeting.clerk.full_name}.")
    lines.append(f"Tổng số thành viên được triệu tập: {len(members)} đồng chí; có mặt: {len(by['present'])} đồng chí.")
    if by["excused"]:
        lines.append(f"Vắng có lý do: {len(by['excused'])} đồng chí ({_names(by['excused'], True)}).")
    if by["absent"] or by["invited"]:
        absent = by["absent"] + by["invited"]
        lines.append(f"Vắng không có lý do: {len(absent)} đồng chí ({_names(absent)}).")
    if by["left"]:
        lines.append(f"Rời hội nghị trước khi kết thúc: {len(by['left'])} đồng chí ({_names(by['left'], True)}).")
    if guests:
        lines.append(f"Khách mời dự: {_names(guests)}.")
    return "\n".join(lines)


def _paper_line(poll: Poll) -> str:
    tally = PaperTally.objects.filter(poll=poll).order_by("entered_at", "id").first()
    if tally is None:
        return ""
    c = tally.counts
    valid = c["received"] - c["invalid"]
    return f"Số phiếu phát ra: {c['issued']}; thu vào: {c['received']}; hợp lệ: {valid}; không hợp lệ: {c['invalid']}."


def poll_text(poll: Poll) -> str:
    """A poll and its outcome as the minutes state it."""
    how = "bỏ phiếu kín" if poll.kind == PollKind.SECRET else "biểu quyết công khai"
    if poll.paper:
        how += " bằng phiếu giấy"
    lines = [f"Hội nghị {how}: {poll.question}."]
    if poll.status != PollStatus.CLOSED:
        lines.append("Chưa có kết quả (cuộc bỏ phiếu chưa kết thúc).")
        return "\n".join(lines)
    summoned = poll.serving or 0
    if poll.paper:
        lines.append(_paper_line(poll))
    candidates = list(poll.candidates.all())
    if poll.method == PollMethod.CHOICE:
        approve, reject, abstain = poll.approve or 0, poll.reject or 0, poll.abstain or 0
        lines.append(
            f"Kết quả: tán thành {approve}/{summoned} đồng chí ({percent(approve, summoned)}); "
            f"không tán thành {reject}; không biểu quyết {abstain}."
        )
        needed = decisions.approvals_needed(summoned)
        verdict = "được thông qua" if poll.passed else "không được thông qua"
        lines.append(f"Nội dung {verdict} (cần ít nhất {needed}/{summoned} tán thành).")
    elif poll.method == PollMethod.CANDIDATES:
        lines.append(f"Số lượng cần bầu: {poll.seats}. Kết quả:")
        for c in sorted(candidates, key=lambda c: -(c.votes or 0)):
            mark = " – trúng cử" if c.elected else ""
            lines.append(
                f"- {c.person.full_name}: {c.votes}/{summoned} phiếu ({percent(c.votes or 0, summoned)}){mark}."
            )
        if poll.runoff:
            tied = ", ".join(c.person.full_name for c in candidates if c.pk in poll.runoff)
            lines.append(f"Các đồng chí {tied} bằng phiếu nhau; bầu lại giữa các đồng chí này.")
    elif poll.method == PollMethod.NOMINATION:  # R-ELE-5: the tally is not announced
        nominated = [c.person.full_name for c in candidates if c.elected]
        if nominated:
            lines.append(f"Kết quả: đồng chí {nominated[0]} được giới thiệu (trên 50% số phiếu).")
        else:
            going = ", ".join(c.person.full_name for c in candidates if c.pk in poll.runoff)
            lines.append(f"Không ai đạt trên 50% số phiếu; các đồng chí {going} được giới thiệu vào bước tiếp theo.")
    else:
        lines.append("Kết quả lấy phiếu tín nhiệm:")
        for c in candidates:
            high, medium, low = c.high or 0, c.medium or 0, c.low or 0
            lines.append(
                f"- {c.person.full_name}: tín nhiệm cao {high} ({percent(high, summoned)}); "
                f"tín nhiệm {medium} ({percent(medium, summoned)}); tín nhiệm thấp {low} ({percent(low, summoned)})."
            )
    return "\n".join(line for line in lines if line)


def _item_text(item: AgendaItem, polls: list[Poll]) -> str:
    lines = [item.description] if item.description else []
    opinions = list(item.opinions.all())
    if opinions:
        lines.append("Ý kiến thảo luận:")
        for o in opinions:
            lines.append(f"- Đồng chí {o.person.full_name}: {o.text}" + (" (bảo lưu ý kiến)" if o.reserved else ""))
    for poll in polls:
        lines.append(poll_text(poll))
    if not lines:
        lines.append("Hội nghị đã thảo luận nội dung này.")
    return "\n".join(lines)


def sections_from_record(meeting: Meeting) -> list[dict[str, Any]]:
    """The minutes' sections. An agenda item's section keeps the item (``item``) and its numeral: its stored heading
    is the one anyone may read, and ``agenda.minutes_sections`` gives a reader named on a classified draft its
    title."""
    meeting = Meeting.objects.select_related("body__organization", "chair", "clerk").get(pk=meeting.pk)
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("person").order_by("person__sort_key"))
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("document__doc_type")
        .prefetch_related("opinions__person")
        .order_by("number")
    )
    polls = list(Poll.objects.filter(item__meeting=meeting).prefetch_related("candidates__person").order_by("id"))
    start = timezone.localtime(meeting.starts_at)
    place = f", tại {meeting.place}" if meeting.place else ""
    kind = KIND_TEXT.get(meeting.kind, "")
    sections: list[dict[str, Any]] = [
        {
            "key": "opening",
            "heading": "",
            "text": f"Vào lúc {_clock(start)}, ngày {start.day:02d} tháng {start.month:02d} năm {start.year}{place}, "
            f"{meeting.body.name} họp {kind}: {meeting.title}.",
        },
        {"key": "attendance", "heading": "I. THÀNH PHẦN", "text": _attendance_text(meeting, rows)},
    ]
    for n, item in enumerate(items):
        roman = ROMAN[n + 1] if n + 1 < len(ROMAN) else str(n + 2)
        sections.append(
            {
                "key": f"item-{item.number}",
                "heading": f"{roman}. {stored_title(item).upper()}",
                "text": _item_text(item, [p for p in polls if p.item_id == item.pk]),
                "item": item.pk,
                "numeral": roman,
            }
        )
    end = meeting.ended_at
    closing = f"Hội nghị kết thúc vào lúc {_clock(end)} cùng ngày." if end else "Hội nghị kết thúc vào lúc … giờ … ."
    closing += " Biên bản đã được thông qua trước hội nghị."
    sections.append({"key": "closing", "heading": "", "text": closing})
    return sections


def minutes_document(minutes: Minutes, reader: Any) -> OfficialDocument:
    """The minutes in the official layout (R-DOC-4), as ``reader`` may read them (``agenda.minutes_sections``): a
    draft carries the "DỰ THẢO" mark until it is signed."""
    meeting = minutes.meeting
    org = meeting.body.organization
    parent = org.parent
    blocks: list[Any] = []
    for section in minutes_sections(minutes, reader):
        if section["heading"]:
            blocks.append(Heading(section["heading"]))
        blocks.append(Paragraph(section["text"]))
    day = timezone.localtime(meeting.starts_at).date()  # the day the meeting was held
    return OfficialDocument(
        superior=parent.name if parent else "",
        issuer=org.short_name or org.name,
        number="",
        place_date=place_date(locality(org.name), day),
        kind="BIÊN BẢN",
        subject=f"{meeting.title}",
        blocks=blocks,
        signatures=[
            Signature("THƯ KÝ HỘI NGHỊ", meeting.clerk.full_name if meeting.clerk else ""),
            Signature("CHỦ TRÌ HỘI NGHỊ", meeting.chair.full_name if meeting.chair else ""),
        ],
        draft=minutes.status != "signed",
    )
