"""The password policy (Django's validators, in Vietnamese) and password reset by email, through the pages."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from dongthuan.core.models import ThrottleHit

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _errors(response, field="new_password1"):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def _reset_link(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    return message, re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def _officer(world):
    user = world.users["secretary"]
    user.email = "binh@trungmy.vn"
    user.set_password("mat-khau-cu-123")
    user.save()
    return user


@pytest.mark.django_db
@LOCMEM
def test_password_reset_by_email_request_link_new_password_then_sign_in(client, world):
    from django.test import Client

    from dongthuan.accounts.models import SignIn

    user = _officer(world)
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "secretary", "password": "mat-khau-cu-123"})
    assert SignIn.objects.filter(user=user).count() == 1
    message, path = _reset_link(client, "BINH@trungmy.vn")
    assert message.subject == "Đặt lại mật khẩu Đồng Thuận"
    assert message.to == ["binh@trungmy.vn"]
    assert (
        "Có yêu cầu đặt lại mật khẩu cho tài khoản secretary trên Đồng Thuận. Để đặt mật khẩu mới, mở đường dẫn "
        "sau (dùng được một lần, trong 24 giờ):" in message.body
    )
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Trong-dong-2025", "new_password2": "Trong-dong-2025"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    page = client.get(response["Location"])
    assert "Mật khẩu mới đã được lưu. Mọi phiên đăng nhập cũ của tài khoản đã kết thúc." in page.content.decode()
    assert client.get(path, follow=True).context["validlink"] is False  # the link works once
    assert not SignIn.objects.filter(user=user).exists()  # the session signed in elsewhere has ended
    assert elsewhere.get(reverse("home"))["Location"] == reverse("portal:home")
    bad = client.post(reverse("login"), {"username": "secretary", "password": "mat-khau-cu-123"})
    assert bad.status_code == 200
    good = client.post(reverse("login"), {"username": "secretary", "password": "Trong-dong-2025"})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@LOCMEM
def test_password_reset_for_an_unknown_email_answers_the_same_and_sends_nothing(client, world):
    _officer(world)
    response = client.post(reverse("password_reset"), {"email": "ai-do@example.vn"}, follow=True)
    assert response.status_code == 200
    assert (
        "Nếu có tài khoản dùng email này, một đường dẫn để đặt mật khẩu mới đã được gửi đến đó. Đường dẫn dùng "
        "được một lần, trong 24 giờ." in response.content.decode()
    )
    assert mail.outbox == []


@pytest.mark.django_db
@LOCMEM
def test_password_reset_requests_are_limited_per_email(client, world):
    _officer(world)
    for _attempt in range(5):
        assert client.post(reverse("password_reset"), {"email": "binh@trungmy.vn"}).status_code == 302
    assert len(mail.outbox) == 3
    assert ThrottleHit.objects.filter(scope="password_reset_email").count() == 3


@pytest.mark.django_db
@LOCMEM
@pytest.mark.parametrize(
    ("password", "messages"),
    [
        (
            "12345",
            [
                "Mật khẩu quá ngắn: cần ít nhất 10 ký tự.",
                "Mật khẩu này quá phổ biến.",
                "Mật khẩu này hoàn toàn là số.",
            ],
        ),
        ("binh@trungmy", ["Mật khẩu quá giống với địa chỉ email."]),
        ("xanh-la-9", ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự."]),
        ("password123", ["Mật khẩu này quá phổ biến."]),
    ],
)
def test_the_password_policy_refuses_weak_passwords_in_vietnamese(client, world, password, messages):
    user = _officer(world)
    _message, path = _reset_link(client, "binh@trungmy.vn")
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert _errors(response, "new_password2") == messages
    assert get_user_model().objects.get(pk=user.pk).check_password("mat-khau-cu-123")  # nothing changed


@pytest.mark.django_db
@LOCMEM
def test_a_password_reset_ends_the_lockout(client, world):
    user = _officer(world)
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "secretary", "password": "sai"})
    assert AccessAttempt.objects.filter(username="secretary").exists()
    _message, path = _reset_link(client, "binh@trungmy.vn")
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Trong-dong-2025", "new_password2": "Trong-dong-2025"})
    assert not AccessAttempt.objects.filter(username="secretary").exists()
    response = client.post(reverse("login"), {"username": "secretary", "password": "Trong-dong-2025"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_password_policy_speaks_english_to_english_readers():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_password("xanh-la-9")
    assert refused.value.messages == ["This password is too short: it needs at least 10 characters."]
