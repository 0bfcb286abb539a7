"""Passkeys (WebAuthn) as a second factor, through HTTP with a software authenticator (tests/accounts/authenticator.py):
adding one, signing in with one, what is refused (a wrong challenge, origin or relying party, a counter that does
not go up, another account's passkey, a stale or missing ceremony), removing one, the officers' last factor, the
history and the email, and bad input (never a 500)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dongthuan.accounts.middleware import DONE, PENDING, SECOND_FACTOR_KEY
from dongthuan.accounts.models import Passkey
from dongthuan.accounts.views import PASSKEY_ADD_KEY
from dongthuan.audit.models import AuditEvent
from tests.accounts.authenticator import SoftAuthenticator, b64url, unb64url

ORIGIN = "http://localhost:8000"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
REFUSED = "Khóa truy cập không được chấp nhận. Hãy thử lại."
NOT_YOURS = "Khóa truy cập này không thuộc tài khoản của bạn."
UNREADABLE = "Dữ liệu gửi lên không đọc được. Hãy tải lại trang và thử lại."
TOO_LARGE = "Dữ liệu gửi lên quá lớn, không nhận được."


@pytest.fixture(autouse=True)
def relying_party(settings):
    """The demo's relying party (the defaults of settings.py), whatever the machine's environment says."""
    settings.PASSKEY_RP_ID = "localhost"
    settings.PASSKEY_RP_NAME = "Đồng Thuận"
    settings.PASSKEY_ORIGINS = [ORIGIN]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _post(client, name, body=None, raw=None, content_type="application/json", **extra):
    data = raw if raw is not None else json.dumps(body or {})
    return client.post(reverse(f"accounts:{name}"), data=data, content_type=content_type, **extra)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _add(client, authenticator, name="Điện thoại của tôi", **wrong):
    """The two requests of adding a passkey: the options, then the authenticator's answer."""
    options = _post(client, "passkey_add_options")
    assert options.status_code == 200, options.content
    answer = authenticator.register(options.json(), **wrong)
    return _post(client, "passkey_add", {"name": name, "credential": answer}, HTTP_USER_AGENT=CHROME_WINDOWS)


def _password_sign_in(user):
    user.set_password("mat-khau-dung-9")
    user.save()
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "mat-khau-dung-9"})
    assert response.status_code == 302
    return client


def _passkey_of(user, authenticator=None, name="Điện thoại của tôi"):
    """``user`` with a passkey added through the pages; returns its authenticator."""
    authenticator = authenticator or SoftAuthenticator()
    assert _add(_signed_in(user), authenticator, name).status_code == 200
    return authenticator


def _sign_in_with(client, authenticator, next_url="/organizations/", **wrong):
    options = _post(client, "passkey_sign_in_options")
    assert options.status_code == 200, options.content
    answer = authenticator.sign_in(options.json(), **wrong)
    return _post(client, "passkey_sign_in", {"credential": answer, "next": next_url})


