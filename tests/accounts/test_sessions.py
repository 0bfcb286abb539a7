"""One's own sessions: the list, signing out one or every other, the email on a new device, and the officers'
working-day sessions. Through the login page and HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from dongthuan.accounts.middleware import SEEN_KEY
from dongthuan.accounts.models import Device, SignIn
from dongthuan.audit.models import AuditEvent

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _password(user, email="nam@trungmy.vn"):
    user.email = email
    user.set_password("mat-khau-dung-9")
    user.save()
    return user


def _sign_in(user, agent=CHROME_WINDOWS, address="203.0.113.5", client=None):
    client = client or Client()
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "mat-khau-dung-9"},
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302
    return client


def _signed_in(client):
    """The client's session is still alive (officers would first be asked for their second factor)."""
    key = client.cookies["sessionid"].value
    return Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()


@pytest.mark.django_db
def test_the_sessions_page_lists_ones_own_sessions_with_device_address_and_dates(world, django_assert_num_queries):
    member = _password(world.users["member"])
    phone = _sign_in(member, SAFARI_IPHONE, "198.51.100.20")
    desk = _sign_in(member, CHROME_WINDOWS, "203.0.113.5")
    _sign_in(_password(world.users["deputy"], "lan@trungmy.vn"), FIREFOX_LINUX)  # another account: not listed
    # session, user, sign-ins, live sessions, the navigation's person and posts, and whether the member has been named
    # on a classified record since signing in (a password-only session is judged again on every request)
    with django_assert_num_queries(7):
        response = desk.get(reverse("accounts:sessions"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["device"], r["row"].address, r["current"]) for r in rows] == [
        ("Chrome trên Windows", "203.0.113.5", True),
        ("Safari trên iPhone", "198.51.100.20", False),
    ]
    today = timezone.localdate().strftime("%d/%m/%Y")
    page = response.content.decode()
    assert page.count(today) == 4
    assert "Đăng xuất mọi nơi khác" in page
    assert _signed_in(phone)


@pytest.mark.django_db
def test_signing_out_one_session_ends_it_and_keeps_the_others(world):
    member = _password(world.users["member"])
    phone = _sign_in(member, SAFARI_IPHONE)
    desk = _sign_in(member, CHROME_WINDOWS)
    laptop = _sign_in(member, FIREFOX_LINUX)
    target = SignIn.objects.get(session_key=phone.session.session_key)
    response = desk.post(reverse("accounts:session_end", args=[target.pk]), follow=True)
    assert "Đã đăng xuất phiên trên Safari trên iPhone." in response.content.decode()
    assert not _signed_in(phone)
    assert _signed_in(desk) and _signed_in(laptop)
    event = AuditEvent.objects.get(action="sign_out")
    assert (event.actor_id, event.object_id, event.changes) == (member.pk, str(member.pk), {"sessions": [1, 0]})


@pytest.mark.django_db
def test_sign_out_everywhere_else(world):
    member = _password(world.users["member"])
    others = [_sign_in(member, SAFARI_IPHONE), _sign_in(member, FIREFOX_LINUX)]
    desk = _sign_in(member, CHROME_WINDOWS)
    deputy = _sign_in(_password(world.users["deputy"], "lan@trungmy.vn"))
    response = desk.post(reverse("accounts:sessions_end_others"), follow=True)
    assert "Đã đăng xuất 2 phiên khác." in response.content.decode()
    assert [_signed_in(c) for c in others] == [False, False]
    assert _signed_in(desk) and _signed_in(deputy)
    assert SignIn.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_nobody_ends_another_accounts_session_or_the_one_in_use(world):
    member = _password(world.users["member"])
    deputy = _sign_in(_password(world.users["deputy"], "lan@trungmy.vn"))
    desk = _sign_in(member)
    theirs = SignIn.objects.get(session_key=deputy.session.session_key)
    mine = SignIn.objects.get(session_key=desk.session.session_key)
    assert desk.post(reverse("accounts:session_end", args=[theirs.pk])).status_code == 404
    assert desk.post(reverse("accounts:session_end", args=["1" * 21])).status_code == 404
    response = desk.post(reverse("accounts:session_end", args=[mine.pk]), follow=True)
    assert "Đây là phiên đang dùng: hãy bấm “Đăng xuất”." in response.content.decode()
    assert _signed_in(deputy) and _signed_in(desk)
    assert SignIn.objects.count() == 2
    assert not AuditEvent.objects.filter(action="sign_out").exists()
    assert desk.get(reverse("accounts:session_end", args=[mine.pk])).status_code == 405


@pytest.mark.django_db
@LOCMEM
def test_an_email_tells_of_a_sign_in_from_a_new_device(world, django_capture_on_commit_callbacks):
    member = _password(world.users["member"])
    with django_capture_on_commit_callbacks(execute=True):
        desk = _sign_in(member, CHROME_WINDOWS)  # the first device ever: nothing to warn of
        desk.post(reverse("logout"))
        _sign_in(member, CHROME_WINDOWS, client=desk)  # the same browser again (its device cookie)
    assert mail.outbox == []
    assert Device.objects.filter(user=member).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        _sign_in(member, SAFARI_IPHONE, "198.51.100.20")
    (letter,) = mail.outbox
    assert letter.subject == "Đăng nhập Đồng Thuận từ một thiết bị mới"
    assert letter.to == ["nam@trungmy.vn"]
    at = timezone.localtime(SignIn.objects.latest("pk").started_at).strftime("%H:%M %d/%m/%Y")
    assert (
        f"Tài khoản member vừa đăng nhập Đồng Thuận từ một thiết bị chưa dùng trước đây: Safari trên iPhone, "
        f"địa chỉ 198.51.100.20, lúc {at}." in letter.body
    )
    assert "http://testserver/accounts/sessions/" in letter.body
    assert Device.objects.filter(user=member).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "seconds"),
    [
        ("secretary", 9 * 3600),
        ("office_staff", 9 * 3600),
        ("committee_member", 9 * 3600),
        ("admin", 9 * 3600),
        ("member", 14 * 24 * 3600),
        ("citizen", 14 * 24 * 3600),
    ],
)
def test_officers_sessions_end_after_a_working_day_without_activity(world, role, seconds):
    user = _password(world.users[role])
    client = _sign_in(user)
    session = Session.objects.get(session_key=client.session.session_key)
    expected = timezone.now() + dt.timedelta(seconds=seconds)
    assert abs((session.expire_date - expected).total_seconds()) < 60


@pytest.mark.django_db
def test_activity_moves_the_last_activity_and_the_expiry_on(world):
    client = _sign_in(_password(world.users["secretary"]))
    row = SignIn.objects.get()
    old = timezone.now() - dt.timedelta(hours=8)
    SignIn.objects.filter(pk=row.pk).update(last_seen=old)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=old + dt.timedelta(hours=9))
    session = client.session
    session[SEEN_KEY] = 0
    session.save()
    client.get(reverse("accounts:setup"))  # the secretary's first page: enrolling the second factor
    assert (timezone.now() - SignIn.objects.get().last_seen).total_seconds() < 60
    expire = Session.objects.get(pk=client.session.session_key).expire_date
    assert abs((expire - timezone.now() - dt.timedelta(hours=9)).total_seconds()) < 60


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_products_login_page(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2Fuser%2F"
