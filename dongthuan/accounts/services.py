"""Writes about accounts: unlocking a locked-out account, recording a sign-in, ending one's sessions, two-factor
authentication (an authenticator app, recovery codes, passkeys)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import User
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
from dongthuan.core.errors import AccessError, ConflictError, ErrorCode, InputError, StateError
from dongthuan.core.text import nfc
from dongthuan.core.types import Actor, JSONValue

logger = logging.getLogger(__name__)


def _account(actor: Actor) -> User:
    """The signed-in account a write about one's own account is made by; nobody else makes one."""
    if not isinstance(actor, User):
        raise AccessError(_("Hãy đăng nhập trước."), code=ErrorCode.NOT_ALLOWED)
    return actor


@transaction.atomic
def account_unlock(*, actor: Actor, user: User) -> int:
    """Forget the failed sign-ins counted against ``user`` (from every address), so the account signs in again at
    once; returns how many counted sources were cleared. Recorded in the account's history when anything was."""
    cleared = int(axes_reset(username=user.get_username()))
    if cleared:
        audit_record(actor=actor, action="unlock", obj=user, changes={"failed_sources": [cleared, 0]})
    return cleared


@transaction.atomic
def sign_in_record(
    *, actor: Actor, session_key: str, user_agent: str, address: str, device_token: str, sessions_url: str
) -> tuple[SignIn, str]:
    """Record that ``actor`` signed in with this session. A browser without a device token known for the account
    gets a new one (returned, for its cookie), and if the account had signed in from another device before, the
    account's email is told, once the sign-in is committed."""
    actor = _account(actor)
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


def _new_device_letter(user: User, user_agent: str, address: str, at: dt.datetime, sessions_url: str) -> EmailMessage:
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
def sign_in_end(*, actor: Actor, sign_in: SignIn, current_key: str) -> None:
    """Sign out one of one's own sessions (not the one in use: that is the "Đăng xuất" button)."""
    if actor is None or sign_in.user_id != actor.pk:
        raise AccessError(_("Đây không phải phiên đăng nhập của bạn."), code=ErrorCode.SIGN_IN_NOT_OWN)
    if sign_in.session_key == current_key:
        raise StateError(_("Đây là phiên đang dùng: hãy bấm “Đăng xuất”."), code=ErrorCode.SIGN_IN_CURRENT)
    _end_sessions([sign_in.session_key])
    audit_record(actor=actor, action="sign_out", obj=actor, changes={"sessions": [1, 0]})


@transaction.atomic
def sign_ins_end_others(*, actor: Actor, current_key: str) -> int:
    """Sign out every session of one's own account except the one in use; returns how many ended."""
    actor = _account(actor)
    keys = list(
        SignIn.objects.filter(user=actor).exclude(session_key=current_key).values_list("session_key", flat=True)
    )
    _end_sessions(keys)
    if keys:
        audit_record(actor=actor, action="sign_out", obj=actor, changes={"sessions": [len(keys), 0]})
    return len(keys)


# --- two-factor authentication -------------------------------------------------------------------------------

RECOVERY_CODES = 10


def totp_device_pending(*, actor: Actor) -> TOTPDevice:
    """The authenticator app being enrolled: an unconfirmed device with its secret key, kept until confirmed (the
    same QR code is shown again on reload)."""
    actor = _account(actor)
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise StateError(_("Tài khoản đã có ứng dụng xác thực."), code=ErrorCode.TOTP_ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, actor: Actor, device: TOTPDevice, token: str) -> list[str]:
    """Turn on two-factor authentication with the app that shows ``token``; returns the recovery codes (shown once,
    each usable once)."""
    actor = _account(actor)
    if device.user_id != actor.pk or device.confirmed:
        raise StateError(_("Không tìm thấy ứng dụng đang đăng ký."), code=ErrorCode.TOTP_NOT_PENDING)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise InputError(
            _("Mã không đúng. Hãy nhập mã 6 chữ số ứng dụng đang hiển thị."), code=ErrorCode.OTP_CODE_WRONG
        )
    was_on = Passkey.objects.filter(user=actor, confirmed=True).exists()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    codes = _new_recovery_codes(actor)
    changes: dict[str, JSONValue] = {} if was_on else {"second_factor": [False, True]}
    audit_record(actor=actor, action="second_factor_on", obj=actor, changes=changes)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: Actor) -> list[str]:
    """New recovery codes; the earlier ones stop working."""
    from dongthuan.accounts.policy import second_factor_on

    actor = _account(actor)
    if not second_factor_on(actor):
        raise StateError(_("Hãy bật xác thực hai bước trước."), code=ErrorCode.SECOND_FACTOR_NOT_ON)
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="recovery_codes_renew", obj=actor)
    return codes


