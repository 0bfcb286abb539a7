"""Writes about accounts: unlocking a locked-out account, recording a sign-in, ending one's sessions."""

from __future__ import annotations

import secrets
from importlib import import_module
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.accounts.devices import device_label, token_hash
from dongthuan.accounts.models import Device, SignIn
from dongthuan.audit.services import audit_record
from dongthuan.core.errors import DomainError


@transaction.atomic
def account_unlock(*, actor: Any, user: Any) -> int:
    """Forget the failed sign-ins counted against ``user`` (from every address), so the account signs in again at
    once; returns how many counted sources were cleared. Recorded in the account's history when anything was."""
    cleared = int(axes_reset(username=user.get_username()))
    if cleared:
        audit_record(actor=actor, action="unlock", obj=user, changes={"failed_sources": [cleared, 0]})
    return cleared


@transaction.atomic
def sign_in_record(
    *, actor: Any, session_key: str, user_agent: str, address: str, device_token: str, sessions_url: str
) -> tuple[SignIn, str]:
    """Record that ``actor`` signed in with this session. A browser without a device token known for the account
    gets a new one (returned, for its cookie), and if the account had signed in from another device before, the
    account's email is told, once the sign-in is committed."""
    now = timezone.now()
    user_agent = user_agent[:300]
    device = Device.objects.filter(user=actor, token_hash=token_hash(device_token)).first() if device_token else None
    token = device_token
    if device is None:
        known_elsewhere = Device.objects.filter(user=actor).exists()
        token = secrets.token_urlsafe(32)
        device = Device.objects.create(
            user=actor, token_hash=token_hash(token), user_agent=user_agent, first_seen=now, last_seen=now
        )
        if known_elsewhere and actor.email:
            letter = _new_device_letter(actor, user_agent, address, now, sessions_url)
            transaction.on_commit(letter.send)
    else:
        Device.objects.filter(pk=device.pk).update(last_seen=now, user_agent=user_agent)
    sign_in = SignIn.objects.create(
        user=actor,
        session_key=session_key,
        device=device,
        user_agent=user_agent,
        address=address[:64],
        started_at=now,
        last_seen=now,
    )
    return sign_in, token


def _new_device_letter(user: Any, user_agent: str, address: str, at: Any, sessions_url: str) -> EmailMessage:
    context = {
        "username": user.get_username(),
        "device": device_label(user_agent),
        "address": address,
        "at": timezone.localtime(at),
        "sessions_url": sessions_url,
    }
    subject = _("Đăng nhập Đồng Thuận từ một thiết bị mới")
    body = render_to_string("accounts/new_device_email.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def _end_sessions(keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    SignIn.objects.filter(session_key__in=keys).delete()


@transaction.atomic
def sign_in_end(*, actor: Any, sign_in: SignIn, current_key: str) -> None:
    """Sign out one of one's own sessions (not the one in use: that is the "Đăng xuất" button)."""
    if sign_in.user_id != actor.pk:
        raise DomainError(_("Đây không phải phiên đăng nhập của bạn."))
    if sign_in.session_key == current_key:
        raise DomainError(_("Đây là phiên đang dùng: hãy bấm “Đăng xuất”."))
    _end_sessions([sign_in.session_key])
    audit_record(actor=actor, action="sign_out", obj=actor, changes={"sessions": [1, 0]})


@transaction.atomic
def sign_ins_end_others(*, actor: Any, current_key: str) -> int:
    """Sign out every session of one's own account except the one in use; returns how many ended."""
    keys = list(
        SignIn.objects.filter(user=actor).exclude(session_key=current_key).values_list("session_key", flat=True)
    )
    _end_sessions(keys)
    if keys:
        audit_record(actor=actor, action="sign_out", obj=actor, changes={"sessions": [len(keys), 0]})
    return len(keys)
