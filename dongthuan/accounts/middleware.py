"""What every signed-in request passes through: the session's record is kept current (one's list of sessions shows
when each was last used, and an officer's session ends after a working day without activity), and the second
factor is asked for before any page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dongthuan.accounts.models import SignIn

SIGN_IN_KEY = "accounts.sign_in"  # the SignIn row of this session (set by the login page)
SEEN_KEY = "accounts.seen"  # when the row was last touched (seconds since the epoch)
TOUCH_EVERY = 300  # seconds: at most one write per session every five minutes


class SessionActivityMiddleware:
    """Touches the session's SignIn row at most every five minutes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        sign_in_id = session.get(SIGN_IN_KEY)
        if sign_in_id is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(SEEN_KEY, 0)) >= TOUCH_EVERY:
                # Saving the session moves its expiry on: the officer's working day counts from the last activity.
                session[SEEN_KEY] = now
                SignIn.objects.filter(pk=sign_in_id).update(last_seen=timezone.now())
        return self.get_response(request)


SECOND_FACTOR_KEY = "accounts.second_factor"  # "pending" until the second factor is given, then "done"
# A session that was not asked for a second factor (a member's, signed in with the password alone): judged again on
# every request, so that an account given an officer's post or named on a classified record is asked at once.
PENDING, DONE, NOT_ASKED = "pending", "done", "not_asked"


class SecondFactorMiddleware:
    """Whoever must give a second factor (set by the login page, accounts/policy.py) reaches only the pages that
    take it — enrolling an authenticator app or a first passkey, giving a code or using a passkey — and signing
    out, until they have given it.

    A session that no login page marked (one that began before this rule) is judged on its next request; one that
    was not asked (nothing required it at sign-in) is judged again on every request — the account may have been
    given an officer's post or named on a classified record since: one query, on members' requests only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            state = request.session.get(SECOND_FACTOR_KEY)
            if state is None or state == NOT_ASKED:
                from dongthuan.accounts.policy import must_give_second_factor, second_factor_required

                asked = must_give_second_factor(user) if state is None else second_factor_required(user)
                judged = PENDING if asked else NOT_ASKED
                if judged != state:
                    request.session[SECOND_FACTOR_KEY] = state = judged
            if state == PENDING and not self._open_while_pending(request.path):
                from dongthuan.accounts.policy import second_factor_on

                target = reverse("accounts:verify" if second_factor_on(user) else "accounts:setup")
                return HttpResponseRedirect(target + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)

    @staticmethod
    def _open_while_pending(path: str) -> bool:
        open_paths = (
            reverse("accounts:verify"),
            reverse("accounts:setup"),
            reverse("logout"),
            "/i18n/",
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        passkey_paths = (
            reverse("accounts:passkey_add_options"),  # a first passkey only (views._may_add_passkey)
            reverse("accounts:passkey_add"),
            reverse("accounts:passkey_sign_in_options"),
            reverse("accounts:passkey_sign_in"),
        )
        return path.startswith(open_paths) or path in passkey_paths
