"""Limits on how often one source may do something (a citizen's form sent from one address or for one email):
counted in the database, so the limit holds for every process and survives a restart, with keyed hashes so no
address or email is kept in the clear."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from dongthuan.core.models import ThrottleHit


def source_key(value: str) -> str:
    """A keyed hash of an address or an email (folded to lower case): equal sources give equal keys."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:40]


def allow(scope: str, value: str, *, limit: int, window: dt.timedelta) -> bool:
    """Count one attempt of ``scope`` from ``value`` and say whether it is within ``limit`` per ``window``. A refused
    attempt is not counted, so a source that waits gets through; hits older than the window are forgotten."""
    key = source_key(value)
    now = timezone.now()
    hits = ThrottleHit.objects.filter(scope=scope, key=key)
    hits.filter(at__lt=now - window).delete()
    if hits.count() >= limit:
        return False
    ThrottleHit.objects.create(scope=scope, key=key, at=now)
    return True
