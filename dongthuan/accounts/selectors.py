"""Reads about accounts: one's own signed-in sessions and passkeys."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.utils import timezone

from dongthuan.accounts.models import Passkey, SignIn


def session_model() -> Any:
    """The model the session engine stores sessions in (the database engines: ``db`` and ``cached_db``)."""
    return import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()


def live_sign_ins(user: Any) -> list[SignIn]:
    """The account's sessions that have not ended (signed out, or past their expiry), the latest active first.
    Records of sessions that ended are dropped on the way."""
    rows = list(SignIn.objects.filter(user=user).order_by("-last_seen", "-pk"))
    live = set(
        session_model()
        .objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
        .values_list("session_key", flat=True)
    )
    ended = [r.pk for r in rows if r.session_key not in live]
    if ended:
        SignIn.objects.filter(pk__in=ended).delete()
    return [r for r in rows if r.session_key in live]


def passkeys_of(user: Any) -> list[Passkey]:
    """The account's passkeys, the first added first."""
    return list(Passkey.objects.filter(user_id=user.pk, confirmed=True).order_by("created_at", "pk"))


def own_passkey(user: Any, pk: int | None) -> Passkey | None:
    """One of the account's own passkeys by its id; None for another account's, as for one that does not exist."""
    if pk is None or not user.is_authenticated:
        return None
    passkey: Passkey | None = Passkey.objects.filter(user_id=user.pk, pk=pk).first()
    return passkey
