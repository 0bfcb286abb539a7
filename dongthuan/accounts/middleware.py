"""Keeps a signed-in session's record current, so that one's list of sessions shows when each was last used and an
officer's session ends after a working day without activity."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dongthuan.accounts.models import SignIn

SIGN_IN_KEY = "accounts.sign_in"  # the SignIn row of this session (set by the login page)
SEEN_KEY = "accounts.seen"  # when the row was last touched (seconds since the epoch)
TOUCH_EVERY = 300  # seconds: at most one write per session every five minutes


class SessionActivityMiddleware:
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
