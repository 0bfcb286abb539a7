"""Who the stricter account rules apply to: officers (any post with an officer's role, see organizations.roles.Role) and
administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core.errors import ErrorCode, StateError
from dongthuan.organizations.roles import OFFICER_ROLES, access_for


def is_officer(user: Any) -> bool:
    """Holds an officer's post somewhere (secretary, deputy, committee member, office staff) or administers."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(access_for(user).roles & OFFICER_ROLES)


def session_seconds(user: Any) -> int:
    """How long a session of this account lasts without activity: a working day for officers, Django's default
    (two weeks) for everyone else."""
    return settings.OFFICER_SESSION_SECONDS if is_officer(user) else settings.SESSION_COOKIE_AGE


def second_factor_required(user: Any) -> bool:
    """Two-factor authentication is required of officers, administrators and anyone named on a classified record
    (core.AccessGrant); it is optional for members and citizens."""
    from dongthuan.core.models import AccessGrant

    return is_officer(user) or AccessGrant.objects.filter(user_id=user.pk).exists()


def has_app(user: Any) -> bool:
    """The account has a confirmed authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def has_passkey(user: Any) -> bool:
    from dongthuan.accounts.models import Passkey

    return Passkey.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_on(user: Any) -> bool:
    """The account has a second factor: a confirmed authenticator app or a passkey (either satisfies the rule for
    officers)."""
    return has_app(user) or has_passkey(user)


def must_give_second_factor(user: Any) -> bool:
    """At sign-in: required of the account, or turned on by its owner."""
    return second_factor_required(user) or second_factor_on(user)


def check_may_add_passkey(user: Any, *, second_factor_pending: bool) -> None:
    """A passkey is added by a session that gave its second factor, or, right after the password, by an account that
    has none yet (its first, as with enrolling an authenticator app)."""
    if second_factor_pending and second_factor_on(user):
        raise StateError(_("Hãy xác thực hai bước trước khi thêm khóa truy cập."), code=ErrorCode.SECOND_FACTOR_FIRST)


def check_second_factor_pending(*, second_factor_pending: bool) -> None:
    """Signing in with a passkey is the second step of a sign-in that waits for it."""
    if not second_factor_pending:
        raise StateError(
            _("Không có bước xác thực nào đang chờ. Hãy tải lại trang."), code=ErrorCode.SECOND_FACTOR_NOT_PENDING
        )