# --- adding ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_passkey_lists_it_records_it_and_tells_the_owner(world, django_capture_on_commit_callbacks):
    member = world.users["member"]
    member.email = "nam@trungmy.vn"
    member.save()
    client = _signed_in(member)
    options = _post(client, "passkey_add_options").json()
    assert options["rp"] == {"id": "localhost", "name": "Đồng Thuận"}
    assert options["user"]["name"] == "member"
    assert options["user"]["displayName"] == "Bùi Văn Nam (member)"
    assert len(unb64url(options["challenge"])) == 64
    assert options["excludeCredentials"] == []
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    assert options["attestation"] == "none"
    authenticator = SoftAuthenticator()
    answer = authenticator.register(options)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            "passkey_add",
            {"name": "  Điện thoại của tôi ", "credential": answer},
            HTTP_USER_AGENT=CHROME_WINDOWS,
            REMOTE_ADDR="203.0.113.5",
        )
    assert response.status_code == 200
    assert response.json() == {"redirect": reverse("accounts:second_factor")}
    passkey = Passkey.objects.get()
    assert (passkey.user, passkey.name, passkey.confirmed) == (member, "Điện thoại của tôi", True)
    assert bytes(passkey.credential_id) == authenticator.credential_id
    assert bytes(passkey.public_key) == authenticator.cose_public_key()
    assert (passkey.sign_count, passkey.transports, passkey.discoverable) == (0, ["internal", "hybrid"], True)
    assert passkey.last_used_at is None
    assert PASSKEY_ADD_KEY not in client.session  # the challenge is used once
    event = AuditEvent.objects.get(action="passkey_add")
    assert (event.actor_id, event.object_id, event.changes, event.note) == (
        member.pk,
        str(member.pk),
        {"passkeys": [0, 1]},
        "Điện thoại của tôi",
    )
    assert event.action_label == "Thêm khóa truy cập"
    (letter,) = mail.outbox
    assert letter.subject == "Tài khoản Đồng Thuận có khóa truy cập mới"
    assert letter.to == ["nam@trungmy.vn"]
    at = timezone.localtime(passkey.created_at).strftime("%H:%M %d/%m/%Y")
    assert (
        f"Tài khoản member vừa có thêm một khóa truy cập, tên “Điện thoại của tôi”, lúc {at}, từ Chrome trên Windows, "
        "địa chỉ 203.0.113.5." in letter.body
    )
    assert "http://testserver/accounts/2fa/" in letter.body

    page = client.get(reverse("accounts:second_factor"))
    html = page.content.decode()
    assert [p.name for p in page.context["passkeys"]] == ["Điện thoại của tôi"]
    assert "Đang bật, với khóa truy cập." in html
    assert f"<td>{timezone.localdate().strftime('%d/%m/%Y')}</td>" in html
    assert "chưa dùng" in html
    # A second passkey: the browser is told of the first, so a device holding it says so.
    again = _post(client, "passkey_add_options").json()
    assert again["excludeCredentials"] == [
        {"id": b64url(authenticator.credential_id), "type": "public-key", "transports": ["internal", "hybrid"]}
    ]


@pytest.mark.django_db
def test_the_second_factor_page_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    member = world.users["member"]
    for name in ("Điện thoại", "Máy tính", "Khóa USB"):
        _passkey_of(member, name=name)
    client = _signed_in(member)
    client.post(reverse("accounts:recovery_codes"))
    # session, user, the passkeys, the app, whether two factors are required (the person's posts, access grants),
    # the recovery codes (device, count), and the navigation's person
    with django_assert_num_queries(9):
        response = client.get(reverse("accounts:second_factor"))
    assert [p.name for p in response.context["passkeys"]] == ["Điện thoại", "Máy tính", "Khóa USB"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"challenge": b64url(b"x" * 64)}, REFUSED),
        ({"origin": "https://evil.example"}, REFUSED),
        ({"origin": "http://127.0.0.1:8000"}, REFUSED),
        ({"rp_id": "evil.example"}, REFUSED),
    ],
)
def test_an_answer_to_another_challenge_origin_or_site_adds_nothing(world, wrong, message):
    client = _signed_in(world.users["member"])
    response = _add(client, SoftAuthenticator(), **wrong)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not Passkey.objects.exists()
    assert not AuditEvent.objects.filter(action="passkey_add").exists()


@pytest.mark.django_db
def test_a_passkey_is_added_once_and_never_to_a_second_account(world):
    authenticator = _passkey_of(world.users["member"])
    for user in (world.users["member"], world.users["citizen"]):
        response = _add(_signed_in(user), authenticator)
        assert response.status_code == 400
        assert response.json() == {"error": "Khóa truy cập này đã được thêm trước đây."}
    assert list(Passkey.objects.values_list("user__username", flat=True)) == ["member"]
    assert AuditEvent.objects.filter(action="passkey_add").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."),
        ("   ", "Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."),
        (None, "Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."),
        (["Điện thoại"], "Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."),
        ("x" * 65, "Tên khóa truy cập dài tối đa 64 ký tự."),
    ],
)
def test_a_passkey_needs_a_name(world, name, message):
    response = _add(_signed_in(world.users["member"]), SoftAuthenticator(), name=name)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not Passkey.objects.exists()


@pytest.mark.django_db
def test_a_name_typed_in_nfd_or_with_nul_is_stored_in_nfc_without_it(world):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Điện thoại\x00 của tôi")
    assert _add(_signed_in(world.users["member"]), SoftAuthenticator(), name=nfd).status_code == 200
    assert Passkey.objects.get().name == "Điện thoại của tôi"


