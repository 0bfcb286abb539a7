"""Pages about one's own account: signing in, password reset by email, one's sessions, two-factor authentication
(an authenticator app, recovery codes, passkeys)."""

from __future__ import annotations

import datetime as dt
import time
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from dongthuan.accounts import passkeys, policy, selectors, services
from dongthuan.accounts.devices import DEVICE_COOKIE, DEVICE_COOKIE_AGE, device_label
from dongthuan.accounts.forms import SecondFactorForm, json_object
from dongthuan.accounts.middleware import DONE, NOT_ASKED, PENDING, SECOND_FACTOR_KEY, SEEN_KEY, SIGN_IN_KEY
from dongthuan.accounts.models import Passkey, SignIn
from dongthuan.core import throttle
from dongthuan.core.errors import DomainError
from dongthuan.core.http import client_address, int_param


class LoginView(auth_views.LoginView):
    """Django's sign-in, then: the session is recorded for the list of one's sessions, a browser not seen before
    gets a device cookie (and the account's email is told of a new device), an officer's session lasts a working
    day without activity, and whoever must give a second factor is marked so (SecondFactorMiddleware sends them
    to it before any page)."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        request = self.request
        user = form.get_user()
        request.session.set_expiry(policy.session_seconds(user))
        request.session[SECOND_FACTOR_KEY] = PENDING if policy.must_give_second_factor(user) else NOT_ASKED
        request.session.save()  # gives the session its key now
        sign_in, token = services.sign_in_record(
            actor=user,
            session_key=request.session.session_key or "",
            user_agent=request.headers.get("User-Agent", ""),
            address=client_address(request),
            device_token=request.COOKIES.get(DEVICE_COOKIE, ""),
            sessions_url=request.build_absolute_uri(reverse("accounts:sessions")),
        )
        request.session[SIGN_IN_KEY] = sign_in.pk
        request.session[SEEN_KEY] = int(time.time())
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin signs in through the product's login page (lockout, sessions and the second factor apply)."""
    if request.user.is_authenticated:
        return redirect("admin:index")
    return HttpResponseRedirect(
        reverse("login") + "?" + urlencode({"next": request.GET.get("next", reverse("admin:index"))})
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the email of the account. The answer is the same whether or not an account has that email (nobody
    learns who has an account); at most 5 requests an hour from one address and 3 for one email are sent, so the
    form cannot be used to flood someone's mailbox."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        allowed = throttle.allow(
            [
                ("password_reset_address", client_address(self.request), 5, dt.timedelta(hours=1)),
                ("password_reset_email", form.cleaned_data["email"], 3, dt.timedelta(hours=1)),
            ]
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets the new password (checked by the password policy). A person who proved they hold the mailbox is no
    longer locked out by earlier wrong passwords; every session of the account ends (Django signs sessions with
    the password; they are also deleted, so none stays in the list of sessions)."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_unlock(actor=form.user, user=form.user)
        services.sign_ins_end_others(actor=form.user, current_key="")  # gone from the list of sessions too
        return response


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key
    rows = [
        {"row": row, "device": device_label(row.user_agent), "current": row.session_key == current}
        for row in selectors.live_sign_ins(request.user)
    ]
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "others": sum(1 for r in rows if not r["current"]), "recorded": SIGN_IN_KEY in request.session},
    )


def _own_sign_in(request: HttpRequest, sign_in_id: str) -> SignIn:
    row = selectors.own_sign_in(request.user, int_param(sign_in_id))
    if row is None:
        raise Http404
    return row


@login_required
@require_POST
def session_end(request: HttpRequest, sign_in_id: str) -> HttpResponse:
    row = _own_sign_in(request, sign_in_id)
    try:
        services.sign_in_end(actor=request.user, sign_in=row, current_key=request.session.session_key or "")
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã đăng xuất phiên trên %(device)s.") % {"device": device_label(row.user_agent)})
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = services.sign_ins_end_others(actor=request.user, current_key=request.session.session_key or "")
    messages.success(
        request,
        ngettext("Đã đăng xuất %(count)d phiên khác.", "Đã đăng xuất %(count)d phiên khác.", count) % {"count": count},
    )
    return redirect("accounts:sessions")