def second_factor_check(*, actor: Actor, token: str) -> TOTPDevice | StaticDevice:
    """The device that accepts ``token`` — a 6-digit code of the authenticator app or an unused recovery code (which
    is then spent) — or a DomainError. Wrong codes slow further tries down (django-otp's throttling)."""
    actor = _account(actor)
    token = token.strip().replace(" ", "").lower()
    devices: list[TOTPDevice | StaticDevice] = []
    if token.isdigit() and len(token) == 6:
        devices = list(TOTPDevice.objects.filter(user=actor, confirmed=True))
    elif token:
        devices = list(StaticDevice.objects.filter(user=actor, confirmed=True))
    for device in devices:
        if otp_verify_token(actor, device.persistent_id, token) is not None:
            return device
    raise InputError(_("Mã không đúng hoặc đã dùng. Hãy thử lại với mã mới."), code=ErrorCode.OTP_CODE_WRONG)


@transaction.atomic
def second_factor_off(*, actor: Actor) -> None:
    """Turn two-factor authentication off for one's own account: only where it is not required. An administrator
    cannot turn it off for themselves."""
    from dongthuan.accounts.policy import second_factor_required

    actor = _account(actor)
    if actor.is_superuser or actor.is_staff:
        raise StateError(
            _("Quản trị viên không thể tắt xác thực hai bước của chính mình."), code=ErrorCode.SECOND_FACTOR_KEPT
        )
    if second_factor_required(actor):
        raise StateError(
            _("Xác thực hai bước là bắt buộc với cán bộ và người được xem tài liệu mật."),
            code=ErrorCode.SECOND_FACTOR_KEPT,
        )
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    Passkey.objects.filter(user=actor).delete()
    audit_record(actor=actor, action="second_factor_off", obj=actor, changes={"second_factor": [True, False]})


# --- passkeys ----------------------------------------------------------------------------------------------------


def _passkey_name(name: object) -> str:
    text = nfc(name.replace("\x00", "")) if isinstance(name, str) else ""
    if not text:
        raise InputError(
            _("Hãy đặt tên cho khóa truy cập, ví dụ “Điện thoại của tôi”."), code=ErrorCode.PASSKEY_NAME_MISSING
        )
    if len(text) > passkeys.NAME_MAX:
        raise InputError(
            _("Tên khóa truy cập dài tối đa %(max)d ký tự.") % {"max": passkeys.NAME_MAX},
            code=ErrorCode.PASSKEY_NAME_TOO_LONG,
            data={"max": passkeys.NAME_MAX},
        )
    return text


def _answer(credential: object) -> dict[str, JSONValue]:
    answer: dict[str, JSONValue] | None = passkeys.credential_answer(credential)
    if answer is None:
        raise InputError(_("Trình duyệt không gửi khóa truy cập. Hãy thử lại."), code=ErrorCode.PASSKEY_ANSWER_MISSING)
    return answer


def passkey_add_begin(*, actor: Actor) -> tuple[dict[str, JSONValue], dict[str, JSONValue]]:
    """The options for the browser to make a new passkey for ``actor`` (the account's passkeys are listed so that a
    device holding one already says so), and the state to keep in the session until the answer."""
    options: dict[str, JSONValue]
    options, state = passkeys.PasskeyHelper().register_begin(user=_account(actor))
    return options, passkeys.ceremony_state(state)


@transaction.atomic
def passkey_add(
    *,
    actor: Actor,
    name: object,
    state: object,
    credential: object,
    user_agent: str,
    address: str,
    second_factor_url: str,
) -> Passkey:
    """Keep the passkey the browser made (its public key) under ``name``, once its answer is checked: the challenge
    of ``state``, an origin of PASSKEY_ORIGINS, the relying party's id. Recorded in the account's history, and the
    account's email is told once it is committed."""
    actor = _account(actor)
    text = _passkey_name(name)
    if not passkeys.state_fresh(state):
        raise StateError(
            _("Yêu cầu thêm khóa truy cập đã hết hạn. Hãy bấm “Thêm khóa truy cập” lại."),
            code=ErrorCode.PASSKEY_EXPIRED,
        )
    answer = _answer(credential)
    before = Passkey.objects.filter(user=actor).count()
    helper = passkeys.PasskeyHelper(name=text)
    try:
        with transaction.atomic():  # a savepoint: a passkey kept already is refused and nothing else is undone
            passkey: Passkey = helper.register_complete(user=actor, state=state, data=answer)
    except IntegrityError:
        raise ConflictError(_("Khóa truy cập này đã được thêm trước đây."), code=ErrorCode.PASSKEY_DUPLICATE) from None
    except (WebAuthnException, OTPWebAuthnApiError, ValueError, TypeError, KeyError, IndexError) as error:
        logger.info("passkey registration refused for %s: %s", actor.pk, error)
        raise InputError(
            _("Khóa truy cập không được chấp nhận. Hãy thử lại."), code=ErrorCode.PASSKEY_REFUSED
        ) from None
    audit_record(actor=actor, action="passkey_add", obj=actor, changes={"passkeys": [before, before + 1]}, note=text)
    if actor.email:
        letter = _passkey_letter(actor, text, user_agent, address, passkey.created_at, second_factor_url)
        transaction.on_commit(letter.send)
    return passkey