@pytest.mark.django_db
def test_an_answer_without_its_ceremony_or_after_it_expired_is_refused(world):
    client = _signed_in(world.users["member"])
    authenticator = SoftAuthenticator()
    options = _post(client, "passkey_add_options").json()
    answer = authenticator.register(options)
    session = client.session
    session[PASSKEY_ADD_KEY]["at"] -= 301  # five minutes and a second ago
    session.save()
    stale = _post(client, "passkey_add", {"name": "Điện thoại", "credential": answer})
    assert stale.status_code == 400
    assert stale.json() == {"error": "Yêu cầu thêm khóa truy cập đã hết hạn. Hãy bấm “Thêm khóa truy cập” lại."}
    again = _post(client, "passkey_add", {"name": "Điện thoại", "credential": answer})  # the state was used up
    assert again.json() == {"error": "Yêu cầu thêm khóa truy cập đã hết hạn. Hãy bấm “Thêm khóa truy cập” lại."}
    assert not Passkey.objects.exists()


# --- signing in --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_with_a_passkey_signs_in_with_it_instead_of_a_code(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    assert client.session[SECOND_FACTOR_KEY] == PENDING
    assert (
        client.get(reverse("organizations:tree"))["Location"]
        == reverse("accounts:verify") + "?next=%2Forganizations%2F"
    )
    page = client.get(reverse("accounts:verify") + "?next=%2Forganizations%2F").content.decode()
    assert "Dùng khóa truy cập" in page
    assert 'name="token"' not in page  # no app and no recovery codes: nothing to type
    assert 'src="/static/accounts/passkeys.js"' in page

    options = _post(client, "passkey_sign_in_options").json()
    assert options["rpId"] == "localhost"
    assert options["allowCredentials"] == [
        {"id": b64url(authenticator.credential_id), "type": "public-key", "transports": ["internal", "hybrid"]}
    ]
    assert options["userVerification"] == "discouraged"  # the password was the first factor
    answer = authenticator.sign_in(options)
    response = _post(client, "passkey_sign_in", {"credential": answer, "next": "/organizations/"})
    assert response.status_code == 200
    assert response.json() == {"redirect": "/organizations/"}
    passkey = Passkey.objects.get()
    assert client.session[SECOND_FACTOR_KEY] == DONE
    assert client.session["otp_device_id"] == passkey.persistent_id == f"accounts.passkey/{passkey.pk}"
    assert client.get(reverse("organizations:tree")).status_code == 200
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None
    listed = client.get(reverse("accounts:second_factor")).content.decode()
    assert timezone.localtime(passkey.last_used_at).strftime("%d/%m/%Y %H:%M") in listed


@pytest.mark.django_db
def test_after_signing_in_with_a_passkey_the_browser_goes_home_never_to_another_site(world):
    authenticator = _passkey_of(world.users["deputy"])
    client = _password_sign_in(world.users["deputy"])
    response = _sign_in_with(client, authenticator, next_url="https://example.com/")
    assert response.json() == {"redirect": reverse("home")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "wrong",
    [
        {"challenge": b64url(b"y" * 64)},
        {"origin": "https://evil.example"},
        {"rp_id": "evil.example"},
    ],
)
def test_an_answer_to_another_challenge_origin_or_site_does_not_sign_in(world, wrong):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    response = _sign_in_with(client, authenticator, **wrong)
    assert response.status_code == 400
    assert response.json() == {"error": REFUSED}
    assert client.session[SECOND_FACTOR_KEY] == PENDING
    assert client.get(reverse("home")).status_code == 302
    assert Passkey.objects.get().sign_count == 0