# --- two-factor authentication -------------------------------------------------------------------------------


def _second_factor_form(request: HttpRequest) -> SecondFactorForm:
    return SecondFactorForm(request.POST) if request.method == "POST" else SecondFactorForm()


def _next_url(request: HttpRequest, target: Any = None, form: SecondFactorForm | None = None) -> str:
    """Where to go after the second factor: ``target`` (a passkey's answer), else the form's or the address's
    ``next``, if it stays on this site; else the home page."""
    if target is None:
        target = (form.value("next") if form is not None else "") or request.GET.get("next") or ""
    if isinstance(target, str) and "\x00" in target:
        target = ""
    if (
        isinstance(target, str)
        and target
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return reverse("home")


def _second_factor_given(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session[SECOND_FACTOR_KEY] = DONE


def _passkey_context(request: HttpRequest) -> dict[str, Any]:
    """What the passkey forms (accounts/_passkey_*.html, accounts/passkeys.js) need."""
    return {"passkey_rp_id": settings.PASSKEY_RP_ID, "passkey_name_max": passkeys.NAME_MAX}


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """One's two-factor authentication: on or off, whether it is required, the authenticator app, one's passkeys
    (name, added, last used) and the recovery codes left."""
    user = request.user
    keys = selectors.passkeys_of(user)
    app = policy.has_app(user)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "on": app or bool(keys),
            "app": app,
            "passkeys": keys,
            "required": policy.second_factor_required(user),
            "codes_left": selectors.recovery_codes_left(user),
            **_passkey_context(request),
        },
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then give the code it shows. Whoever has no
    second factor yet may add a passkey here instead."""
    pending = request.session.get(SECOND_FACTOR_KEY) == PENDING
    if pending and policy.second_factor_on(request.user):
        return redirect(reverse("accounts:verify"))
    if policy.has_app(request.user):
        return redirect(reverse("accounts:second_factor"))
    device = services.totp_device_pending(actor=request.user)
    form = _second_factor_form(request)
    error = ""
    if request.method == "POST":
        try:
            codes = services.totp_confirm(actor=request.user, device=device, token=form.value("token"))
        except DomainError as refused:
            error = refused.messages[0]
        else:
            _second_factor_given(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request, form=form)}
            )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#212529", light="#ffffff")
    return render(
        request,
        "accounts/setup.html",
        {
            "qr": mark_safe(qr),  # noqa: S308 - SVG made by segno from our own otpauth URL
            "key": b32encode(device.bin_key).decode(),
            "error": error,
            "next": request.GET.get("next") or form.value("next"),
            "required": policy.second_factor_required(request.user),
            "first": not policy.second_factor_on(request.user),
            **_passkey_context(request),
        },
        status=200 if not error else 400,
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Give the second factor after the password: a code of the authenticator app or a recovery code."""
    form = _second_factor_form(request)
    if request.session.get(SECOND_FACTOR_KEY) != PENDING:
        return redirect(_next_url(request, form=form))
    error = ""
    if request.method == "POST":
        try:
            device = services.second_factor_check(actor=request.user, token=form.value("token"))
        except DomainError as refused:
            error = refused.messages[0]
        else:
            _second_factor_given(request, device)
            return redirect(_next_url(request, form=form))
    user = request.user
    return render(
        request,
        "accounts/verify.html",
        {
            "error": error,
            "next": request.GET.get("next") or form.value("next"),
            "app": policy.has_app(user),
            "codes": selectors.recovery_codes_left(user) > 0,
            "passkey": policy.has_passkey(user),
            **_passkey_context(request),
        },
        status=200 if not error else 400,
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_renew(actor=request.user)
    except DomainError as refused:
        messages.error(request, refused.messages[0])
        return redirect("accounts:second_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:second_factor")})


