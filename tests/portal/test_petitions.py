"""Petitions (phản ánh, kiến nghị): submitted without an account and followed by a tracking code, routed by commune
and topic, due after the topic's days, handled with internal notes, reassignment and a public answer, overdue ones
flagged to the head of the handling organisation, and the figures of who answers, published."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dongthuan.core.errors import DomainError
from dongthuan.organizations.models import OrganizationKind
from dongthuan.people.models import Person
from dongthuan.portal import selectors, services
from dongthuan.portal.models import Petition, PetitionEvent, PetitionFile, Route, Topic
from tests.factories import make_org
from tests.portal.test_articles import jpeg


def _submit(world, commune=None, topic="Môi trường, vệ sinh", **kw):
    values = {
        "title": "Rác thải ven kênh",
        "text": "Rác đổ trộm ven kênh thôn Thanh Lanh nhiều ngày.",
        "name": "Trần Văn Dân",
        "email": "dan@example.vn",
        "phone": "0912 345 678",
    } | kw
    return services.petition_submit(topic=Topic.objects.get(name=topic), commune=commune or world.trung_my, **values)


@pytest.mark.django_db
def test_a_citizen_submits_a_petition_and_follows_it_with_its_code(world, django_capture_on_commit_callbacks):
    visitor = Client()
    form = visitor.get(reverse("portal:petition_new"))
    communes = [c for _group, options in form.context["form"].fields["commune"].choices[1:] for c in options]
    assert communes == [(world.ba_hien.pk, "Đảng bộ xã Bá Hiến"), (world.trung_my.pk, "Đảng bộ xã Trung Mỹ")]
    photo = jpeg(comment=b"toa do GPS")
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            reverse("portal:petition_new"),
            {
                "topic": Topic.objects.get(name="Môi trường, vệ sinh").pk,
                "commune": world.trung_my.pk,
                "title": "Rác thải ven kênh",
                "text": "Rác đổ trộm ven kênh thôn Thanh Lanh.",
                "place": "Kênh thôn Thanh Lanh",
                "name": "Trần Văn Dân",
                "email": "dan@example.vn",
                "phone": "0912 345 678",
                "attachments": [SimpleUploadedFile("anh.jpg", photo)],
                "website": "",
            },
        )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:track_code", args=[petition.code])
    assert petition.code.startswith("PA-") and len(petition.code) == 11
    assert (petition.handler, petition.status, petition.phone) == (world.trung_my, "received", "0912345678")
    assert petition.due_on == timezone.localdate() + dt.timedelta(days=15)  # the topic's days
    stored = PetitionFile.objects.get()
    assert stored.kind == "jpg" and b"toa do GPS" not in bytes(stored.content)
    assert mail.outbox[0].subject == f"Đã tiếp nhận phản ánh {petition.code}"
    page = visitor.get(response["Location"]).content.decode()
    assert f"Mã theo dõi của bạn: {petition.code}" in page and "Đã tiếp nhận" in page
    # Anyone with the code sees the status, never the contact details.
    public = Client().get(reverse("portal:track_code", args=[petition.code.lower()]))
    text = public.content.decode()
    assert public.status_code == 200 and "Rác thải ven kênh" in text
    assert "dan@example.vn" not in text and "0912345678" not in text and "Trần Văn Dân" not in text
    found = Client().get(reverse("portal:track"), {"code": petition.code[3:]})
    assert found["Location"] == reverse("portal:track_code", args=[petition.code])
    missing = Client().get(reverse("portal:track"), {"code": "PA-ZZZZZZZZ"})
    assert missing.status_code == 404 and "Không tìm thấy phản ánh có mã này." in missing.content.decode()


@pytest.mark.django_db
def test_bad_petitions_get_messages_and_nothing_is_saved(world):
    response = Client().post(
        reverse("portal:petition_new"),
        {
            "topic": Topic.objects.get(name="Lĩnh vực khác").pk,
            "commune": world.trung_my.pk,
            "title": "",
            "text": "",
            "name": "An",
            "email": "",
            "phone": "12",
            "attachments": [SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 a program")],
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    for message in (
        "Hãy tóm tắt phản ánh trong một câu.",
        "Hãy ghi nội dung.",
        "Số điện thoại không hợp lệ.",
        "Tệp «hop-dong.pdf» không nhận được: chỉ nhận PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG.",
    ):
        assert message in text
    assert (Petition.objects.count(), PetitionFile.objects.count(), len(mail.outbox)) == (0, 0, 0)
    with pytest.raises(DomainError) as refused:
        _submit(world, email="", phone="")
    assert refused.value.message_dict == {"email": ["Hãy để lại email hoặc số điện thoại để cơ quan liên hệ khi cần."]}
    with pytest.raises(DomainError) as refused:
        _submit(world, attachments=[("a.jpg", jpeg())] * 6)
    assert refused.value.message_dict == {"attachments": ["Gửi kèm tối đa 5 tệp."]}
    broken = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    with pytest.raises(DomainError) as refused:
        _submit(world, attachments=[("anh.jpg", broken)])
    assert refused.value.message_dict == {"attachments": ["Ảnh «anh.jpg» bị hỏng hoặc quá lớn, không đọc được."]}
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_petitions_are_limited_per_address_and_the_honeypot_keeps_nothing(world):
    for n in range(services.PER_ADDRESS_HOUR):
        _submit(world, address="10.1.1.1", email=f"p{n}@x.vn")
    with pytest.raises(DomainError):
        _submit(world, address="10.1.1.1", email="other@x.vn")
    response = Client().post(
        reverse("portal:petition_new"),
        {
            "topic": Topic.objects.first().pk,
            "commune": world.trung_my.pk,
            "title": "x",
            "text": "y",
            "name": "B",
            "email": "b@x.vn",
            "website": "spam",
        },
    )
    assert response.status_code == 302 and Petition.objects.count() == services.PER_ADDRESS_HOUR


@pytest.mark.django_db
def test_routing_rules_are_data_and_the_most_specific_wins(world):
    ubnd = make_org("UBND xã Trung Mỹ", OrganizationKind.GOVERNMENT, world.trung_my)
    police = make_org("Công an xã Trung Mỹ", OrganizationKind.GOVERNMENT, world.trung_my)
    land, safety = Topic.objects.get(name="Đất đai, xây dựng"), Topic.objects.get(name="An ninh, trật tự")
    assert services.route_for(world.trung_my, land) == world.trung_my  # no rule: the commune itself
    Route.objects.create(commune=None, topic=safety, handler=world.province)
    Route.objects.create(commune=world.trung_my, topic=None, handler=ubnd)
    Route.objects.create(commune=world.trung_my, topic=safety, handler=police)
    assert services.route_for(world.trung_my, safety) == police  # commune and topic
    assert services.route_for(world.trung_my, land) == ubnd  # commune
    assert services.route_for(world.ba_hien, safety) == world.province  # topic
    assert services.route_for(world.ba_hien, land) == world.ba_hien
    assert _submit(world, topic="An ninh, trật tự").due_on == timezone.localdate() + dt.timedelta(days=10)


@pytest.mark.django_db
def test_the_handling_organisation_notes_reassigns_and_answers(client, world, django_capture_on_commit_callbacks):
    petition = _submit(world)
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("portal:desk_petition", args=[petition.pk])).status_code == 404
    client.force_login(world.users["committee_member"])
    url = reverse("portal:desk_petition", args=[petition.pk])
    page = client.get(url).content.decode()
    assert "dan@example.vn" in page and "0912345678" in page  # the handler sees the contact
    client.post(url, {"action": "start", "text": ""})
    client.post(url, {"action": "note", "text": "Giao cán bộ địa chính kiểm tra."})
    petition.refresh_from_db()
    assert petition.status == "processing"
    response = client.post(url, {"action": "reassign", "text": "", "handler": world.ba_hien.pk})
    assert response.status_code == 400  # Bá Hiến is not of this commune; no reason either
    ubnd = make_org("UBND xã Trung Mỹ", OrganizationKind.GOVERNMENT, world.trung_my)
    response = client.post(url, {"action": "reassign", "text": "", "handler": ubnd.pk})
    assert "Hãy ghi lý do chuyển." in response.content.decode()
    client.post(url, {"action": "reassign", "text": "Thuộc thẩm quyền UBND xã", "handler": ubnd.pk})
    petition.refresh_from_db()
    assert petition.handler == ubnd
    response = client.post(url, {"action": "answer", "text": ""})
    assert response.status_code == 400 and Petition.objects.get().status == "processing"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "answer", "text": "Đã thu gom rác và lắp biển cấm đổ rác."})
    petition.refresh_from_db()
    assert (petition.status, petition.answer) == ("answered", "Đã thu gom rác và lắp biển cấm đổ rác.")
    assert mail.outbox[-1].subject == f"Trả lời phản ánh {petition.code}" and mail.outbox[-1].to == ["dan@example.vn"]
    assert f"http://testserver/portal/phan-anh/tra-cuu/{petition.code}/" in mail.outbox[-1].body
    assert list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True)) == [
        "received",
        "processing",
        "note",
        "reassigned",
        "answered",
    ]
    public = Client().get(reverse("portal:track_code", args=[petition.code])).content.decode()
    assert "Đã thu gom rác" in public and "UBND xã Trung Mỹ" in public
    assert "Giao cán bộ địa chính" not in public and "Ghi chú nội bộ" not in public  # notes are internal
    with pytest.raises(DomainError) as refused:
        services.petition_answer(actor=None, petition=petition, answer="lại")
    assert refused.value.messages == ["Phản ánh đã được trả lời, không thay đổi được."]


@pytest.mark.django_db
def test_overdue_petitions_are_flagged_once_to_the_head_of_the_handling_organisation(
    world, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=world.people["secretary"].pk).update(email="bithu@trungmy.vn")
    late = _submit(world)
    Petition.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    _submit(world, title="Chưa đến hạn")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("petition_reminders")
    assert [m.to for m in mail.outbox] == [["bithu@trungmy.vn"]]
    assert mail.outbox[0].subject == "1 phản ánh quá hạn trả lời tại Đảng bộ xã Trung Mỹ"
    assert late.code in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("petition_reminders")
    assert len(mail.outbox) == 1  # once
    assert PetitionEvent.objects.filter(kind="overdue").count() == 1
    client = Client()
    client.force_login(world.users["secretary"])
    listed = client.get(reverse("portal:desk_petitions"), {"late": "1"})
    assert [p.pk for p in listed.context["page"]] == [late.pk]


@pytest.mark.django_db
def test_statistics_per_organisation_received_answered_on_time_and_median_days(world, django_assert_num_queries):
    now = timezone.now()

    def answered(commune, days_taken, due_in):
        petition = _submit(world, commune=commune)
        services.petition_answer(actor=None, petition=petition, answer="Đã giải quyết.")
        received = now - dt.timedelta(days=days_taken)
        Petition.objects.filter(pk=petition.pk).update(
            received_at=received, answered_at=now, due_on=(received + dt.timedelta(days=due_in)).date()
        )

    answered(world.trung_my, 2, 15)
    answered(world.trung_my, 4, 15)
    answered(world.trung_my, 20, 15)  # late
    _submit(world, commune=world.trung_my)  # open
    late = _submit(world, commune=world.ba_hien)
    Petition.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    with django_assert_num_queries(3):  # the counts, the answered ones, the organisations
        rows = selectors.listening()
    assert [(r.organization.name, r.received, r.answered, r.on_time, r.open_late, r.median_days) for r in rows] == [
        ("Đảng bộ xã Trung Mỹ", 4, 3, 2, 0, 4.0),
        ("Đảng bộ xã Bá Hiến", 1, 0, 0, 1, None),
    ]
    assert rows[0].on_time_share == 67
    page = Client().get(reverse("portal:statistics")).content.decode()
    assert "Tổng cộng 5 phản ánh đã nhận, 3 đã trả lời, 2 trả lời đúng hạn." in page
    Petition.objects.filter(pk=late.pk).update(received_at=timezone.make_aware(dt.datetime(now.year - 1, 6, 15, 9)))
    assert [(r.organization.name, r.received) for r in selectors.listening(now.year - 1)] == [("Đảng bộ xã Bá Hiến", 1)]
    year = Client().get(reverse("portal:statistics"), {"year": now.year}).content.decode()
    assert "Tổng cộng 4 phản ánh đã nhận, 3 đã trả lời, 2 trả lời đúng hạn." in year


@pytest.mark.django_db
def test_the_petitions_desk_searches_without_diacritics_and_lists_only_ones_own(client, world):
    mine = _submit(world, title="Đèn đường hỏng ở thôn Đồng Giang")
    _submit(world, commune=world.ba_hien, title="Đèn đường hỏng ở Bá Cầu")
    client.force_login(world.users["office_staff"])
    found = client.get(reverse("portal:desk_petitions"), {"q": "den duong dong giang"})
    assert [p.pk for p in found.context["page"]] == [mine.pk]
    assert [p.pk for p in client.get(reverse("portal:desk_petitions"), {"q": mine.code}).context["page"]] == [mine.pk]
    assert [p.pk for p in client.get(reverse("portal:desk_petitions")).context["page"]] == [mine.pk]
    files = [("anh.png", _png())]
    with_file = _submit(world, attachments=files)
    stored = PetitionFile.objects.get(petition=with_file)
    assert client.get(reverse("portal:petition_file", args=[stored.pk])).status_code == 200
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("portal:petition_file", args=[stored.pk])).status_code == 404


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_the_desk_lists_open_petitions_first_the_most_urgent_at_the_top(client, world):
    answered = _submit(world, title="Đã xong")
    services.petition_answer(actor=None, petition=answered, answer="Đã giải quyết.")
    later = _submit(world, title="Hạn xa", topic="Đất đai, xây dựng")  # 30 days
    sooner = _submit(world, title="Hạn gần", topic="An ninh, trật tự")  # 10 days
    client.force_login(world.users["office_staff"])
    listed = client.get(reverse("portal:desk_petitions")).context["page"]
    assert [p.title for p in listed] == ["Hạn gần", "Hạn xa", "Đã xong"]
    assert (sooner.due_on, later.due_on) == (
        timezone.localdate() + dt.timedelta(days=10),
        timezone.localdate() + dt.timedelta(days=30),
    )


@pytest.mark.django_db
def test_the_admin_does_not_show_a_citizens_contact_details(client, world):
    petition = _submit(world)
    client.force_login(world.users["admin"])
    page = client.get(f"/admin/portal/petition/{petition.pk}/change/").content.decode()
    assert petition.code in page and "dan@example.vn" not in page and "0912345678" not in page


@pytest.mark.django_db
def test_letters_about_a_petition_quote_nothing_the_citizen_typed(world, django_capture_on_commit_callbacks):
    """Letters come from the office's address: a name, summary or text such as "Bấm https://… để nhận kết quả"
    would read as its words. They greet without a name and name the petition by its code, with the link to it."""
    Person.objects.filter(pk=world.people["secretary"].pk).update(email="bithu@trungmy.vn")
    bait = "Dân: xem https://ket-qua.example/pa hoặc gọi 0999888777"
    with django_capture_on_commit_callbacks(execute=True):
        petition = _submit(world, name=bait, title=bait, text=bait, place=bait, email="dan@example.vn")
        services.petition_answer(actor=world.users["secretary"], petition=petition, answer="Đã thu gom rác.")
    track = f"http://127.0.0.1:8000/portal/phan-anh/tra-cuu/{petition.code}/"
    assert [m.body.split("\n\n") for m in mail.outbox] == [
        [
            "Kính gửi Ông/Bà,",
            f"Phản ánh mã {petition.code} của Ông/Bà đã được chuyển đến Đảng bộ xã Trung Mỹ, hạn trả lời ngày "
            f"{petition.due_on:%d/%m/%Y}. Ông/Bà theo dõi phản ánh tại:",
            track,
        ],
        [
            "Kính gửi Ông/Bà,",
            f"Đảng bộ xã Trung Mỹ trả lời phản ánh mã {petition.code} của Ông/Bà:",
            "Đã thu gom rác.",
            "Phản ánh và câu trả lời tại:",
            track,
        ],
    ]
    late = _submit(world, name=bait, title=bait, text=bait)
    Petition.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    late.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("petition_reminders")
    assert [m.to for m in mail.outbox] == [["bithu@trungmy.vn"]]  # the head is written to by code and topic too
    assert mail.outbox[0].body.split("\n\n")[2] == (
        f"- {late.code} (Môi trường, vệ sinh), hạn {late.due_on:%d/%m/%Y}"
        f": http://127.0.0.1:8000{late.get_absolute_url()}"
    )
    assert all("ket-qua" not in m.subject + m.body and "0999888777" not in m.body for m in mail.outbox)
