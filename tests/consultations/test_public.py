"""Consulting the public: a draft posted long enough (R-PUB-4), citizens' opinions confirmed by a link sent to their
email and moderated before publication, refusals with nothing saved, rate limits, the published register; and the
invitations and reminders emailed to those asked."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest.mock import patch

import docx
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dongthuan.consultations import selectors, services
from dongthuan.consultations.models import Notice, Opinion
from dongthuan.core.errors import DomainError
from dongthuan.core.models import AccessGrant, ThrottleHit
from dongthuan.documents import services as documents
from dongthuan.documents.models import Document, DocumentType
from dongthuan.people.models import Person
from dongthuan.rules.publicity import public_posting_problem

SECTIONS = [
    {"heading": "I. MỤC TIÊU", "text": "Nâng cao năng lực lãnh đạo."},
    {"heading": "II. GIẢI PHÁP", "text": "Đổi mới phương thức lãnh đạo."},
]


def _draft(world, classification=""):
    return documents.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về xây dựng nông thôn mới",
        sections=SECTIONS,
        classification=classification,
    )


def _public_round(world, days=30, audiences=None):
    today = timezone.localdate()
    return services.round_open(
        actor=None,
        document=_draft(world),
        opens_on=today,
        closes_on=today + dt.timedelta(days=days - 1),
        audiences=audiences or [("public", world.trung_my)],
    )


def _give(consultation, address="10.0.0.1", **kw):
    links = []
    values = {"name": "Nguyễn Thị Dân", "email": "dan@example.vn", "text": "Cần làm đường liên thôn."} | kw
    opinion = services.public_opinion_give(
        consultation=consultation, address=address, confirm_url=lambda t: links.append(t) or f"/c/{t}/", **values
    )
    return opinion, links[0]


def test_r_pub_4_public_posting_counts_first_and_last_day():
    assert public_posting_problem(dt.date(2026, 5, 1), dt.date(2026, 5, 30)) is None
    assert public_posting_problem(dt.date(2026, 5, 1), dt.date(2026, 5, 29)) == (
        "Dự thảo lấy ý kiến nhân dân phải được đăng ít nhất 30 ngày: kết thúc sớm nhất ngày 30/05/2026 (R-PUB-4)."
    )


def test_r_pub_4_is_a_setting(settings):
    settings.PUBLIC_CONSULTATION_MIN_DAYS = 45
    assert public_posting_problem(dt.date(2026, 5, 1), dt.date(2026, 6, 14)) is None
    assert "ít nhất 45 ngày" in public_posting_problem(dt.date(2026, 5, 1), dt.date(2026, 6, 13))


@pytest.mark.django_db
def test_r_pub_4_a_public_round_shorter_than_30_days_is_refused(world):
    with pytest.raises(DomainError) as refused:
        _public_round(world, days=29)
    assert refused.value.rule == "R-PUB-4"
    assert _public_round(world, days=30).closes_on == timezone.localdate() + dt.timedelta(days=29)
    # a round without the public keeps any length
    assert _public_round(world, days=5, audiences=[("committee", world.trung_my)]).audiences.count() == 1


@pytest.mark.django_db
def test_a_classified_draft_is_never_put_to_the_public(world):
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        services.round_open(
            actor=None,
            document=_draft(world, classification="mat"),
            opens_on=today,
            closes_on=today + dt.timedelta(days=40),
            audiences=[("public", world.trung_my)],
        )
    assert refused.value.messages == ["Văn bản mật không được đưa ra lấy ý kiến nhân dân."]


@pytest.mark.django_db
def test_citizen_opinion_waits_for_its_email_link_then_for_moderation(world, django_capture_on_commit_callbacks):
    consultation = _public_round(world)
    with django_capture_on_commit_callbacks(execute=True):
        opinion, token = _give(consultation, section_key=consultation.version.sections[0]["key"])
    assert opinion.status == "unconfirmed"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dan@example.vn"]
    assert mail.outbox[0].subject == "Xác nhận ý kiến góp ý dự thảo về xây dựng nông thôn mới"
    assert f"/c/{token}/" in mail.outbox[0].body
    assert selectors.counts(consultation).total == 0  # not yet in the synthesis

    assert services.public_opinion_confirm(token=token).status == "pending"
    assert services.public_opinion_confirm(token=token).status == "pending"  # twice changes nothing
    with pytest.raises(DomainError, match="không đúng"):
        services.public_opinion_confirm(token=token[:-2] + "xx")
    assert selectors.counts(consultation).pending == 1
    assert [o.pk for o in selectors.moderation_queue(consultation)] == [opinion.pk]
    services.round_close(actor=None, consultation=consultation)
    with pytest.raises(DomainError, match="1 ý kiến của nhân dân chờ kiểm duyệt"):
        services.round_synthesise(actor=None, consultation=consultation)
    with pytest.raises(DomainError, match="Chỉ trả lời ý kiến đã được tiếp nhận"):
        services.opinion_answer(actor=None, opinion=opinion, decision="accepted", reasoning="Đồng ý")

    with pytest.raises(DomainError, match="Hãy ghi lý do"):
        services.opinion_moderate(actor=None, opinion=opinion, accept=False)
    refused = services.opinion_moderate(actor=None, opinion=opinion, accept=False, reason="Trùng lặp")
    assert (refused.status, refused.moderation_reason) == ("rejected", "Trùng lặp")
    taken = services.opinion_moderate(actor=None, opinion=opinion, accept=True)  # reconsidered
    assert (taken.status, taken.group, taken.moderation_reason) == ("received", taken.pk, "")
    assert selectors.counts(consultation).total == 1


@pytest.mark.django_db
def test_expired_confirmation_link_is_refused(world, settings):
    consultation = _public_round(world)
    opinion, token = _give(consultation)
    later = timezone.now() + dt.timedelta(days=3, minutes=1)
    with (
        patch("django.core.signing.time.time", return_value=later.timestamp()),
        pytest.raises(DomainError, match="hết hạn"),
    ):
        services.public_opinion_confirm(token=token)
    opinion.refresh_from_db()
    assert opinion.status == "unconfirmed"


@pytest.mark.django_db
def test_a_link_followed_after_the_synthesis_is_refused(world):
    consultation = _public_round(world)
    opinion, token = _give(consultation)
    services.round_close(actor=None, consultation=consultation)
    services.round_synthesise(actor=None, consultation=consultation)  # an unconfirmed opinion does not hold it up
    with pytest.raises(DomainError, match="ý kiến không còn được tiếp nhận"):
        services.public_opinion_confirm(token=token)
    opinion.refresh_from_db()
    assert opinion.status == "unconfirmed"


@pytest.mark.django_db
def test_public_form_refusals_save_nothing(world):
    consultation = _public_round(world)
    cases = [
        ({"name": "  "}, {"name": ["Hãy ghi họ và tên."]}),
        ({"email": "khong-phai-email"}, {"email": ["Địa chỉ email không hợp lệ."]}),
        ({"text": "   "}, {"text": ["Hãy ghi nội dung góp ý."]}),
        ({"text": "x" * 5001}, {"text": ["Ý kiến dài tối đa 5000 ký tự (hiện 5001)."]}),
        ({"section_key": "khong-co"}, {"section_key": ["Phần được góp ý không có trong dự thảo."]}),
        ({"name": "A" * 121}, {"name": ["Họ và tên dài tối đa 120 ký tự."]}),
    ]
    for values, expected in cases:
        with pytest.raises(DomainError) as refused:
            _give(consultation, **values)
        assert refused.value.message_dict == expected
    assert Opinion.objects.count() == 0 and ThrottleHit.objects.count() == 0
    internal = _public_round(world, days=5, audiences=[("committee", world.trung_my)])
    with pytest.raises(DomainError, match="không lấy ý kiến nhân dân"):
        _give(internal)
    services.round_close(actor=None, consultation=consultation)
    with pytest.raises(DomainError, match="đã kết thúc"):
        _give(consultation)
    assert Opinion.objects.count() == 0


@pytest.mark.django_db
def test_public_opinions_are_limited_per_address_and_per_email(world):
    consultation = _public_round(world)
    for n in range(services.PUBLIC_PER_ADDRESS_HOUR):
        _give(consultation, email=f"nguoi{n}@example.vn")
    with pytest.raises(DomainError, match="nhiều ý kiến liên tiếp"):
        _give(consultation, email="khac@example.vn")
    _give(consultation, address="10.0.0.2", email="khac@example.vn")  # another address gets through
    for n in range(services.PUBLIC_PER_EMAIL_DAY - 1):
        _give(consultation, address=f"10.1.0.{n}", email="KHAC@example.vn")  # the same email, any case
    with pytest.raises(DomainError, match="nhiều ý kiến liên tiếp"):
        _give(consultation, address="10.9.9.9", email="khac@example.vn")
    assert Opinion.objects.count() == services.PUBLIC_PER_ADDRESS_HOUR + services.PUBLIC_PER_EMAIL_DAY
    # a refused attempt is counted under no limit: the refused email above was not counted for its address
    assert ThrottleHit.objects.filter(scope="public_opinion_address").count() == (
        services.PUBLIC_PER_ADDRESS_HOUR + services.PUBLIC_PER_EMAIL_DAY
    )
    assert not ThrottleHit.objects.filter(key__contains="10.0.0.1").exists()  # addresses are kept hashed


@pytest.mark.django_db
def test_public_consultation_through_the_pages(client, world, django_capture_on_commit_callbacks):
    consultation = _public_round(world, audiences=[("public", world.trung_my), ("members", world.cell)])
    listing = client.get(reverse("consultations:public_list")).content.decode()
    assert "về xây dựng nông thôn mới" in listing
    url = reverse("consultations:public_detail", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "Ý kiến của bạn" in page and "Nâng cao năng lực lãnh đạo." in page

    response = client.post(url, {"name": "", "email": "x", "text": ""})
    assert response.status_code == 200 and "Hãy ghi họ và tên" in response.content.decode()
    client.post(url, {"name": "Bot", "email": "bot@example.vn", "text": "Quảng cáo", "website": "http://spam"})
    assert Opinion.objects.count() == 0 and len(mail.outbox) == 0  # the honeypot: dropped without a word
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Trần Văn Dân", "email": "dan@example.vn", "text": "<b>Làm</b> đường liên thôn", "section": ""},
            REMOTE_ADDR="192.0.2.7",
        )
    assert response.status_code == 302
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    assert "đã được xác nhận" in client.get(link).content.decode()
    assert client.get("/consultations/public/confirm/sai/").status_code == 400

    client.force_login(world.users["office_staff"])
    synthesis = client.get(consultation.get_absolute_url()).content.decode()
    assert "1 ý kiến chờ kiểm duyệt" in synthesis and "&lt;b&gt;Làm&lt;/b&gt; đường liên thôn" in synthesis
    opinion = Opinion.objects.get()
    client.post(reverse("consultations:moderate", args=[consultation.pk, opinion.pk]), {"accept": "1"})
    synthesis = client.get(consultation.get_absolute_url()).content.decode()
    assert "Trần Văn Dân · Nhân dân (công khai)" in synthesis and "dan@example.vn" not in synthesis
    client.logout()
    page = client.get(url).content.decode()
    assert "Trần Văn Dân" in page and "&lt;b&gt;Làm&lt;/b&gt; đường liên thôn" in page
    assert "dan@example.vn" not in page
    register = reverse("consultations:public_register", args=[consultation.pk, "docx"])
    assert client.get(register).status_code == 404  # published once synthesised

    client.force_login(world.users["office_staff"])
    services.opinion_give(actor=None, consultation=consultation, person=world.people["member"], text="Ý kiến đảng viên")
    client.post(reverse("consultations:step", args=[consultation.pk, "close"]))
    for o in Opinion.objects.all():
        client.post(
            reverse("consultations:answer", args=[consultation.pk, o.pk]),
            {"decision": "partly", "reasoning": "Đưa vào kế hoạch năm 2027."},
        )
    client.post(reverse("consultations:step", args=[consultation.pk, "synthesise"]))
    client.logout()
    page = client.get(url).content.decode()
    assert "Bản tổng hợp, tiếp thu, giải trình ý kiến" in page and "Đưa vào kế hoạch năm 2027." in page
    word = docx.Document(io.BytesIO(client.get(register).content))
    rows = [[c.text for c in row.cells] for row in word.tables[1].rows[1:]]
    assert rows == [
        ["1", "Toàn văn dự thảo", "<b>Làm</b> đường liên thôn", "Nhân dân (công khai)", "Tiếp thu một phần",
         "Đưa vào kế hoạch năm 2027."],
        ["2", "Toàn văn dự thảo", "Ý kiến đảng viên", "Đảng viên của tổ chức", "Tiếp thu một phần",
         "Đưa vào kế hoạch năm 2027."],
    ]  # fmt: skip
    assert world.people["member"].full_name not in page  # the published register names no member
    internal = selectors.register_rows(consultation)
    assert [r[3] for r in internal] == ["Trần Văn Dân (nhân dân)", world.people["member"].full_name]


@pytest.mark.django_db
def test_a_round_without_the_public_has_no_public_page(client, world):
    consultation = _public_round(world, days=5, audiences=[("committee", world.trung_my)])
    assert client.get(reverse("consultations:public_detail", args=[consultation.pk])).status_code == 404
    assert "về xây dựng nông thôn mới" not in client.get(reverse("consultations:public_list")).content.decode()


@pytest.mark.django_db
def test_invitations_when_a_round_opens_and_one_reminder_to_those_who_have_not_answered(
    world, django_capture_on_commit_callbacks
):
    for n, role in enumerate(("secretary", "deputy", "committee_member", "member")):
        Person.objects.filter(pk=world.people[role].pk).update(email=f"{role}{n}@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        consultation = _public_round(world, days=10, audiences=[("committee", world.trung_my)])
    # the committee: secretary, deputy, committee member (the member is not on it)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "committee_member2@example.vn",
        "deputy1@example.vn",
        "secretary0@example.vn",
    ]
    first = mail.outbox[0]
    assert first.subject == "Lấy ý kiến vào dự thảo nghị quyết về xây dựng nông thôn mới"
    assert f"http://127.0.0.1:8000/consultations/{consultation.pk}/" in first.body
    assert services.notices_send(consultation=consultation, kind="invitation") == 0  # nobody twice
    services.opinion_give(actor=None, consultation=consultation, person=world.people["deputy"], text="Đồng ý")
    mail.outbox.clear()
    today = timezone.localdate()
    call_command("consultation_reminders", stdout=io.StringIO())  # closes in 9 days: not yet
    assert mail.outbox == []
    with patch("django.utils.timezone.localdate", return_value=today + dt.timedelta(days=7)):
        out = io.StringIO()
        call_command("consultation_reminders", stdout=out)
    assert out.getvalue().strip() == "2 email(s) sent"
    assert sorted(m.to[0] for m in mail.outbox) == ["committee_member2@example.vn", "secretary0@example.vn"]
    assert mail.outbox[0].subject == "Nhắc góp ý vào dự thảo nghị quyết về xây dựng nông thôn mới"
    assert Notice.objects.filter(kind="reminder").count() == 2
    assert services.notices_send(consultation=consultation, kind="reminder") == 0


@pytest.mark.django_db
def test_with_a_worker_the_invitations_wait_for_the_command(world, settings, django_capture_on_commit_callbacks):
    settings.BACKGROUND_JOBS = "worker"
    Person.objects.filter(pk=world.people["deputy"].pk).update(email="deputy@example.vn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _public_round(world, days=10, audiences=[("committee", world.trung_my)])
    assert (callbacks, mail.outbox) == ([], [])  # the request sends nothing and starts nothing
    out = io.StringIO()
    call_command("consultation_reminders", stdout=out)
    assert (out.getvalue().strip(), [m.to for m in mail.outbox]) == ("1 email(s) sent", [["deputy@example.vn"]])


def test_client_address_behind_the_proxy_is_the_one_nginx_appended(rf, settings):
    from dongthuan.core.http import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXIES = []
    assert client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request) == "203.0.113.9"


@pytest.mark.django_db
def test_the_confirmation_letter_quotes_nothing_the_citizen_typed(world, django_capture_on_commit_callbacks):
    """The letter comes from the office's address: a "name" such as "Dân, hãy gọi ngay…" would read as its words."""
    consultation = _public_round(world)
    with django_capture_on_commit_callbacks(execute=True):
        _, token = _give(
            consultation,
            name="Dân, hãy gọi ngay www.nhan-qua.example 0912345678",
            text="Bấm www.nhan-qua.example để nhận quà.",
            section_key=consultation.version.sections[0]["key"],
        )
    assert mail.outbox[0].body.split("\n\n") == [
        "Kính gửi Ông/Bà,",
        "Cảm ơn Ông/Bà đã góp ý vào dự thảo nghị quyết về xây dựng nông thôn mới. Để ý kiến được chuyển đến cơ quan "
        "soạn thảo, xin bấm vào đường dẫn sau trong vòng 3 ngày:",
        f"/c/{token}/",
        "Nếu Ông/Bà không gửi ý kiến này, xin bỏ qua thư.",
    ]


