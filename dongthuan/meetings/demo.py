"""The demo's meetings: the district standing committee passing the resolution on 20/04/2017, with its signed
minutes; and the new Bình Tuyền committee's first meeting (July 2025) — a resolution passed by open vote, an
election sealed by three tellers and a paper confidence vote ready to open, and its draft minutes. All written
through the meetings' services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dongthuan.core.demo import DemoContext
from dongthuan.meetings import services as meetings


def renewal_resolution_passed(demo: DemoContext) -> None:
    """Every member present, the final version approved unanimously by open vote, the minutes signed. Reads
    ``district_standing``, ``district_leaders`` (the secretary chairs, the deputy keeps the minutes) and
    ``renewal_resolution``."""
    leaders = demo.district_leaders
    meeting = meetings.meeting_create(
        actor=None,
        body=demo.district_standing,
        title="Hội nghị Ban Thường vụ Huyện ủy tháng 4/2017",
        starts_at=dt.datetime(2017, 4, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        place="Phòng họp Ban Thường vụ Huyện ủy",
        chair=leaders[0],
        clerk=leaders[1],
    )
    voters = [a.person for a in meeting.attendance.select_related("person").filter(role="member")]
    for person in voters:
        meetings.attendance_set(actor=None, meeting=meeting, person=person, status="present")
    item = meetings.item_add(actor=None, meeting=meeting, title="", document=demo.renewal_resolution)
    meetings.opinion_add(
        actor=None, item=item, person=leaders[1], text="Dự thảo đã tiếp thu đầy đủ ý kiến; đề nghị thông qua."
    )
    poll = meetings.poll_open(
        actor=None,
        poll=meetings.poll_create(actor=None, item=item, question="Thông qua Nghị quyết", kind="open"),
    )
    for person in voters:
        meetings.vote_cast(actor=None, poll=poll, person=person, choice="approve")
    meetings.poll_close(actor=None, poll=poll)
    meetings.meeting_close(actor=None, meeting=meeting)
    meetings.minutes_sign(actor=None, minutes=meetings.minutes_generate(actor=None, meeting=meeting))


def first_meeting_2025(demo: DemoContext) -> None:
    """The new commune committee's first meeting: attendance, a resolution passed by open vote, a secret election
    of the inspection committee sealed by three tellers and a paper confidence vote ready to open, and the draft
    minutes, so that the demo shows a vote, lets one be held and the minutes be finished. Reads
    ``binh_tuyen_committee``, ``binh_tuyen_leaders`` and ``trung_my_office_staff`` (the clerk)."""
    members, clerk = demo.binh_tuyen_leaders, demo.trung_my_office_staff
    starts = dt.datetime(2025, 7, 5, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    meeting = meetings.meeting_create(
        actor=None,
        body=demo.binh_tuyen_committee,
        title="Hội nghị Ban Chấp hành Đảng bộ xã Bình Tuyền lần thứ nhất",
        starts_at=starts,
        place="Hội trường Đảng ủy xã Bình Tuyền",
        chair=members[0],
        clerk=clerk,
        guests=[clerk],
    )
    for person in members[:-1]:
        meetings.attendance_set(actor=None, meeting=meeting, person=person, status="present")
    meetings.attendance_set(actor=None, meeting=meeting, person=members[-1], status="excused", reason="Đi công tác")
    item = meetings.item_add(
        actor=None,
        meeting=meeting,
        title="Quy chế làm việc của Ban Chấp hành Đảng bộ xã nhiệm kỳ 2025 - 2030",
        kind="document",
    )
    meetings.opinion_add(
        actor=None,
        item=item,
        person=members[-2],
        text="Đề nghị bổ sung chế độ báo cáo định kỳ của các chi bộ thôn.",
    )
    poll = meetings.poll_open(
        actor=None,
        poll=meetings.poll_create(actor=None, item=item, question="Thông qua Quy chế làm việc", kind="open"),
    )
    for n, person in enumerate(members[:-1]):
        meetings.vote_cast(actor=None, poll=poll, person=person, choice="reject" if n == 1 else "approve")
    meetings.poll_close(actor=None, poll=poll)
    election = meetings.item_add(actor=None, meeting=meeting, title="Bầu Ủy ban Kiểm tra Đảng ủy xã", kind="election")
    vote = meetings.poll_create(
        actor=None,
        item=election,
        question="Bầu Ủy ban Kiểm tra Đảng ủy xã",
        kind="secret",
        method="candidates",
        seats=4,
        tellers=members[:3],  # they hold the seal: each takes a code before it opens, two of three unseal it
    )
    for person in members[:5]:  # R-ELE-1: 5 candidates for 4 seats
        meetings.candidate_add(actor=None, poll=vote, person=person)
    confidence = meetings.item_add(
        actor=None, meeting=meeting, title="Lấy phiếu tín nhiệm Thường trực Đảng ủy", kind="confidence"
    )
    trust = meetings.poll_create(
        actor=None,
        item=confidence,
        question="Lấy phiếu tín nhiệm Thường trực Đảng ủy",
        kind="secret",
        method="confidence",
        paper=True,
        tellers=members[2:4],
    )
    for person in members[:2]:
        meetings.candidate_add(actor=None, poll=trust, person=person)
    meetings.minutes_generate(actor=None, meeting=meeting)  # the draft so far, for the office to edit
