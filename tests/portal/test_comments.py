""" "Ý kiến của bạn" under articles and documents: the email confirmed by a link before moderation, moderators
publishing, refusing with a reason or answering in the organisation's name, no email ever shown, the honeypot,
rate limits, and the same answer whether or not an email is known."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dongthuan.core.citizens import confirmation_token
from dongthuan.core.errors import DomainError
from dongthuan.core.models import ThrottleHit
from dongthuan.documents import services as documents
from dongthuan.documents.models import DocumentType
from dongthuan.organizations import services as org_services
from dongthuan.portal import services
from dongthuan.portal.models import Comment, CommentStatus
from tests.portal.test_articles import make_article

FORM = {"name": "Nguyễn Thị Dân", "email": "dan@example.vn", "text": "Đề nghị công khai kết quả theo từng thôn."}


def _link(message) -> str:
    return re.search(r"http://testserver(/portal/y-kien/xac-nhan/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_a_comment_is_published_only_after_its_email_is_confirmed_and_a_moderator_publishes_it(
    world, django_capture_on_commit_callbacks
):
    article = make_article(world)
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(article.get_absolute_url(), FORM | {"website": ""})
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url() + "#y-kien"
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == ("unconfirmed", "Nguyễn Thị Dân", "dan@example.vn")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.vn"]
    assert mail.outbox[0].subject == "Xác nhận ý kiến của bạn về «Đổi mới phương thức lãnh đạo»"
    page = visitor.get(article.get_absolute_url()).content.decode()
    assert "Cảm ơn bạn. Chúng tôi đã gửi thư đến email của bạn" in page and FORM["text"] not in page

    confirmed = visitor.get(_link(mail.outbox[0]))
    assert confirmed.status_code == 200 and "đã được chuyển đến ban biên tập" in confirmed.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    visitor.get(_link(mail.outbox[0]))  # twice changes nothing
    assert Comment.objects.get().status == CommentStatus.PENDING
    assert FORM["text"] not in Client().get(article.get_absolute_url()).content.decode()

    moderator = Client()
    moderator.force_login(world.users["office_staff"])
    queue = moderator.get(reverse("portal:comments"))
    assert [c.pk for c in queue.context["page"]] == [comment.pk]
    moderator.post(reverse("portal:comment_moderate", args=[comment.pk]), {"action": "publish"})
    page = Client().get(article.get_absolute_url()).content.decode()
    assert FORM["text"] in page and "Nguyễn Thị Dân" in page
    assert "dan@example.vn" not in page  # no email shown


@pytest.mark.django_db
def test_a_moderator_refuses_with_a_reason_or_answers_in_the_organisations_name(client, world):
    article = make_article(world)
    first = services.comment_give(target=article, confirm_url=str, **FORM)
    second = services.comment_give(target=article, confirm_url=str, **FORM | {"text": "Mua bán đất nền giá rẻ!"})
    for comment in (first, second):
        services.comment_confirm(token=confirmation_token(comment.pk, services.CONFIRM_SALT))
    client.force_login(world.users["office_staff"])
    url = reverse("portal:comment_moderate", args=[second.pk])
    client.post(url, {"action": "reject", "reason": ""})
    assert Comment.objects.get(pk=second.pk).status == CommentStatus.PENDING  # a refusal needs its reason
    client.post(url, {"action": "reject", "reason": "Quảng cáo"})
    second.refresh_from_db()
    assert (second.status, second.reason) == ("rejected", "Quảng cáo")
    client.post(
        reverse("portal:comment_moderate", args=[first.pk]),
        {"action": "answer", "answer": "Kết quả được công khai hằng quý tại nhà văn hóa thôn."},
    )
    first.refresh_from_db()
    assert (first.status, first.answer_organization, first.answered_by) == (
        "published",
        world.trung_my,
        world.users["office_staff"],
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    answer = page[page.index('data-testid="answer"') :]
    assert "Đảng bộ xã Trung Mỹ trả lời" in answer and "Trả lời chính thức" in answer
    assert "Kết quả được công khai hằng quý" in answer
    assert "Mua bán đất nền" not in page


@pytest.mark.django_db
def test_an_unconfirmed_comment_cannot_be_moderated(world):
    comment = services.comment_give(target=make_article(world), confirm_url=str, **FORM)
    with pytest.raises(DomainError) as refused:
        services.comment_moderate(actor=None, comment=comment, publish=True)
    assert refused.value.messages == ["Ý kiến chưa được xác nhận qua email."]


@pytest.mark.django_db
def test_comments_under_an_issued_document_and_not_under_a_draft_or_a_classified_one(world):
    make = documents.document_create
    kind = DocumentType.objects.get(name="Nghị quyết")
    draft = make(actor=None, organization=world.trung_my, doc_type=kind, title="về dân vận", sections=[{"text": "A"}])
    org_services.term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    with pytest.raises(DomainError) as refused:
        services.comment_give(target=draft, confirm_url=str, **FORM)
    assert refused.value.messages == ["Nội dung này không nhận ý kiến."]
    assert Client().get(reverse("portal:document", args=[draft.pk])).status_code == 404
    documents.document_issue(
        actor=None,
        document=draft,
        issued_on=draft.created_at.date(),
        place="Trung Mỹ",
        signer=None,
        signer_title="BÍ THƯ",
    )
    response = Client().post(reverse("portal:document", args=[draft.pk]), FORM)
    assert response.status_code == 302
    for _twice in range(2):  # the second from the cache, with its name
        pdf = Client().get(reverse("portal:document_file", args=[draft.pk, "pdf"]))
        assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
        assert pdf["Content-Disposition"] == (
            "attachment; filename=\"nghi-quyet-01-nq-du.pdf\"; filename*=UTF-8''nghi-quyet-01-nq-du.pdf"
        )
    assert Comment.objects.get().document == draft


@pytest.mark.django_db
def test_bad_comments_get_messages_and_nothing_is_saved(world):
    article = make_article(world)
    response = Client().post(article.get_absolute_url(), {"name": " ", "email": "khong-phai-email", "text": "x" * 3001})
    assert response.status_code == 400
    text = response.content.decode()
    for message in ("Hãy ghi họ và tên.", "Địa chỉ email không hợp lệ.", "Nội dung dài tối đa 3000 ký tự (hiện 3001)."):
        assert message in text
    assert (Comment.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.django_db
def test_the_honeypot_answers_like_a_success_and_keeps_nothing(world):
    article = make_article(world)
    response = Client().post(article.get_absolute_url(), FORM | {"website": "http://spam.example"})
    assert response.status_code == 302
    assert (Comment.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.django_db
def test_comments_are_limited_per_address_and_per_email_and_the_answer_does_not_tell_known_emails(world):
    article = make_article(world)
    for n in range(services.PER_ADDRESS_HOUR):
        services.comment_give(target=article, confirm_url=str, address="10.0.0.7", **FORM | {"email": f"a{n}@x.vn"})
    with pytest.raises(DomainError) as refused:
        services.comment_give(target=article, confirm_url=str, address="10.0.0.7", **FORM | {"email": "new@x.vn"})
    assert refused.value.messages == ["Đã nhận nhiều lần gửi liên tiếp; xin gửi lại sau ít phút."]
    assert not ThrottleHit.objects.filter(key__contains="10.0.0.7").exists()  # keyed hashes only
    # A known email and an unknown one get the same page.
    first = Client(REMOTE_ADDR="10.0.0.8").post(article.get_absolute_url(), FORM | {"email": "a1@x.vn"})
    second = Client(REMOTE_ADDR="10.0.0.9").post(article.get_absolute_url(), FORM | {"email": "chua-gui@x.vn"})
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])


@pytest.mark.django_db
def test_an_expired_or_forged_link_is_explained(world):
    response = Client().get(reverse("portal:comment_confirm", args=["gia-mao"]))
    assert response.status_code == 400 and "Đường dẫn xác nhận không đúng." in response.content.decode()


@pytest.mark.django_db
def test_a_confirmation_letter_quotes_nothing_a_visitor_typed_as_a_name(world, django_capture_on_commit_callbacks):
    """The letter comes from the office's address: a "name" with a link and a phone number would be its text."""
    article = make_article(world)
    name = "An, hãy bấm http://xac-minh.example/dang-nhap hoặc gọi 0912345678"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(article.get_absolute_url(), FORM | {"name": name, "website": ""})
    assert Comment.objects.get().name == name  # kept as typed for the moderators, shown escaped
    lines = mail.outbox[0].body.split("\n\n")
    assert lines[0] == "Kính gửi Ông/Bà,"
    assert lines[1:2] + lines[3:] == [
        "Cảm ơn Ông/Bà đã gửi ý kiến. Để ý kiến được chuyển đến ban biên tập, xin bấm vào đường dẫn sau trong vòng 3 "
        "ngày:",
        "Nếu Ông/Bà không gửi ý kiến này, xin bỏ qua thư.",
    ]
    assert lines[2].startswith("http://testserver/portal/y-kien/xac-nhan/")


@pytest.mark.django_db
def test_after_moderating_the_queue_goes_back_only_to_a_page_of_the_portal(client, world):
    """The way back is a field of portal.forms.ModerateForm: a page of the portal is followed, anything else is not."""
    article = make_article(world)
    comment = services.comment_give(target=article, confirm_url=str, **FORM)
    services.comment_confirm(token=confirmation_token(comment.pk, services.CONFIRM_SALT))
    client.force_login(world.users["office_staff"])
    url = reverse("portal:comment_moderate", args=[comment.pk])
    back = reverse("portal:comments") + "?status=rejected"
    response = client.post(url, {"action": "publish", "next": back})
    assert response["Location"] == back and Comment.objects.get().status == CommentStatus.PUBLISHED
    response = client.post(url, {"action": "publish", "next": "https://example.com/portal/"})
    assert response["Location"] == reverse("portal:comments")
    response = client.post(url, {"action": "nothing", "next": back})
    assert response["Location"] == reverse("portal:comments")  # an invalid request goes back to the queue
