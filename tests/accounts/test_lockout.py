"""Sign-in lockout through the login page: wrong passwords lock the account from that address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from dongthuan.audit.models import AuditEvent

LOCKED = (
    "Tài khoản này đã bị tạm khóa đăng nhập từ địa chỉ của bạn vì nhập sai mật khẩu quá nhiều lần. "
    "Hãy thử lại sau 60 phút, hoặc liên hệ quản trị hệ thống để được mở khóa."
)


def _officer(world):
    user = world.users["secretary"]
    user.set_password("mat-khau-dung-9")
    user.save()
    return user


def _post(client, username, password, address="203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, world):
    user = _officer(world)
    for _attempt in range(30):
        _post(client, user.username, "doan-sai")
    response = _post(client, user.username, "mat-khau-dung-9")
    assert response.status_code == 429
    assert LOCKED in " ".join(response.content.decode().split())
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out


@pytest.mark.django_db
def test_the_tenth_wrong_password_locks_and_the_ninth_does_not(client, world):
    user = _officer(world)
    for _attempt in range(9):
        assert _post(client, user.username, "doan-sai").status_code == 200
    assert _post(client, user.username, "mat-khau-dung-9").status_code == 302  # signs in, and forgets the failures
    client.post(reverse("logout"))
    for _attempt in range(10):
        response = _post(client, user.username, "doan-sai")
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_lock_from_one_address_leaves_the_officer_signing_in_from_another(client, world):
    user = _officer(world)
    for _attempt in range(12):
        _post(client, user.username, "doan-sai", address="198.51.100.7")
    assert _post(client, user.username, "mat-khau-dung-9", address="198.51.100.7").status_code == 429
    response = _post(client, user.username, "mat-khau-dung-9", address="203.0.113.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_an_administrator_unlocks_an_officer_from_the_user_admin(client, world):
    user = _officer(world)
    for _attempt in range(10):
        _post(client, user.username, "doan-sai")
    assert AccessAttempt.objects.filter(username=user.username).count() == 1
    admin = world.users["admin"]
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock", "_selected_action": [str(user.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã mở khóa đăng nhập cho 1 tài khoản." in response.content.decode()
    assert AccessAttempt.objects.filter(username=user.username).count() == 0
    event = AuditEvent.objects.get(action="unlock")
    assert (event.actor_id, event.object_id, event.changes) == (admin.pk, str(user.pk), {"failed_sources": [1, 0]})
    client.post(reverse("logout"))
    assert _post(client, user.username, "mat-khau-dung-9").status_code == 302


@pytest.mark.django_db
def test_an_officer_cannot_use_the_unlock_action(client, world):
    """Only the admin site's staff reach the action: an officer is sent to the admin's login, nothing cleared."""
    user = _officer(world)
    for _attempt in range(10):
        _post(client, user.username, "doan-sai")
    client.force_login(world.users["deputy"])
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "unlock", "_selected_action": [str(user.pk)]}
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username=user.username).count() == 1
    assert not AuditEvent.objects.filter(action="unlock").exists()


@pytest.mark.django_db
def test_wrong_passwords_for_an_unknown_name_lock_only_that_name(client):

    for _attempt in range(10):
        _post(client, "khong-co", "doan-sai")
    assert _post(client, "khong-co", "x").status_code == 429
    assert AccessAttempt.objects.get().username == "khong-co"
