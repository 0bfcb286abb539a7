"""A consultation on a draft: asked audiences only, opinions on sections or the whole, refusals with nothing saved,
near-duplicates grouped, every opinion answered before synthesis (R-PUB-5), the register in Word and Excel."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dongthuan.consultations import selectors, services
from dongthuan.consultations.models import Audience, Opinion
from dongthuan.core.errors import DomainError
from dongthuan.documents import services as documents
from dongthuan.documents.models import DocumentType
from dongthuan.rules.publicity import written_reply_deadline
from tests.factories import make_org

SECTIONS = [
    {"heading": "I. MỤC TIÊU", "text": "Nâng cao năng lực lãnh đạo."},
    {"heading": "II. GIẢI PHÁP", "text": "Đổi mới phương thức lãnh đạo."},
]


def _round(world, **kw):
    draft = documents.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về đổi mới phương thức lãnh đạo",
        sections=SECTIONS,
    )
    today = timezone.localdate()
    audiences = kw.pop("audiences", [("committee", world.trung_my), ("members", world.cell)])
    return services.round_open(
        actor=None, document=draft, opens_on=today, closes_on=today + dt.timedelta(days=15), audiences=audiences, **kw
    )


def test_r_pub_3_written_reply_within_15_days():
    assert written_reply_deadline(dt.date(2026, 12, 20)) == dt.date(2027, 1, 4)


@pytest.mark.django_db
def test_r_pub_3_organisations_get_a_15_day_deadline(world):
    front = make_org("Ủy ban MTTQ xã Trung Mỹ", "front", world.trung_my, "commune")
    consultation = _round(world, audiences=[("organisations", front), ("committee", world.trung_my)])
    deadlines = {a.kind: a.deadline for a in Audience.objects.filter(round=consultation)}
    assert deadlines == {"organisations": timezone.localdate() + dt.timedelta(days=15), "committee": None}


@pytest.mark.django_db
def test_only_those_asked_give_opinions_and_refusals_save_nothing(world):
    consultation = _round(world)
    member = world.people["member"]  # a party member of world.cell
    key = consultation.version.sections[1]["key"]
    opinion = services.opinion_give(
        actor=None, consultation=consultation, person=member, text="Cần cụ thể hơn.", section_key=key
    )
    assert (opinion.audience, opinion.section_key) == ("members", key)
    secretary = services.opinion_give(
        actor=None, consultation=consultation, person=world.people["secretary"], text="Đồng ý."
    )
    assert secretary.audience == "committee"
    refusals = [
        (
            {"person": world.people["other_secretary"], "text": "Ý kiến"},
            "Đồng chí không thuộc đối tượng được lấy ý kiến trong đợt này.",
        ),
        ({"person": member, "text": "   "}, "Hãy ghi nội dung góp ý."),
        ({"person": member, "text": "x" * 5001}, "Ý kiến dài tối đa 5000 ký tự (hiện 5001)."),
        ({"person": member, "text": "Ý kiến", "section_key": "zz"}, "Phần được góp ý không có trong dự thảo."),
    ]
    for kw, message in refusals:
        with pytest.raises(DomainError) as refused:
            services.opinion_give(actor=None, consultation=consultation, **kw)
        assert refused.value.messages == [message]
    for _i in range(4):
        services.opinion_give(actor=None, consultation=consultation, person=member, text="Ý kiến nữa")
    with pytest.raises(DomainError) as burst:  # the sixth within a minute
        services.opinion_give(actor=None, consultation=consultation, person=member, text="Ý kiến nữa")
    assert burst.value.messages == ["Đồng chí vừa gửi nhiều ý kiến liên tiếp; hãy thử lại sau một phút."]
    services.round_close(actor=None, consultation=consultation)
    with pytest.raises(DomainError) as closed:
        services.opinion_give(actor=None, consultation=consultation, person=member, text="Muộn")
    assert closed.value.messages == ["Đợt lấy ý kiến đã kết thúc."]
    assert Opinion.objects.filter(round=consultation).count() == 6


def test_similarity_ignores_diacritics_and_groups_near_duplicates():
    assert (
        selectors.similarity(
            "Cần bổ sung chỉ tiêu về giao thông nông thôn", "can bo sung chi tieu ve giao thong nong thon"
        )
        == 1.0
    )
    assert selectors.similarity("Cần bổ sung chỉ tiêu", "Đồng ý với dự thảo") == 0.0


@pytest.mark.django_db
def test_r_pub_5_every_opinion_answered_before_synthesis_and_the_register(world):
    consultation = _round(world)
    key = consultation.version.sections[0]["key"]
    people = [world.people["member"], world.people["secretary"], world.people["deputy"]]
    texts = [
        "Cần bổ sung chỉ tiêu về đường giao thông nông thôn.",
        "Cần bổ sung chỉ tiêu về đường giao thông nông thôn đến năm 2030.",
        "Đồng ý với mục tiêu.",
    ]
    opinions = [
        services.opinion_give(actor=None, consultation=consultation, person=p, text=t, section_key=key)
        for p, t in zip(people, texts, strict=True)
    ]
    _index, section, _paged = selectors.synthesis(consultation)
    assert [[o.text for o in g.opinions] for g in section.groups] == [texts[:2], texts[2:]]
    with pytest.raises(DomainError):  # still open
        services.round_synthesise(actor=None, consultation=consultation)
    services.round_close(actor=None, consultation=consultation)
    services.opinion_answer(actor=None, opinion=opinions[0], decision="accepted", reasoning="Đã bổ sung chỉ tiêu 3.")
    services.opinion_answer(
        actor=None, opinion=opinions[1], decision="partly", reasoning="Bổ sung, mốc 2030 để kế hoạch."
    )
    with pytest.raises(DomainError) as unanswered:
        services.round_synthesise(actor=None, consultation=consultation)
    assert unanswered.value.rule == "R-PUB-5"
    assert unanswered.value.messages == ["Còn 1 ý kiến chưa được trả lời (tiếp thu hoặc giải trình) (R-PUB-5)."]
    with pytest.raises(DomainError):
        services.opinion_answer(actor=None, opinion=opinions[2], decision="explained", reasoning=" ")
    services.opinion_answer(actor=None, opinion=opinions[2], decision="explained", reasoning="Không cần sửa.")
    assert services.round_synthesise(actor=None, consultation=consultation).status == "synthesised"
    with pytest.raises(DomainError):
        services.opinion_answer(actor=None, opinion=opinions[2], decision="accepted", reasoning="Đổi ý")

    assert selectors.register_rows(consultation) == [
        ["1", "I. MỤC TIÊU", texts[0], people[0].full_name, "Tiếp thu", "Đã bổ sung chỉ tiêu 3."],
        ["2", "I. MỤC TIÊU", texts[1], people[1].full_name, "Tiếp thu một phần", "Bổ sung, mốc 2030 để kế hoạch."],
        ["3", "I. MỤC TIÊU", texts[2], people[2].full_name, "Giải trình, không tiếp thu", "Không cần sửa."],
    ]
    book = openpyxl.load_workbook(io.BytesIO(selectors.register_xlsx(consultation)))
    rows = [[c.value for c in r] for r in book.active.iter_rows()]
    assert rows[0] == selectors.REGISTER_HEADER and rows[1][4] == "Tiếp thu" and len(rows) == 4


@pytest.mark.django_db
def test_the_registers_empty_cells_stay_empty_and_formulas_are_neutralised(world):
    consultation = _round(world)
    key = consultation.version.sections[0]["key"]
    services.opinion_give(
        actor=None, consultation=consultation, person=world.people["member"], text="=1+1", section_key=key
    )
    rows = selectors.register_rows(consultation)
    assert rows[0][2:] == ["=1+1", world.people["member"].full_name, "Chưa trả lời", ""]  # not answered yet
    book = openpyxl.load_workbook(io.BytesIO(selectors.register_xlsx(consultation)))
    cells = [[c.value for c in r] for r in book.active.iter_rows(min_row=2)]
    assert cells == [["1", rows[0][1], "'=1+1", world.people["member"].full_name, "Chưa trả lời", None]]


@pytest.mark.django_db
def test_consultation_through_the_pages(client, world):
    consultation = _round(world)
    client.force_login(world.users["member"])
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Góp ý phần này" in page and "Đảng viên của tổ chức" in page
    key = consultation.version.sections[1]["key"]
    client.post(
        reverse("consultations:opinion_add", args=[consultation.pk]),
        {"section": key, "text": "<script>alert(1)</script> Rõ hơn"},
    )
    opinion = Opinion.objects.get()
    assert opinion.text == "<script>alert(1)</script> Rõ hơn"  # kept as typed, shown escaped
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Rõ hơn" in page and "<script>alert(1)" not in page
    client.force_login(world.users["other_secretary"])
    assert client.get(consultation.get_absolute_url()).status_code == 404

    client.force_login(world.users["office_staff"])
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Tổng hợp, tiếp thu, giải trình ý kiến" in page and "1 ý kiến, đã trả lời 0" in page
    client.post(reverse("consultations:step", args=[consultation.pk, "close"]))
    client.post(
        reverse("consultations:answer", args=[consultation.pk, opinion.pk]),
        {"decision": "accepted", "reasoning": "Đã viết rõ hơn mục II."},
    )
    client.post(reverse("consultations:step", args=[consultation.pk, "synthesise"]))
    consultation.refresh_from_db()
    assert consultation.status == "synthesised"
    word = docx.Document(
        io.BytesIO(client.get(reverse("consultations:register", args=[consultation.pk, "docx"])).content)
    )
    assert [p.text for p in word.paragraphs if p.text][0] == "BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN"
    table = word.tables[1]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "II. GIẢI PHÁP",
        "<script>alert(1)</script> Rõ hơn",
        world.people["member"].full_name,
        "Tiếp thu",
        "Đã viết rõ hơn mục II.",
    ]
