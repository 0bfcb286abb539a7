"""Two-factor authentication through the pages: required of officers, administrators and named readers of a
classified record after the password, optional for members; recovery codes; administrators keep it on."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dongthuan.accounts.middleware import SECOND_FACTOR_KEY
from dongthuan.audit.models import AuditEvent
from dongthuan.core.models import AccessGrant

NO_THROTTLE = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def _sign_in(user, client=None):
    user.set_password("mat-khau-dung-9")
    user.save()
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "mat-khau-dung-9"})
    assert response.status_code == 302
    return client


def _app(user):
    """A confirmed authenticator app and three recovery codes, as enrolment leaves them."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    for code in ("abcd2345", "efgh6723", "ijkl2457"):
        StaticToken.objects.create(device=static, token=code)
    return device


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "deputy", "committee_member", "office_staff", "admin"])
def test_an_officer_must_enrol_before_reaching_any_page(world, role):
    client = _sign_in(world.users[role])
    for url in (reverse("home"), reverse("organizations:tree"), reverse("accounts:sessions"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("accounts:setup") + "?next=" + url.replace("/", "%2F")
    page = client.get(reverse("accounts:setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cần bật xác thực hai bước trước khi tiếp tục" in html
    assert "<svg" in html and "<script" not in html.split("</nav>", 1)[1]
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.django_db
@NO_THROTTLE
def test_enrolment_with_a_wrong_code_changes_nothing_then_the_right_code_turns_it_on(world):
    user = world.users["secretary"]
    client = _sign_in(user)
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=user)
    refused = client.post(reverse("accounts:setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert refused.status_code == 400
    assert "Mã không đúng. Hãy nhập mã 6 chữ số ứng dụng đang hiển thị." in refused.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("accounts:setup"), {"token": _code(device), "next": "/organizations/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is True
    assert client.session[SECOND_FACTOR_KEY] == "done"
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="second_factor_on")
    assert (event.actor_id, event.object_id) == (user.pk, str(user.pk))


@pytest.mark.django_db
@NO_THROTTLE
def test_the_next_sign_in_asks_for_a_code_of_the_app(world):
    user = world.users["deputy"]
    device = _app(user)
    client = _sign_in(user)
    response = client.get(reverse("organizations:tree"))
    assert response["Location"] == reverse("accounts:verify") + "?next=%2Forganizations%2F"
    assert client.get(reverse("accounts:setup"))["Location"] == reverse("accounts:verify")  # no second app
    wrong = client.post(reverse("accounts:verify"), {"token": "12345", "next": "/organizations/"})
    assert wrong.status_code == 400
    assert "Mã không đúng hoặc đã dùng. Hãy thử lại với mã mới." in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    right = client.post(reverse("accounts:verify"), {"token": _code(device), "next": "/organizations/"})
    assert right.status_code == 302
    assert right["Location"] == "/organizations/"
    assert client.get(reverse("home")).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


@pytest.mark.django_db
def test_wrong_codes_slow_the_next_tries_down(world):
    user = world.users["deputy"]
    device = _app(user)
    client = _sign_in(user)
    client.post(reverse("accounts:verify"), {"token": "999999" if _code(device) != "999999" else "111111"})
    response = client.post(reverse("accounts:verify"), {"token": _code(device)})  # right, but within the delay
    assert response.status_code == 400
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
@NO_THROTTLE
def test_a_recovery_code_works_once_and_is_not_redirected_elsewhere(world):
    user = world.users["secretary"]
    _app(user)
    client = _sign_in(user)
    response = client.post(reverse("accounts:verify"), {"token": "EFGH 6723", "next": "https://example.com/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # never to another site
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == ["abcd2345", "ijkl2457"]
    client.post(reverse("logout"))
    again = _sign_in(user)
    assert again.post(reverse("accounts:verify"), {"token": "efgh6723"}).status_code == 400
    assert again.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_a_member_named_on_a_classified_record_must_use_two_factors(world):
    person = world.people["committee_member"]
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk), user=world.users["member"]
    )
    client = _sign_in(world.users["member"])
    assert client.get(reverse("home"))["Location"] == reverse("accounts:setup") + "?next=%2F"


@pytest.mark.django_db
@NO_THROTTLE
def test_two_factors_are_optional_for_a_member_who_may_turn_them_on_and_off(world):
    user = world.users["member"]
    client = _sign_in(user)
    assert client.get(reverse("home")).status_code == 200  # not asked
    page = client.get(reverse("accounts:second_factor"))
    assert "Chưa bật." in page.content.decode()
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("accounts:setup"), {"token": _code(device)}).status_code == 200
    client.post(reverse("logout"))
    client = _sign_in(user)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:verify") + "?next=%2F"
    client.post(reverse("accounts:verify"), {"token": "abcd2345"})  # not a code of this account
    assert client.get(reverse("home")).status_code == 302
    code = StaticToken.objects.filter(device__user=user).first().token
    client.post(reverse("accounts:verify"), {"token": code})
    response = client.post(reverse("accounts:second_factor_off"), follow=True)
    assert "Đã tắt xác thực hai bước." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("admin", "Quản trị viên không thể tắt xác thực hai bước của chính mình."),
        ("secretary", "Xác thực hai bước là bắt buộc với cán bộ và người được xem tài liệu mật."),
    ],
)
def test_administrators_and_officers_cannot_turn_it_off(client, world, role, message):
    user = world.users[role]
    if role == "admin":
        user.is_superuser = False  # staff alone is enough
        user.save()
    _app(user)
    client.force_login(user)
    page = client.get(reverse("accounts:second_factor"))
    assert "Tắt xác thực hai bước" not in page.content.decode()
    response = client.post(reverse("accounts:second_factor_off"), follow=True)
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 3
    assert not AuditEvent.objects.filter(action="second_factor_off").exists()


@pytest.mark.django_db
def test_a_session_no_login_page_marked_is_judged_on_its_next_request(world):
    """Sessions that began before the rule (or by any other path) are not let through."""
    client = Client()
    client.force_login(world.users["office_staff"])
    session = client.session
    del session[SECOND_FACTOR_KEY]
    session.save()
    assert client.get(reverse("home"))["Location"] == reverse("accounts:setup") + "?next=%2F"
    member = Client()
    member.force_login(world.users["member"])
    session = member.session
    del session[SECOND_FACTOR_KEY]
    session.save()
    assert member.get(reverse("home")).status_code == 200


@pytest.mark.django_db
@NO_THROTTLE
def test_new_recovery_codes_replace_the_old_ones(client, world):
    user = world.users["secretary"]
    _app(user)
    client.force_login(user)
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    codes = response.context["codes"]
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
    assert "abcd2345" not in codes


@pytest.mark.django_db
@NO_THROTTLE
def test_the_code_and_next_come_through_a_form(world):
    """The page reads the code and ``next`` from SecondFactorForm; NUL bytes are dropped before any view
    (core.inputs), so a code typed with one still counts, and a wrong one gets the page's own message."""
    user = world.users["deputy"]
    device = _app(user)
    client = _sign_in(user)
    refused = client.post(reverse("accounts:verify"), {"token": "\x00", "next": "/organizations/"})
    assert refused.status_code == 400
    assert "Mã không đúng hoặc đã dùng. Hãy thử lại với mã mới." in refused.content.decode()
    assert client.session[SECOND_FACTOR_KEY] == "pending"
    code = _code(device)
    right = client.post(
        reverse("accounts:verify"), {"token": code[:3] + "\x00" + code[3:], "next": "/organizations/\x00"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/organizations/"


@pytest.mark.django_db
def test_second_factor_form_keeps_the_first_twenty_characters_of_the_code():
    from dongthuan.accounts.forms import SecondFactorForm

    form = SecondFactorForm({"token": " 123 456" + " " * 30 + "9", "next": "/a/"})
    assert form.value("token") == " 123 456" + " " * 12
    assert form.value("next") == "/a/"
    assert SecondFactorForm().value("token") == ""
    assert SecondFactorForm({"token": "1\x002"}).value("token") == ""


@pytest.mark.django_db
def test_refusals_about_ones_account_carry_their_family_and_code(world):
    from django.contrib.auth.models import AnonymousUser

    from dongthuan.accounts import services
    from dongthuan.core.errors import AccessError, ErrorCode, StateError

    for actor in (None, AnonymousUser()):
        with pytest.raises(AccessError) as nobody:
            services.recovery_codes_renew(actor=actor)
        assert nobody.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(StateError) as off:
        services.recovery_codes_renew(actor=world.users["member"])
    assert off.value.code == ErrorCode.SECOND_FACTOR_NOT_ON
    assert off.value.messages == ["Hãy bật xác thực hai bước trước."]
    with pytest.raises(StateError) as kept:
        services.second_factor_off(actor=world.users["admin"])
    assert kept.value.code == ErrorCode.SECOND_FACTOR_KEPT