@pytest.mark.django_db
def test_letters_about_a_classified_draft_do_not_carry_its_title(world, django_capture_on_commit_callbacks):
    """A letter can be forwarded: the invitation and the reminder of a round on a classified draft say "một dự
    thảo" and give the link, whose page shows the draft only to those named on it."""
    for n, role in enumerate(("secretary", "deputy", "committee_member")):
        Person.objects.filter(pk=world.people[role].pk).update(email=f"{role}{n}@example.vn")
    today = timezone.localdate()
    draft = _draft(world, classification="mat")
    for role in ("secretary", "deputy"):  # named on it: only they are asked (the committee member is not)
        AccessGrant.objects.create(
            content_type=ContentType.objects.get_for_model(Document), object_id=str(draft.pk), user=world.users[role]
        )
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.round_open(
            actor=None,
            document=draft,
            opens_on=today,
            closes_on=today + dt.timedelta(days=5),
            audiences=[("committee", world.trung_my)],
        )
    services.notices_send(consultation=consultation, kind="reminder")
    url = f"http://127.0.0.1:8000/consultations/{consultation.pk}/"
    letters = {(m.to[0], m.subject): m.body.split("\n\n") for m in mail.outbox}
    assert letters[("deputy1@example.vn", "Lấy ý kiến vào một dự thảo")] == [
        "Kính gửi đồng chí Hoàng Thị Lan,",
        f"Đảng bộ xã Trung Mỹ lấy ý kiến vào một dự thảo từ ngày {today:%d/%m/%Y} đến ngày "
        f"{today + dt.timedelta(days=5):%d/%m/%Y}.",
        f"Đồng chí đọc dự thảo và góp ý tại: {url}",
    ]
    assert letters[("deputy1@example.vn", "Nhắc góp ý vào một dự thảo")][1] == (
        f"Đợt lấy ý kiến của Đảng bộ xã Trung Mỹ vào một dự thảo kết thúc ngày {today + dt.timedelta(days=5):%d/%m/%Y}; "
        "đồng chí chưa gửi ý kiến."
    )
    assert len(mail.outbox) == 4
    assert all("nông thôn" not in m.subject + m.body for m in mail.outbox)