@login_required
@require_POST
def second_factor_off(request: HttpRequest) -> HttpResponse:
    try:
        services.second_factor_off(actor=request.user)
    except DomainError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("accounts:second_factor")


# --- passkeys ----------------------------------------------------------------------------------------------------
# The browser's side is accounts/static/accounts/passkeys.js: each ceremony asks for its options (JSON), lets the
# browser make or use the passkey, and sends the answer back (JSON, with the CSRF token in X-CSRFToken). A refusal
# is a 400 with {"error": message}; success gives {"redirect": url}.

PASSKEY_ADD_KEY = "accounts.passkey_add"  # the registration ceremony in progress
PASSKEY_SIGN_IN_KEY = "accounts.passkey_sign_in"  # the sign-in ceremony in progress


def _pending(request: HttpRequest) -> bool:
    """The session waits for its second factor (right after the password)."""
    return request.session.get(SECOND_FACTOR_KEY) == PENDING


def _refused(error: DomainError) -> JsonResponse:
    return JsonResponse({"error": error.messages[0]}, status=400)


@login_required
@require_POST
def passkey_add_options(request: HttpRequest) -> HttpResponse:
    try:
        policy.check_may_add_passkey(request.user, second_factor_pending=_pending(request))
        options, state = services.passkey_add_begin(actor=request.user)
    except DomainError as refused:
        return _refused(refused)
    request.session[PASSKEY_ADD_KEY] = state
    return JsonResponse(options)


@login_required
@require_POST
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Keep the passkey the browser made, with the name typed beside the button."""
    state = request.session.pop(PASSKEY_ADD_KEY, None)  # used once, whatever the outcome
    pending = _pending(request)
    try:
        policy.check_may_add_passkey(request.user, second_factor_pending=pending)
        data = json_object(request)
        passkey = services.passkey_add(
            actor=request.user,
            name=data.get("name"),
            state=state,
            credential=data.get("credential"),
            user_agent=request.headers.get("User-Agent", ""),
            address=client_address(request),
            second_factor_url=request.build_absolute_uri(reverse("accounts:second_factor")),
        )
    except DomainError as refused:
        return _refused(refused)
    messages.success(request, _("Đã thêm khóa truy cập “%(name)s”.") % {"name": passkey.name})
    if pending:  # the account's first second factor, added right after the password
        _second_factor_given(request, passkey)
        return JsonResponse({"redirect": _next_url(request, data.get("next"))})
    return JsonResponse({"redirect": reverse("accounts:second_factor")})


@login_required
@require_POST
def passkey_sign_in_options(request: HttpRequest) -> HttpResponse:
    try:
        policy.check_second_factor_pending(second_factor_pending=_pending(request))
        options, state = services.passkey_sign_in_begin(actor=request.user)
    except DomainError as refused:
        return _refused(refused)
    request.session[PASSKEY_SIGN_IN_KEY] = state
    return JsonResponse(options)


@login_required
@require_POST
def passkey_sign_in(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a passkey instead of a code."""
    state = request.session.pop(PASSKEY_SIGN_IN_KEY, None)  # used once, whatever the outcome
    try:
        policy.check_second_factor_pending(second_factor_pending=_pending(request))
        data = json_object(request)
        passkey = services.passkey_check(actor=request.user, state=state, credential=data.get("credential"))
    except DomainError as refused:
        return _refused(refused)
    _second_factor_given(request, passkey)
    return JsonResponse({"redirect": _next_url(request, data.get("next"))})


def _own_passkey(request: HttpRequest, passkey_id: str) -> Passkey:
    passkey = selectors.own_passkey(request.user, int_param(passkey_id, digits=18))
    if passkey is None:
        raise Http404
    return passkey


@login_required
@require_POST
def passkey_remove(request: HttpRequest, passkey_id: str) -> HttpResponse:
    passkey = _own_passkey(request, passkey_id)
    name = passkey.name
    try:
        services.passkey_remove(actor=request.user, passkey=passkey)
    except DomainError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("Đã xóa khóa truy cập “%(name)s”.") % {"name": name})
    return redirect("accounts:second_factor")
