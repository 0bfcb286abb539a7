"""Who the stricter account rules apply to: officers (any post with an officer's role, see permissions.Role) and
administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dongthuan.permissions import OFFICER_ROLES, access_for


def is_officer(user: Any) -> bool:
    """Holds an officer's post somewhere (secretary, deputy, committee member, office staff) or administers."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(access_for(user).roles & OFFICER_ROLES)


def session_seconds(user: Any) -> int:
    """How long a session of this account lasts without activity: a working day for officers, Django's default
    (two weeks) for everyone else."""
    return settings.OFFICER_SESSION_SECONDS if is_officer(user) else settings.SESSION_COOKIE_AGE
