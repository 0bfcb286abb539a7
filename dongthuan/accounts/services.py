"""Writes about accounts: unlocking a locked-out account."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.db import transaction

from dongthuan.audit.services import audit_record


@transaction.atomic
def account_unlock(*, actor: Any, user: Any) -> int:
    """Forget the failed sign-ins counted against ``user`` (from every address), so the account signs in again at
    once; returns how many counted sources were cleared. Recorded in the account's history when anything was."""
    cleared = int(axes_reset(username=user.get_username()))
    if cleared:
        audit_record(actor=actor, action="unlock", obj=user, changes={"failed_sources": [cleared, 0]})
    return cleared