def _passkey_letter(user: User, name: str, user_agent: str, address: str, at: dt.datetime, url: str) -> EmailMessage:
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


def passkey_sign_in_begin(*, actor: Actor) -> tuple[dict[str, JSONValue], dict[str, JSONValue]]:
    """The options for the browser to sign ``actor``'s challenge with one of the account's passkeys."""
    actor = _account(actor)
    if not Passkey.objects.filter(user=actor, confirmed=True).exists():
        raise StateError(_("Tài khoản chưa có khóa truy cập."), code=ErrorCode.PASSKEY_NONE)
    options: dict[str, JSONValue]
    options, state = passkeys.PasskeyHelper().authenticate_begin(user=actor, require_user_verification=False)
    return options, passkeys.ceremony_state(state)


@transaction.atomic
def passkey_check(*, actor: Actor, state: object, credential: object) -> Passkey:
    """The passkey of ``actor`` that signed the challenge of ``state`` — checked against its public key, the origin,
    the relying party, and a sign counter that must go up (a copied key shows up as a counter going back) — or a
    DomainError. Its counter and time of last use are kept."""
    actor = _account(actor)
    if not passkeys.state_fresh(state):
        raise StateError(_("Yêu cầu đã hết hạn. Hãy bấm “Dùng khóa truy cập” lại."), code=ErrorCode.PASSKEY_EXPIRED)
    answer = _answer(credential)
    response = answer.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if isinstance(handle, str) and handle.rstrip("=") != passkeys.user_handle(actor):
        # A passkey kept on the device names its account; py_webauthn does not compare it (it is not signed).
        raise AccessError(_("Khóa truy cập này không thuộc tài khoản của bạn."), code=ErrorCode.PASSKEY_NOT_OWN)
    try:
        passkey: Passkey = passkeys.PasskeyHelper().authenticate_complete(user=actor, state=state, data=answer)
    except OTPWebAuthnApiError:  # no such passkey, or another account's
        raise AccessError(
            _("Khóa truy cập này không thuộc tài khoản của bạn."), code=ErrorCode.PASSKEY_NOT_OWN
        ) from None
    except (WebAuthnException, ValueError, TypeError, KeyError, IndexError) as error:
        logger.info("passkey sign-in refused for %s: %s", actor.pk, error)
        raise InputError(
            _("Khóa truy cập không được chấp nhận. Hãy thử lại."), code=ErrorCode.PASSKEY_REFUSED
        ) from None
    if not passkey.confirmed:
        raise AccessError(_("Khóa truy cập này không thuộc tài khoản của bạn."), code=ErrorCode.PASSKEY_NOT_OWN)
    return passkey


@transaction.atomic
def passkey_remove(*, actor: Actor, passkey: Passkey) -> None:
    """Remove one of one's own passkeys. The last second factor of an account that must have one stays: an
    administrator cannot turn two-factor authentication off for themselves, nor can an officer. A member who
    removes their last factor turns it off (the recovery codes go too)."""
    from dongthuan.accounts.policy import has_app, second_factor_required

    if actor is None or passkey.user_id != actor.pk:
        raise AccessError(_("Đây không phải khóa truy cập của bạn."), code=ErrorCode.PASSKEY_NOT_OWN)
    actor = _account(actor)
    others = Passkey.objects.filter(user=actor, confirmed=True).exclude(pk=passkey.pk)
    last = not others.exists() and not has_app(actor)
    if last and (actor.is_superuser or actor.is_staff):
        raise StateError(
            _("Đây là cách xác thực hai bước cuối cùng: quản trị viên không thể tắt xác thực hai bước của chính mình."),
            code=ErrorCode.SECOND_FACTOR_KEPT,
        )
    if last and second_factor_required(actor):
        raise StateError(
            _(
                "Đây là cách xác thực hai bước cuối cùng, mà xác thực hai bước là bắt buộc với cán bộ và người được "
                "xem tài liệu mật. Hãy thêm khóa truy cập khác hoặc ứng dụng xác thực trước khi xóa."
            ),
            code=ErrorCode.SECOND_FACTOR_KEPT,
        )
    _passkey_delete(actor=actor, passkey=passkey)
    if last:
        StaticDevice.objects.filter(user=actor).delete()


@transaction.atomic
def passkey_revoke(*, actor: Actor, passkey: Passkey) -> None:
    """An administrator removes a passkey of any account (a lost phone): if the account must use two factors and
    has no other, it enrols again at its next sign-in."""
    _passkey_delete(actor=actor, passkey=passkey)


def _passkey_delete(*, actor: Actor, passkey: Passkey) -> None:
    owner = passkey.user
    before = Passkey.objects.filter(user=owner).count()
    name = passkey.name
    passkey.delete()
    audit_record(actor=actor, action="passkey_remove", obj=owner, changes={"passkeys": [before, before - 1]}, note=name)
