"""Pages about one's own account: signing in, password reset by email, one's sessions."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dongthuan.accounts import selectors, services
from dongthuan.accounts.devices import DEVICE_COOKIE, DEVICE_COOKIE_AGE, device_label
from dongthuan.accounts.middleware import SEEN_KEY, SIGN_IN_KEY
from dongthuan.accounts.models import SignIn
from dongthuan.accounts.policy import session_seconds
from dongthuan.core import throttle
from dongthuan.core.errors import DomainError
from dongthuan.core.http import client_address, int_param


class LoginView(auth_views.LoginView):
    """Django's sign-in, then: the session is recorded for the list of one's sessions, a browser not seen before
    gets a device cookie (and the account's email is told of a new device), and an officer's session lasts a
    working day without activity."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        request = self.request
        user = form.get_user()
        request.session.set_expiry(session_seconds(user))
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
    longer locked out by earlier wrong passwords; every other session of the account ends (Django signs sessions
    with the password)."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_unlock(actor=form.user, user=form.user)
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
    pk = int_param(sign_in_id)
    row = SignIn.objects.filter(user_id=request.user.pk or 0, pk=pk).first() if pk is not None else None
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