@pytest.mark.django_db
def test_a_counter_that_does_not_go_up_is_a_copied_key_and_is_refused(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    assert _sign_in_with(_password_sign_in(secretary), authenticator, count=5).status_code == 200
    assert Passkey.objects.get().sign_count == 5
    for count in (5, 3):
        client = _password_sign_in(secretary)
        response = _sign_in_with(client, authenticator, count=count)
        assert response.status_code == 400
        assert response.json() == {"error": REFUSED}
        assert client.session[SECOND_FACTOR_KEY] == PENDING
    assert Passkey.objects.get().sign_count == 5


@pytest.mark.django_db
def test_a_signed_answer_is_used_once(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    options = _post(client, "passkey_sign_in_options").json()
    answer = authenticator.sign_in(options)
    assert _post(client, "passkey_sign_in", {"credential": answer}).status_code == 200
    other = _password_sign_in(secretary)  # replayed in another session, after asking for options of its own
    _post(other, "passkey_sign_in_options")
    replayed = _post(other, "passkey_sign_in", {"credential": answer})
    assert replayed.status_code == 400
    assert replayed.json() == {"error": REFUSED}
    assert _post(other, "passkey_sign_in", {"credential": answer}).json() == {
        "error": "Yêu cầu đã hết hạn. Hãy bấm “Dùng khóa truy cập” lại."
    }
    assert other.session[SECOND_FACTOR_KEY] == PENDING


@pytest.mark.django_db
def test_another_accounts_passkey_does_not_sign_in(world):
    deputy_key = _passkey_of(world.users["deputy"])
    _passkey_of(world.users["secretary"])
    client = _password_sign_in(world.users["secretary"])
    response = _sign_in_with(client, deputy_key)
    assert response.status_code == 400
    assert response.json() == {"error": NOT_YOURS}
    assert client.session[SECOND_FACTOR_KEY] == PENDING
    deputy_handle, deputy_key.user_handle = deputy_key.user_handle, None  # no handle: the passkey is still the deputy's
    assert _sign_in_with(client, deputy_key).json() == {"error": NOT_YOURS}
    assert client.session[SECOND_FACTOR_KEY] == PENDING
    unknown = _sign_in_with(_password_sign_in(world.users["secretary"]), SoftAuthenticator())
    assert unknown.json() == {"error": NOT_YOURS}
    # The secretary's own passkey naming the deputy's account (the user handle a device keeps with it).
    own = SoftAuthenticator()
    _passkey_of(world.users["secretary"], own, name="Máy tính")
    own.user_handle = deputy_handle
    assert _sign_in_with(_password_sign_in(world.users["secretary"]), own).json() == {"error": NOT_YOURS}
    own.user_handle = None  # a passkey that keeps no handle (a simple security key) names no account
    assert _sign_in_with(_password_sign_in(world.users["secretary"]), own).status_code == 200
    assert Passkey.objects.get(user=world.users["deputy"]).sign_count == 0


@pytest.mark.django_db
def test_signing_in_with_a_passkey_is_only_for_a_sign_in_waiting_for_it(world):
    member = world.users["member"]
    authenticator = _passkey_of(member)
    client = _signed_in(member)  # second factor given
    options = _post(client, "passkey_sign_in_options")
    assert options.status_code == 400
    assert options.json() == {"error": "Không có bước xác thực nào đang chờ. Hãy tải lại trang."}
    answer = authenticator.sign_in({"challenge": b64url(b"z" * 64)})
    assert _post(client, "passkey_sign_in", {"credential": answer}).status_code == 400
    without = _password_sign_in(world.users["deputy"])  # an officer without a passkey
    assert _post(without, "passkey_sign_in_options").json() == {"error": "Tài khoản chưa có khóa truy cập."}


@pytest.mark.django_db
def test_an_officer_may_enrol_a_passkey_instead_of_an_app_at_the_first_sign_in(world):
    """A passkey counts as the second factor required of officers."""
    office = world.users["office_staff"]
    client = _password_sign_in(office)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:setup") + "?next=%2F"
    page = client.get(reverse("accounts:setup") + "?next=%2Fpeople%2F").content.decode()
    assert "Hoặc dùng khóa truy cập" in page and "Thêm khóa truy cập" in page
    assert 'data-next="/people/"' in page
    options = _post(client, "passkey_add_options").json()
    answer = SoftAuthenticator().register(options)
    response = _post(client, "passkey_add", {"name": "Máy tính văn phòng", "credential": answer, "next": "/people/"})
    assert response.json() == {"redirect": "/people/"}
    assert client.session[SECOND_FACTOR_KEY] == DONE
    assert client.get(reverse("home")).status_code == 200
    # The next sign-in asks for it (not for an app), and the account page says it is on.
    again = _password_sign_in(office)
    assert again.get(reverse("home"))["Location"] == reverse("accounts:verify") + "?next=%2F"
    assert again.get(reverse("accounts:setup"))["Location"] == reverse("accounts:verify")


@pytest.mark.django_db
def test_a_new_passkey_cannot_stand_in_for_the_second_factor_it_should_follow(world):
    """An account with a factor adds a passkey only after giving it: the password alone adds none."""
    deputy = world.users["deputy"]
    TOTPDevice.objects.create(user=deputy, name="app", confirmed=True)
    client = _password_sign_in(deputy)
    refused = _post(client, "passkey_add_options")
    assert refused.status_code == 400
    assert refused.json() == {"error": "Hãy xác thực hai bước trước khi thêm khóa truy cập."}
    session = client.session
    session[PASSKEY_ADD_KEY] = {"challenge": b64url(b"c" * 64), "require_user_verification": False, "at": 0}
    session.save()
    answer = SoftAuthenticator().register({"challenge": b64url(b"c" * 64), "rp": {"id": "localhost"}})
    assert _post(client, "passkey_add", {"name": "x", "credential": answer}).status_code == 400
    assert not Passkey.objects.exists()
    assert client.session[SECOND_FACTOR_KEY] == PENDING


# --- removing ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_removes_a_passkey_and_with_the_last_one_two_factors_are_off(world):
    member = world.users["member"]
    _passkey_of(member, name="Điện thoại")
    _passkey_of(member, name="Máy tính")
    client = _signed_in(member)
    client.post(reverse("accounts:recovery_codes"))
    assert StaticToken.objects.filter(device__user=member).count() == 10
    phone, desk = Passkey.objects.order_by("pk")
    response = client.post(reverse("accounts:passkey_remove", args=[phone.pk]), follow=True)
    assert "Đã xóa khóa truy cập “Điện thoại”." in response.content.decode()
    assert list(Passkey.objects.values_list("name", flat=True)) == ["Máy tính"]
    assert StaticToken.objects.filter(device__user=member).count() == 10
    client.post(reverse("accounts:passkey_remove", args=[desk.pk]))
    assert not Passkey.objects.exists()
    assert not StaticDevice.objects.filter(user=member).exists()  # the recovery codes went with the last factor
    events = AuditEvent.objects.filter(action="passkey_remove").order_by("pk")
    assert [(e.actor_id, e.object_id, e.changes, e.note) for e in events] == [
        (member.pk, str(member.pk), {"passkeys": [2, 1]}, "Điện thoại"),
        (member.pk, str(member.pk), {"passkeys": [1, 0]}, "Máy tính"),
    ]
    assert events[0].action_label == "Xóa khóa truy cập"
    assert "Chưa bật." in client.get(reverse("accounts:second_factor")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "message"),
    [
        (
            "admin",
            "Đây là cách xác thực hai bước cuối cùng: quản trị viên không thể tắt xác thực hai bước của chính mình.",
        ),
        (
            "secretary",
            "Đây là cách xác thực hai bước cuối cùng, mà xác thực hai bước là bắt buộc với cán bộ và người được xem "
            "tài liệu mật. Hãy thêm khóa truy cập khác hoặc ứng dụng xác thực trước khi xóa.",
        ),
    ],
)
def test_an_officer_or_administrator_keeps_the_last_factor(world, role, message):
    user = world.users[role]
    if role == "admin":
        user.is_superuser = False  # staff alone is enough
        user.save()
    _passkey_of(user)
    passkey = Passkey.objects.get()
    client = _signed_in(user)
    response = client.post(reverse("accounts:passkey_remove", args=[passkey.pk]), follow=True)
    assert message in response.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert not AuditEvent.objects.filter(action="passkey_remove").exists()
    # With an authenticator app beside it, the passkey may go.
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.filter(action="passkey_remove").count() == 1


@pytest.mark.django_db
def test_another_accounts_passkey_is_not_there_to_remove(world):
    _passkey_of(world.users["member"])
    passkey = Passkey.objects.get()
    client = _signed_in(world.users["citizen"])
    assert client.post(reverse("accounts:passkey_remove", args=[passkey.pk])).status_code == 404
    assert client.get(reverse("accounts:passkey_remove", args=[passkey.pk])).status_code == 405
    assert (
        _signed_in(world.users["member"]).get(reverse("accounts:passkey_remove", args=[passkey.pk])).status_code == 405
    )
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert not AuditEvent.objects.filter(action="passkey_remove").exists()


@pytest.mark.django_db
def test_turning_two_factors_off_removes_the_passkeys_too(world):
    member = world.users["member"]
    _passkey_of(member)
    response = _signed_in(member).post(reverse("accounts:second_factor_off"), follow=True)
    assert "Đã tắt xác thực hai bước." in response.content.decode()
    assert not Passkey.objects.exists()


@pytest.mark.django_db
def test_an_administrator_removes_a_lost_passkey_in_the_admin(world):
    deputy = world.users["deputy"]
    _passkey_of(deputy)
    passkey = Passkey.objects.get()
    admin = _signed_in(world.users["admin"])
    assert admin.get("/admin/accounts/passkey/").status_code == 200
    assert admin.get("/admin/accounts/passkey/add/").status_code == 403
    response = admin.post(f"/admin/accounts/passkey/{passkey.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Passkey.objects.exists()
    event = AuditEvent.objects.get(action="passkey_remove")
    assert (event.actor_id, event.object_id, event.note) == (
        world.users["admin"].pk,
        str(deputy.pk),
        "Điện thoại của tôi",
    )
    assert _password_sign_in(deputy).get(reverse("home"))["Location"] == reverse("accounts:setup") + "?next=%2F"


# --- what a browser sends ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_write_needs_the_csrf_token(world):
    member = world.users["member"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert _post(client, "passkey_add_options").status_code == 403
    client.get(reverse("accounts:second_factor"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert _post(client, "passkey_add_options", HTTP_X_CSRFTOKEN=token).status_code == 200
    _passkey_of(member)
    passkey = Passkey.objects.get()
    assert client.post(reverse("accounts:passkey_remove", args=[passkey.pk])).status_code == 403
    assert Passkey.objects.filter(pk=passkey.pk).exists()


NO_ANSWER = "Trình duyệt không gửi khóa truy cập. Hãy thử lại."


def _answer_with(answer, extra=None, **changes):
    """``answer`` (a dict of the authenticator) with top-level fields changed, or its response's fields (response=)."""
    changed = {**answer, **changes}
    if isinstance(changes.get("response"), dict):
        changed["response"] = {**answer["response"], **changes["response"]}
    return {**(extra or {}), "credential": changed}


def _bad_adds(answer):
    """(body, content type, the message; None where the answer is still good: an unsigned hint dropped, unknown
    transports left out) — each built on an answer to the ceremony under way."""
    named = {"name": "Điện thoại"}
    bad = [
        ("{", UNREADABLE),
        ("", UNREADABLE),
        ("[1, 2]", UNREADABLE),
        ('"credential"', UNREADABLE),
        ('{"name": "a\x00b"}', UNREADABLE),  # a raw NUL is not JSON
        (b'{"name": "\xff\xfe"}', UNREADABLE),  # not UTF-8
        ("[" * 60_000, UNREADABLE),  # nested past Python's recursion limit
        (json.dumps({"name": "x" * 70_000}), TOO_LARGE),
        ("x" * 3_000_000, TOO_LARGE),  # past Django's own limit too
        (json.dumps(named), NO_ANSWER),
        (json.dumps({**named, "credential": "abc"}), NO_ANSWER),
        (json.dumps(_answer_with(answer, named, rawId=5)), REFUSED),
        (json.dumps(_answer_with(answer, named, rawId="\u0000")), REFUSED),
        (json.dumps(_answer_with(answer, named, id="!!", rawId="!!")), REFUSED),
        (json.dumps(_answer_with(answer, named, response=[])), REFUSED),
        (json.dumps(_answer_with(answer, named, type=["public-key"])), REFUSED),
        (json.dumps(_answer_with(answer, named, response={"clientDataJSON": "\u0000"})), REFUSED),
        (json.dumps(_answer_with(answer, named, response={"attestationObject": b64url(b"\xa0" * 40)})), REFUSED),
        (json.dumps(_answer_with(answer, named, response={"attestationObject": b64url(b"\xff" * 40)})), REFUSED),
        (json.dumps(_answer_with(answer, named, clientExtensionResults=[])), None),
        (json.dumps(_answer_with(answer, named, clientExtensionResults={"credProps": {"rk": "yes"}})), None),
        (json.dumps(_answer_with(answer, named, response={"transports": [{}, 5, None, "usb"]})), None),
    ]
    return [(body, "application/json", message) for body, message in bad] + [
        ("name=x&credential=y", "application/x-www-form-urlencoded", UNREADABLE),
    ]


@pytest.mark.django_db
def test_bad_input_when_adding_is_a_400_in_vietnamese_never_a_500(world):
    """Malformed JSON, NUL bytes, other encodings, huge and deeply nested bodies, wrong types in every field."""
    client = _signed_in(world.users["member"])
    count = len(_bad_adds(SoftAuthenticator().register({"challenge": "", "rp": {"id": "localhost"}})))
    for i in range(count):
        answer = SoftAuthenticator().register(_post(client, "passkey_add_options").json())
        body, content_type, message = _bad_adds(answer)[i]
        response = _post(client, "passkey_add", raw=body, content_type=content_type)
        if message is None:
            assert response.status_code == 200, body[:200]
        else:
            assert response.status_code == 400, body[:200]
            assert response.json() == {"error": message}, body[:200]
    assert Passkey.objects.count() == 3
    assert AuditEvent.objects.filter(action="passkey_add").count() == 3
    assert sorted(Passkey.objects.values_list("transports", flat=True)) == [["internal", "hybrid"]] * 2 + [["usb"]]
    assert list(Passkey.objects.values_list("discoverable", flat=True).order_by("pk")) == [None, None, True]


def _bad_sign_ins(answer):
    return [
        ("{", UNREADABLE),
        ('{"credential": "\x00"}', UNREADABLE),
        (json.dumps({"credential": None}), NO_ANSWER),
        (json.dumps(_answer_with(answer, rawId="\u0000")), NOT_YOURS),
        (json.dumps(_answer_with(answer, rawId=[1])), REFUSED),
        (json.dumps(_answer_with(answer, id="x")), REFUSED),
        (json.dumps(_answer_with(answer, response={"userHandle": 7})), REFUSED),
        (json.dumps(_answer_with(answer, response={"userHandle": "@@@@@"})), NOT_YOURS),
        (json.dumps(_answer_with(answer, response={"userHandle": ""})), NOT_YOURS),
        (json.dumps(_answer_with(answer, response={"signature": "AAAA"})), REFUSED),
        (json.dumps(_answer_with(answer, response={"signature": "\u0000"})), REFUSED),
        (json.dumps(_answer_with(answer, response={"authenticatorData": "AAAA"})), REFUSED),
        (json.dumps(_answer_with(answer, response={"clientDataJSON": b64url(b"{}")})), REFUSED),
        (json.dumps(_answer_with(answer, response={"clientDataJSON": b64url(b"\xff")})), REFUSED),
        (json.dumps({**_answer_with(answer), "pad": "x" * 70_000}), TOO_LARGE),
    ]


@pytest.mark.django_db
def test_bad_input_when_signing_in_is_a_400_in_vietnamese_never_a_500(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    for i in range(len(_bad_sign_ins(authenticator.sign_in({"challenge": ""})))):
        answer = authenticator.sign_in(_post(client, "passkey_sign_in_options").json())
        body, message = _bad_sign_ins(answer)[i]
        response = _post(client, "passkey_sign_in", raw=body)
        assert response.status_code == 400, (i, body[:200])
        assert response.json() == {"error": message}, (i, body[:200])
        assert client.session[SECOND_FACTOR_KEY] == PENDING
    assert _sign_in_with(client, authenticator).status_code == 200  # its counter went up with each answer made


@pytest.mark.django_db
def test_a_length_past_any_number_or_a_next_with_nul_changes_nothing(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    answer = authenticator.sign_in(_post(client, "passkey_sign_in_options").json())
    huge = _post(client, "passkey_sign_in", {"credential": answer}, CONTENT_LENGTH="9" * 25)
    assert huge.status_code == 400
    assert huge.json() == {"error": TOO_LARGE}
    response = _sign_in_with(client, authenticator, next_url="/organizations/\x00x")
    assert response.json() == {"redirect": reverse("home")}


@pytest.mark.django_db
def test_a_ceremony_begun_long_ago_is_not_finished(world):
    secretary = world.users["secretary"]
    authenticator = _passkey_of(secretary)
    client = _password_sign_in(secretary)
    options = _post(client, "passkey_sign_in_options").json()
    session = client.session
    session["accounts.passkey_sign_in"]["at"] = (timezone.now() - dt.timedelta(minutes=6)).timestamp()
    session.save()
    response = _post(client, "passkey_sign_in", {"credential": authenticator.sign_in(options)})
    assert response.json() == {"error": "Yêu cầu đã hết hạn. Hãy bấm “Dùng khóa truy cập” lại."}
    assert client.session[SECOND_FACTOR_KEY] == PENDING
