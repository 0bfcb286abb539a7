"""Passkeys in a real browser: a secretary adds one on the account page, then signs in with it as the second step,
with Chromium's virtual authenticator (DevTools protocol: WebAuthn.addVirtualAuthenticator — a platform
authenticator with user verification, as a phone's fingerprint reader) standing in for the phone.

WebAuthn refuses an IP address as the site's name: the live server is reached as http://localhost:<port>
(pytest-django's default host), which is also the relying party's id here."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dongthuan.accounts.models import Passkey
from dongthuan.audit.models import AuditEvent

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_site(settings, live_server):
    assert live_server.url.startswith("http://localhost:")
    settings.PASSKEY_RP_ID = "localhost"
    settings.PASSKEY_RP_NAME = "Đồng Thuận"
    settings.PASSKEY_ORIGINS = [live_server.url]
    return live_server.url


def virtual_authenticator(page):
    """A phone's platform authenticator (CTAP2, keeps its passkeys, verifies the person) attached to ``page``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_a_secretary_adds_a_passkey_and_signs_in_with_it(page, passkey_site, live_world, login, snap):
    base_url = passkey_site
    cdp, authenticator = virtual_authenticator(page)
    login(page, "secretary")  # with an authenticator app's code, as every browser test does

    page.goto(f"{base_url}/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    expect(page.get_by_test_id("passkeys")).to_contain_text("Chưa có khóa truy cập nào.")
    page.get_by_role("button", name="Thêm khóa truy cập").click()  # without a name: asked for one first
    expect(page.get_by_role("alert")).to_have_text("Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”.")
    assert cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"] == []
    page.get_by_label("Tên khóa truy cập").fill("Điện thoại của tôi")
    snap(page, "naming")
    page.get_by_role("button", name="Thêm khóa truy cập").click()

    expect(page.get_by_role("alert")).to_have_text("Đã thêm khóa truy cập “Điện thoại của tôi”.")
    rows = page.get_by_test_id("passkeys").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(0)).to_have_text("Điện thoại của tôi")
    expect(rows.first.locator("td").nth(1)).to_have_text(re.compile(r"^\d\d/\d\d/\d{4}$"))
    expect(rows.first.locator("td").nth(2)).to_have_text("chưa dùng")
    kept = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(kept) == 1 and kept[0]["isResidentCredential"] is True
    passkey = Passkey.objects.get()
    assert passkey.name == "Điện thoại của tôi" and passkey.user.username == "secretary"
    assert AuditEvent.objects.filter(action="passkey_add", actor__username="secretary").count() == 1

    # The passkey alone is now the secretary's second factor: no app, no recovery codes.
    secretary = get_user_model().objects.get(username="secretary")
    TOTPDevice.objects.filter(user=secretary).delete()
    StaticDevice.objects.filter(user=secretary).delete()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    page.get_by_label("Tên đăng nhập").fill("secretary")
    page.get_by_label("Mật khẩu").fill("pw")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    expect(page.get_by_label("Mã xác thực")).to_have_count(0)
    snap(page, "second-step")
    page.get_by_role("button", name="Dùng khóa truy cập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Phạm Văn Bình")
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert used[0]["signCount"] == passkey.sign_count >= 1

    page.goto(f"{base_url}/accounts/2fa/")
    expect(page.get_by_test_id("second-factor-state")).to_contain_text("Đang bật, với khóa truy cập.")
    expect(rows.first.locator("td").nth(2)).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))
