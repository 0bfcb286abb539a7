"""Reads about accounts: one's own signed-in sessions, passkeys and recovery codes."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from dongthuan.accounts.models import Passkey, SignIn
from dongthuan.core.types import Actor


def _account_id(user: Actor) -> int | None:
    """The signed-in account's id; None for a visitor or nobody (who own no sessions, passkeys or codes)."""
    return user.pk if user is not None and user.is_authenticated else None


def session_model() -> type[AbstractBaseSession]:
    """The model the session engine stores sessions in (the database engines: ``db`` and ``cached_db``)."""
    model: type[AbstractBaseSession] = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    return model


def live_sign_ins(user: Actor) -> list[SignIn]:
    """The account's sessions that have not ended (signed out, or past their expiry), the latest active first.
    Records of sessions that ended are dropped on the way."""
    account_id = _account_id(user)
    if account_id is None:
        return []
    rows = list(SignIn.objects.filter(user_id=account_id).order_by("-last_seen", "-pk"))
    live = set(
        session_model()
        .objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
        .values_list("session_key", flat=True)
    )
    ended = [r.pk for r in rows if r.session_key not in live]
    if ended:
        SignIn.objects.filter(pk__in=ended).delete()
    return [r for r in rows if r.session_key in live]


def own_sign_in(user: Actor, pk: int | None) -> SignIn | None:
    """One of the account's own sessions by its id; None for another account's, as for one that does not exist."""
    if pk is None:
        return None
    return SignIn.objects.filter(user_id=_account_id(user) or 0, pk=pk).first()


def passkeys_of(user: Actor) -> list[Passkey]:
    """The account's passkeys, the first added first."""
    return list(Passkey.objects.filter(user_id=_account_id(user), confirmed=True).order_by("created_at", "pk"))


def own_passkey(user: Actor, pk: int | None) -> Passkey | None:
    """One of the account's own passkeys by its id; None for another account's, as for one that does not exist."""
    account_id = _account_id(user)
    if pk is None or account_id is None:
        return None
    passkey: Passkey | None = Passkey.objects.filter(user_id=account_id, pk=pk).first()
    return passkey


def recovery_codes_left(user: Actor) -> int:
    """How many unused recovery codes the account has."""
    static = StaticDevice.objects.filter(user_id=_account_id(user)).first()
    return int(static.token_set.count()) if static else 0
