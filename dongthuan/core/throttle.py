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


def allow(limits: list[tuple[str, str, int, dt.timedelta]]) -> bool:
    """One attempt under several limits (scope, source, limit, window): counted against every one only when all
    allow it, so a refused attempt is counted nowhere and a source that waits gets through. Hits older than their
    window are forgotten."""
    now = timezone.now()
    keyed = [(scope, source_key(value), limit, window) for scope, value, limit, window in limits]
    for scope, key, limit, window in keyed:
        hits = ThrottleHit.objects.filter(scope=scope, key=key)
        hits.filter(at__lt=now - window).delete()
        if hits.count() >= limit:
            return False
    ThrottleHit.objects.bulk_create([ThrottleHit(scope=scope, key=key, at=now) for scope, key, _l, _w in keyed])
    return True