@pytest.mark.django_db
def test_moderation_and_answers_post_through_forms(client, world):
    """consultations.forms: only ``accept=1`` takes an opinion in; a refusal needs its reason (cut at 2,000
    characters); an answer's version that is not a number is no version; another round's opinion is a 404."""
    consultation = _public_round(world)
    opinion, link = _give(consultation)
    services.public_opinion_confirm(token=link)
    client.force_login(world.users["office_staff"])
    url = reverse("consultations:moderate", args=[consultation.pk, opinion.pk])
    client.post(url, {"accept": "yes"})
    opinion.refresh_from_db()
    assert opinion.status == "pending"  # not taken in: a refusal without a reason
    client.post(url, {"accept": "0", "reason": "x" * 3000})
    opinion.refresh_from_db()
    assert (opinion.status, len(opinion.moderation_reason)) == ("rejected", 2000)
    client.post(url, {"accept": "1"})
    opinion.refresh_from_db()
    assert opinion.status == "received"
    answer_url = reverse("consultations:answer", args=[consultation.pk, opinion.pk])
    client.post(answer_url, {"decision": "accepted", "reasoning": "Đồng ý.", "version": "abc"})
    assert opinion.answer.changed_version is None and opinion.answer.reasoning == "Đồng ý."
    other = _public_round(world)
    assert (
        client.post(reverse("consultations:moderate", args=[other.pk, opinion.pk]), {"accept": "1"}).status_code == 404
    )
