"""Writes about accounts: unlocking a locked-out account, recording a sign-in, ending one's sessions, two-factor
authentication (an authenticator app, recovery codes, passkeys)."""

from __future__ import annotations

import logging
import secrets
from importlib import import_module
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from webauthn.helpers.exceptions import WebAuthnException

from dongthuan.accounts import passkeys
from dongthuan.accounts.devices import device_label, token_hash
from dongthuan.accounts.models import Device, Passkey, SignIn
from dongthuan.audit.services import audit_record
from dongthuan.core.errors import DomainError
from dongthuan.core.text import nfc

logger = logging.getLogger(__name__)


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


# --- two-factor authentication -------------------------------------------------------------------------------

RECOVERY_CODES = 10


def totp_device_pending(*, actor: Any) -> TOTPDevice:
    """The authenticator app being enrolled: an unconfirmed device with its secret key, kept until confirmed (the
    same QR code is shown again on reload)."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise DomainError(_("Tài khoản đã có ứng dụng xác thực."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, actor: Any, device: TOTPDevice, token: str) -> list[str]:
    """Turn on two-factor authentication with the app that shows ``token``; returns the recovery codes (shown once,
    each usable once)."""
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError(_("Không tìm thấy ứng dụng đang đăng ký."))
    if not device.verify_token(token.strip().replace(" ", "")):
        raise DomainError(_("Mã không đúng. Hãy nhập mã 6 chữ số ứng dụng đang hiển thị."))
    was_on = Passkey.objects.filter(user=actor, confirmed=True).exists()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    codes = _new_recovery_codes(actor)
    changes = {} if was_on else {"second_factor": [False, True]}
    audit_record(actor=actor, action="second_factor_on", obj=actor, changes=changes)
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: Any) -> list[str]:
    """New recovery codes; the earlier ones stop working."""
    from dongthuan.accounts.policy import second_factor_on

    if not second_factor_on(actor):
        raise DomainError(_("Hãy bật xác thực hai bước trước."))
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="recovery_codes_renew", obj=actor)
    return codes


def second_factor_check(*, actor: Any, token: str) -> Any:
    """The device that accepts ``token`` — a 6-digit code of the authenticator app or an unused recovery code (which
    is then spent) — or a DomainError. Wrong codes slow further tries down (django-otp's throttling)."""
    token = token.strip().replace(" ", "").lower()
    devices: list[Any] = []
    if token.isdigit() and len(token) == 6:
        devices = list(TOTPDevice.objects.filter(user=actor, confirmed=True))
    elif token:
        devices = list(StaticDevice.objects.filter(user=actor, confirmed=True))
    for device in devices:
        if otp_verify_token(actor, device.persistent_id, token) is not None:
            return device
    raise DomainError(_("Mã không đúng hoặc đã dùng. Hãy thử lại với mã mới."))


@transaction.atomic
def second_factor_off(*, actor: Any) -> None:
    """Turn two-factor authentication off for one's own account: only where it is not required. An administrator
    cannot turn it off for themselves."""
    from dongthuan.accounts.policy import second_factor_required

    if actor.is_superuser or actor.is_staff:
        raise DomainError(_("Quản trị viên không thể tắt xác thực hai bước của chính mình."))
    if second_factor_required(actor):
        raise DomainError(_("Xác thực hai bước là bắt buộc với cán bộ và người được xem tài liệu mật."))
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    Passkey.objects.filter(user=actor).delete()
    audit_record(actor=actor, action="second_factor_off", obj=actor, changes={"second_factor": [True, False]})


# --- passkeys ----------------------------------------------------------------------------------------------------


def _passkey_name(name: Any) -> str:
    text = nfc(name.replace("\x00", "")) if isinstance(name, str) else ""
    if not text:
        raise DomainError(_("Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."))
    if len(text) > passkeys.NAME_MAX:
        raise DomainError(_("Tên khóa truy cập dài tối đa %(max)d ký tự.") % {"max": passkeys.NAME_MAX})
    return text


def _answer(credential: Any) -> dict[str, Any]:
    answer = passkeys.credential_answer(credential)
    if answer is None:
        raise DomainError(_("Trình duyệt không gửi khóa truy cập. Hãy thử lại."))
    return answer


def passkey_add_begin(*, actor: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options for the browser to make a new passkey for ``actor`` (the account's passkeys are listed so that a
    device holding one already says so), and the state to keep in the session until the answer."""
    options, state = passkeys.PasskeyHelper().register_begin(user=actor)
    return options, passkeys.ceremony_state(state)


@transaction.atomic
def passkey_add(
    *, actor: Any, name: Any, state: Any, credential: Any, user_agent: str, address: str, second_factor_url: str
) -> Passkey:
    """Keep the passkey the browser made (its public key) under ``name``, once its answer is checked: the challenge
    of ``state``, an origin of PASSKEY_ORIGINS, the relying party's id. Recorded in the account's history, and the
    account's email is told once it is committed."""
    text = _passkey_name(name)
    if not passkeys.state_fresh(state):
        raise DomainError(_("Yêu cầu thêm khóa truy cập đã hết hạn. Hãy bấm “Thêm khóa truy cập” lại."))
    answer = _answer(credential)
    before = Passkey.objects.filter(user=actor).count()
    helper = passkeys.PasskeyHelper(name=text)
    try:
        with transaction.atomic():  # a savepoint: a passkey kept already is refused and nothing else is undone
            passkey: Passkey = helper.register_complete(user=actor, state=state, data=answer)
    except IntegrityError:
        raise DomainError(_("Khóa truy cập này đã được thêm trước đây.")) from None
    except (WebAuthnException, OTPWebAuthnApiError, ValueError, TypeError, KeyError, IndexError) as error:
        logger.info("passkey registration refused for %s: %s", actor.pk, error)
        raise DomainError(_("Khóa truy cập không được chấp nhận. Hãy thử lại.")) from None
    audit_record(actor=actor, action="passkey_add", obj=actor, changes={"passkeys": [before, before + 1]}, note=text)
    if actor.email:
        letter = _passkey_letter(actor, text, user_agent, address, passkey.created_at, second_factor_url)
        transaction.on_commit(letter.send)
    return passkey


def _passkey_letter(user: Any, name: str, user_agent: str, address: str, at: Any, url: str) -> EmailMessage:
    context = {
        "username": user.get_username(),
        "name": name,
        "device": device_label(user_agent),
        "address": address,
        "at": timezone.localtime(at),
        "second_factor_url": url,
    }
    subject = _("Tài khoản Đồng Thuận có khóa truy cập mới")
    body = render_to_string("accounts/passkey_added_email.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def passkey_sign_in_begin(*, actor: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options for the browser to sign ``actor``'s challenge with one of the account's passkeys."""
    if not Passkey.objects.filter(user=actor, confirmed=True).exists():
        raise DomainError(_("Tài khoản chưa có khóa truy cập."))
    options, state = passkeys.PasskeyHelper().authenticate_begin(user=actor, require_user_verification=False)
    return options, passkeys.ceremony_state(state)


@transaction.atomic
def passkey_check(*, actor: Any, state: Any, credential: Any) -> Passkey:
    """The passkey of ``actor`` that signed the challenge of ``state`` — checked against its public key, the origin,
    the relying party, and a sign counter that must go up (a copied key shows up as a counter going back) — or a
    DomainError. Its counter and time of last use are kept."""
    if not passkeys.state_fresh(state):
        raise DomainError(_("Yêu cầu đã hết hạn. Hãy bấm “Dùng khóa truy cập” lại."))
    answer = _answer(credential)
    response = answer.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if isinstance(handle, str) and handle.rstrip("=") != passkeys.user_handle(actor):
        # A passkey kept on the device names its account; py_webauthn does not compare it (it is not signed).
        raise DomainError(_("Khóa truy cập này không thuộc tài khoản của bạn."))
    try:
        passkey: Passkey = passkeys.PasskeyHelper().authenticate_complete(user=actor, state=state, data=answer)
    except OTPWebAuthnApiError:  # no such passkey, or another account's
        raise DomainError(_("Khóa truy cập này không thuộc tài khoản của bạn.")) from None
    except (WebAuthnException, ValueError, TypeError, KeyError, IndexError) as error:
        logger.info("passkey sign-in refused for %s: %s", actor.pk, error)
        raise DomainError(_("Khóa truy cập không được chấp nhận. Hãy thử lại.")) from None
    if not passkey.confirmed:
        raise DomainError(_("Khóa truy cập này không thuộc tài khoản của bạn."))
    return passkey


@transaction.atomic
def passkey_remove(*, actor: Any, passkey: Passkey) -> None:
    """Remove one of one's own passkeys. The last second factor of an account that must have one stays: an
    administrator cannot turn two-factor authentication off for themselves, nor can an officer. A member who
    removes their last factor turns it off (the recovery codes go too)."""
    from dongthuan.accounts.policy import has_app, second_factor_required

    if passkey.user_id != actor.pk:
        raise DomainError(_("Đây không phải khóa truy cập của bạn."))
    others = Passkey.objects.filter(user=actor, confirmed=True).exclude(pk=passkey.pk)
    last = not others.exists() and not has_app(actor)
    if last and (actor.is_superuser or actor.is_staff):
        raise DomainError(
            _("Đây là cách xác thực hai bước cuối cùng: quản trị viên không thể tắt xác thực hai bước của chính mình.")
        )
    if last and second_factor_required(actor):
        raise DomainError(
            _(
                "Đây là cách xác thực hai bước cuối cùng, mà xác thực hai bước là bắt buộc với cán bộ và người được "
                "xem tài liệu mật. Hãy thêm khóa truy cập khác hoặc ứng dụng xác thực trước khi xóa."
            )
        )
    _passkey_delete(actor=actor, passkey=passkey)
    if last:
        StaticDevice.objects.filter(user=actor).delete()


@transaction.atomic
def passkey_revoke(*, actor: Any, passkey: Passkey) -> None:
    """An administrator removes a passkey of any account (a lost phone): if the account must use two factors and
    has no other, it enrols again at its next sign-in."""
    _passkey_delete(actor=actor, passkey=passkey)


def _passkey_delete(*, actor: Any, passkey: Passkey) -> None:
    owner = passkey.user
    before = Passkey.objects.filter(user=owner).count()
    name = passkey.name
    passkey.delete()
    audit_record(actor=actor, action="passkey_remove", obj=owner, changes={"passkeys": [before, before - 1]}, note=name)
