"""Minutes (biên bản): drafted from the record, edited with a guard against overwriting, signed and frozen, and
exported to real Word and PDF files."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from dongthuan.core.errors import DomainError
from dongthuan.meetings import services
from dongthuan.meetings.minutes import percent
from dongthuan.meetings.models import Meeting, Minutes
from dongthuan.writer.official import locality
from tests.meetings.test_votes import _meeting, _vote

NOON = timezone.make_aware(dt.datetime(2026, 12, 5, 8, 0))


def _held_meeting(world):
    """10 serving members, 8 present, 1 excused; opinions (one reserved); an open vote 6–1–1."""
    meeting, item, people = _meeting(world, size=10, present=8)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=NOON, place="Hội trường Đảng ủy", clerk=people[1])
    services.attendance_set(actor=None, meeting=meeting, person=people[8], status="excused", reason="đi công tác")
    services.opinion_add(actor=None, item=item, person=people[2], text="Đề nghị bổ sung chỉ tiêu về đường giao thông.")
    services.opinion_add(
        actor=None, item=item, person=people[3], text="Chưa đồng ý thời hạn hoàn thành năm 2027.", reserved=True
    )
    poll = services.poll_create(actor=None, item=item, question="Thông qua nghị quyết", kind="open")
    services.poll_open(actor=None, poll=poll)
    _vote(poll, people, ["approve"] * 6 + ["reject", "abstain"])
    services.poll_close(actor=None, poll=poll, confirm_few=True)
    meeting.refresh_from_db()
    return meeting, people


def test_percent_and_locality():
    assert (percent(7, 11), percent(0, 0), percent(1, 3)) == ("63,64%", "0%", "33,33%")
    assert locality("Đảng bộ xã Bình Tuyền") == "Bình Tuyền"
    assert locality("Chi bộ thôn Một") == "thôn Một"


@pytest.mark.django_db
def test_minutes_are_drafted_from_the_record(world):
    meeting, people = _held_meeting(world)
    minutes = services.minutes_generate(actor=None, meeting=meeting)
    sections = {s["key"]: s for s in minutes.sections}
    assert list(sections) == ["opening", "attendance", "item-1", "closing"]
    assert sections["opening"]["text"] == (
        "Vào lúc 08 giờ 00, ngày 05 tháng 12 năm 2026, tại Hội trường Đảng ủy, Ban Thường vụ họp thường kỳ: "
        "Hội nghị Ban Thường vụ tháng 11."
    )
    assert sections["attendance"]["text"].split("\n") == [
        "Chủ trì hội nghị: đồng chí Nguyễn Văn Ủy Viên 1.",
        "Thư ký hội nghị: đồng chí Nguyễn Văn Ủy Viên 2.",
        "Tổng số thành viên được triệu tập: 10 đồng chí; có mặt: 8 đồng chí.",
        "Vắng có lý do: 1 đồng chí (Nguyễn Văn Ủy Viên 9 (đi công tác)).",
        "Vắng không có lý do: 1 đồng chí (Nguyễn Văn Ủy Viên 10).",
    ]
    assert sections["item-1"]["heading"] == "II. NGHỊ QUYẾT VỀ XÂY DỰNG NÔNG THÔN MỚI"
    assert sections["item-1"]["text"].split("\n") == [
        "Ý kiến thảo luận:",
        "- Đồng chí Nguyễn Văn Ủy Viên 3: Đề nghị bổ sung chỉ tiêu về đường giao thông.",
        "- Đồng chí Nguyễn Văn Ủy Viên 4: Chưa đồng ý thời hạn hoàn thành năm 2027. (bảo lưu ý kiến)",
        "Hội nghị biểu quyết công khai: Thông qua nghị quyết.",
        "Kết quả: tán thành 6/10 đồng chí (60,00%); không tán thành 1; không biểu quyết 1.",
        "Nội dung được thông qua (cần ít nhất 6/10 tán thành).",
    ]
    assert (
        sections["closing"]["text"] == "Hội nghị kết thúc vào lúc … giờ … . Biên bản đã được thông qua trước hội nghị."
    )


@pytest.mark.django_db
def test_editing_is_guarded_signing_freezes(world):
    meeting, _people = _held_meeting(world)
    minutes = services.minutes_generate(actor=None, meeting=meeting)
    assert minutes.version == 1
    services.minutes_save(actor=None, minutes=minutes, texts={"closing": "Hội nghị kết thúc lúc 11 giờ 30."}, version=1)
    minutes.refresh_from_db()
    assert (minutes.version, minutes.sections[-1]["text"]) == (2, "Hội nghị kết thúc lúc 11 giờ 30.")
    with pytest.raises(DomainError) as stale:  # a second editor who opened version 1
        services.minutes_save(actor=None, minutes=minutes, texts={"closing": "Bản khác"}, version=1)
    assert stale.value.messages == ["Biên bản vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa tiếp."]
    minutes.refresh_from_db()
    assert minutes.sections[-1]["text"] == "Hội nghị kết thúc lúc 11 giờ 30."

    with pytest.raises(DomainError) as early:
        services.minutes_sign(actor=None, minutes=minutes)
    assert early.value.messages == ["Hội nghị chưa kết thúc; chỉ ký biên bản sau khi kết thúc hội nghị."]
    services.meeting_close(actor=None, meeting=meeting)
    services.meeting_close(actor=None, meeting=meeting)  # harmless twice
    services.minutes_sign(actor=None, minutes=minutes)
    for write in (
        lambda: services.minutes_save(actor=None, minutes=minutes, texts={"closing": "x"}, version=2),
        lambda: services.minutes_generate(actor=None, meeting=meeting),
        lambda: services.minutes_sign(actor=None, minutes=minutes),
    ):
        with pytest.raises(DomainError) as frozen:
            write()
        assert frozen.value.messages == ["Biên bản đã ký và khóa; không sửa được."]
    minutes.refresh_from_db()
    assert (minutes.status, minutes.version) == ("signed", 2)


@pytest.mark.django_db
def test_a_meeting_cannot_end_while_a_vote_is_open(world):
    meeting, item, _people = _meeting(world, size=3, present=3)
    poll = services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Thông qua", kind="open")
    )
    with pytest.raises(DomainError) as refused:
        services.meeting_close(actor=None, meeting=meeting)
    assert refused.value.messages == ["Còn cuộc biểu quyết chưa kết thúc: Thông qua."]
    services.poll_close(actor=None, poll=poll, confirm_few=True)
    assert services.meeting_close(actor=None, meeting=meeting).status == "closed"


@pytest.mark.django_db
def test_minutes_through_the_pages_and_their_files(client, world):
    meeting = services.meeting_create(
        actor=None,
        body=world.committee,
        title="Hội nghị Ban Chấp hành tháng 12",
        starts_at=NOON,
        chair=world.people["secretary"],
        clerk=world.people["office_staff"],
    )
    for role in ("secretary", "deputy"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    url = reverse("meetings:minutes", args=[meeting.pk])
    client.force_login(world.users["office_staff"])
    client.post(url, {"action": "generate"})
    minutes = Minutes.objects.get(meeting=meeting)
    client.post(url, {"action": "save", "version": "1", "section-closing": "Hội nghị kết thúc lúc 10 giờ 00."})
    minutes.refresh_from_db()
    assert (minutes.version, minutes.sections[-1]["text"]) == (2, "Hội nghị kết thúc lúc 10 giờ 00.")

    client.force_login(world.users["committee_member"])  # invited member: no draft, no draft file
    assert "Chưa có biên bản." in client.get(url).content.decode()
    assert client.get(reverse("meetings:minutes_export", args=[meeting.pk, "pdf"])).status_code == 404
    assert client.post(url, {"action": "sign"}).status_code == 404
    minutes.refresh_from_db()
    assert minutes.status == "draft"

    client.force_login(world.users["office_staff"])
    client.post(reverse("meetings:close", args=[meeting.pk]))
    client.post(url, {"action": "sign"})
    minutes.refresh_from_db()
    assert minutes.status == "signed"

    client.force_login(world.users["committee_member"])
    assert "Hội nghị kết thúc lúc 10 giờ 00." in client.get(url).content.decode()
    response = client.get(reverse("meetings:minutes_export", args=[meeting.pk, "docx"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="bien-ban-hoi-nghi-ban-chap-hanh-thang-12-20261205.docx"' in response["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.content))
    lines = [p.text for p in word.paragraphs if p.text]
    assert lines[:3] == ["BIÊN BẢN", "Hội nghị Ban Chấp hành tháng 12", "-----"]
    assert "Tổng số thành viên được triệu tập: 3 đồng chí; có mặt: 2 đồng chí." in lines
    assert lines[-1] == "Hội nghị kết thúc lúc 10 giờ 00."
    header = word.tables[0].rows[0].cells[1].text
    assert "DỰ THẢO" not in header and "ngày 05 tháng 12 năm 2026" in header
    pdf = pypdf.PdfReader(io.BytesIO(client.get(reverse("meetings:minutes_export", args=[meeting.pk, "pdf"])).content))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Chủ trì hội nghị: đồng chí Phạm Văn Bình." in text
    assert "THƯ KÝ HỘI NGHỊ" in text and "Đỗ Thu Hà" in text
    assert client.get(reverse("meetings:minutes_export", args=[meeting.pk, "odt"])).status_code == 404
