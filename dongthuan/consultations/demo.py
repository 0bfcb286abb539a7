"""The demo's consultations: the district's resolution put to the committee, the district's cadres, Trung Mỹ's party
members and the district Front in March 2017, every opinion answered and taken into a second version; and Bình
Tuyền's draft open to its people now, with citizens' opinions in every state. All written through the
consultations' services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dongthuan.consultations import services as consult
from dongthuan.core.demo import DemoContext
from dongthuan.documents import services as docs
from dongthuan.people.models import PartyStatus, Person


def renewal_resolution_consulted(demo: DemoContext) -> None:
    """Opinions from 6 to 21 March 2017, the drafters' second version, an answer to each opinion and the synthesis.
    Reads ``renewal_resolution`` (the draft), ``district``, ``district_leaders``, ``communes``, ``district_front``
    and ``district_front_chair``."""
    draft, district, leaders = demo.renewal_resolution, demo.district, demo.district_leaders
    trung_my = demo.communes["Trung Mỹ"]
    front_chair = demo.district_front_chair
    consultation = consult.round_open(
        actor=None,
        document=draft,
        opens_on=dt.date(2017, 3, 6),
        closes_on=dt.date(2017, 3, 21),
        audiences=[
            ("committee", district),
            ("cadres", district),
            ("members", trung_my),
            ("organisations", demo.district_front),
        ],
    )
    keys = [sec["key"] for sec in consultation.version.sections]
    tm_members = list(
        Person.objects.filter(cell__path__startswith=trung_my.path, party_status=PartyStatus.FULL).order_by("id")[:3]
    )
    said = [
        (
            leaders[3],
            keys[2],
            "Đề nghị bổ sung giải pháp về phân công trách nhiệm của người đứng đầu cấp ủy.",
            dt.date(2017, 3, 8),
        ),
        (
            tm_members[0],
            keys[2],
            "Cần quy định rõ việc lấy ý kiến cán bộ, đảng viên trước khi ban hành nghị quyết chuyên đề ở xã.",
            dt.date(2017, 3, 10),
        ),
        (
            tm_members[1],
            keys[2],
            "Cần quy định rõ việc lấy ý kiến của cán bộ, đảng viên trước khi ban hành các nghị quyết chuyên đề.",
            dt.date(2017, 3, 11),
        ),
        (
            tm_members[2],
            keys[1],
            "Đề nghị đặt chỉ tiêu cụ thể về số tổ chức cơ sở đảng trong sạch, vững mạnh.",
            dt.date(2017, 3, 13),
        ),
        (
            front_chair,
            "",
            "Mặt trận nhất trí với dự thảo; đề nghị nêu rõ vai trò giám sát của MTTQ và các đoàn thể.",
            dt.date(2017, 3, 20),
        ),
    ]
    opinions = [
        consult.opinion_give(actor=None, consultation=consultation, person=p, text=t, section_key=k, received_on=d)
        for p, k, t, d in said
    ]
    v2_sections = [dict(sec) for sec in consultation.version.sections]
    v2_sections[1]["text"] += " Phấn đấu hằng năm trên 80% tổ chức cơ sở đảng đạt trong sạch, vững mạnh."
    v2_sections[2]["text"] += (
        "\n4. Người đứng đầu cấp ủy chịu trách nhiệm cá nhân về kết quả lãnh đạo lĩnh vực được phân công."
        "\n5. Lấy ý kiến cán bộ, đảng viên trước khi ban hành nghị quyết chuyên đề; công khai việc tiếp thu, giải trình."
    )
    v2_sections[3]["text"] += " Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội giám sát việc thực hiện."
    v2 = docs.version_save(actor=None, document=draft, sections=v2_sections, based_on=1, note="Tiếp thu ý kiến góp ý")
    consult.round_close(actor=None, consultation=consultation)
    answers = [
        ("accepted", "Đã bổ sung giải pháp 4 về trách nhiệm của người đứng đầu."),
        ("accepted", "Đã bổ sung giải pháp 5."),
        ("accepted", "Cùng nội dung với ý kiến trên; đã bổ sung giải pháp 5."),
        ("partly", "Bổ sung chỉ tiêu chung của huyện; chỉ tiêu từng xã do đảng ủy xã xác định."),
        ("accepted", "Đã bổ sung vai trò giám sát của MTTQ và các đoàn thể ở mục IV."),
    ]
    for opinion, (decision, reasoning) in zip(opinions, answers, strict=True):
        consult.opinion_answer(actor=None, opinion=opinion, decision=decision, reasoning=reasoning, changed_version=v2)
    consult.round_synthesise(actor=None, consultation=consultation)
    assert v2.number == 2


def public_consultation_2025(demo: DemoContext) -> None:
    """Bình Tuyền's draft put to its people now (open for 36 days around today, R-PUB-4): citizens' opinions
    published, one waiting for moderation, one refused, one whose email link was never followed. Reads
    ``public_draft`` and ``new_communes``."""
    commune = demo.new_communes["Bình Tuyền"]
    today = timezone.localdate()
    consultation = consult.round_open(
        actor=None,
        document=demo.public_draft,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=15),
        audiences=[("public", commune), ("members", commune)],
    )
    keys = [sec["key"] for sec in consultation.version.sections]
    said = [
        ("Nguyễn Văn Thành", keys[1], "Đề nghị ưu tiên làm đường liên thôn Thanh Lanh - Đồng Giang trước mùa mưa."),
        ("Trần Thị Mai", keys[1], "Cần có điểm tập kết rác ở mỗi thôn và lịch thu gom cố định trong tuần."),
        ("Lê Minh Hải", "", "Nhất trí với dự thảo; mong xã công khai tiến độ từng tiêu chí hằng quý."),
        ("Phạm Thu Hằng", keys[0], "Mục tiêu thu nhập 90 triệu đồng có tính cả người đi làm ở khu công nghiệp?"),
        ("Quảng cáo", "", "Mua bán đất nền giá rẻ, liên hệ 09xx."),
        ("Đỗ Văn Tùng", keys[2], "Chưa xác nhận email nên ý kiến này chưa đến cơ quan soạn thảo."),
    ]
    opinions = []
    for n, (name, key, text) in enumerate(said):
        tokens: list[str] = []
        opinion = consult.public_opinion_give(
            consultation=consultation,
            name=name,
            email=f"nguoidan{n}@example.vn",
            text=text,
            section_key=key,
            address=f"192.0.2.{n}",
            confirm_url=lambda token, tokens=tokens: tokens.append(token) or token,  # type: ignore[misc]
        )
        if n < 5:
            consult.public_opinion_confirm(token=tokens[0])
        opinions.append(opinion)
    for opinion in opinions[:3]:
        consult.opinion_moderate(actor=None, opinion=opinion, accept=True)
    consult.opinion_moderate(
        actor=None, opinion=opinions[4], accept=False, reason="Quảng cáo, không liên quan đến dự thảo."
    )
