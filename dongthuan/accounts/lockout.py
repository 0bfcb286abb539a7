"""Sign-in lockout (django-axes): how the lock is keyed and what a locked-out person sees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dongthuan.core.http import client_address


def axes_client_address(request: HttpRequest) -> str:
    """The address axes counts failures under: the same one the public forms' limits use (behind the proxy, the
    address the proxy appended to X-Forwarded-For, never one the client claimed)."""
    return client_address(request)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The page shown instead of the login form while an account is locked from this address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
