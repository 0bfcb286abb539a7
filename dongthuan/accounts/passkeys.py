"""Passkeys (WebAuthn) as a second factor: django-otp-webauthn's helper over py_webauthn, with the relying party of
the settings (``PASSKEY_RP_ID``, ``PASSKEY_RP_NAME``, ``PASSKEY_ORIGINS``), and what a ceremony's answer from the
browser must look like before it is checked.

A ceremony has two requests: the options (a fresh random challenge, kept in the session) and the browser's answer,
signed over that challenge by the person's device; the challenge is taken out of the session before the answer is
checked, so it is used once whatever the outcome."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnUserHandle
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.structs import ResidentKeyRequirement

from dongthuan.audit.services import actor_display_name

logger = logging.getLogger(__name__)

# How long a challenge may be answered (the browser is asked to give up after the same time).
CEREMONY_SECONDS = 300
NAME_MAX = 64  # django-otp's Device.name
# A browser's answer is about a kilobyte (the attestation of a security key with its certificates, a few); anything
# much larger is not one.
BODY_MAX_BYTES = 64 * 1024


class PasskeyHelper(WebAuthnHelper):
    """The library's helper, told who the relying party is by our settings and naming the passkey it registers."""

    def __init__(self, request: Any = None, name: str = "") -> None:
        super().__init__(request=request)
        self.credential_name = name

    def get_relying_party_domain(self) -> str:
        return str(settings.PASSKEY_RP_ID)

    def get_relying_party_name(self) -> str:
        return str(settings.PASSKEY_RP_NAME)

    def get_allowed_origins(self) -> list[str]:
        return list(settings.PASSKEY_ORIGINS)

    def get_discoverable_credentials_preference(self) -> ResidentKeyRequirement:
        # A second factor after the password: the account is known, so a key that keeps nothing (a simple USB
        # security key) is welcome too.
        return ResidentKeyRequirement.PREFERRED

    def get_credential_display_name(self, user: Any) -> str:
        return actor_display_name(user) or user.get_username()

    def create_credential(self, user: Any, response: Any, parsed_credential: Any, original_data: dict) -> Any:
        passkey = super().create_credential(user, response, parsed_credential, original_data)
        passkey.name = self.credential_name
        passkey.confirmed = True
        return passkey


def ceremony_state(state: dict[str, Any]) -> dict[str, Any]:
    """What the session keeps of a ceremony: its challenge and whether the person must be verified, and when."""
    return {**state, "at": time.time()}


def state_fresh(state: Any) -> bool:
    """A state this server made, for a ceremony begun less than CEREMONY_SECONDS ago."""
    if not isinstance(state, dict) or not isinstance(state.get("challenge"), str):
        return False
    at = state.get("at")
    return isinstance(at, int | float) and 0 <= time.time() - at <= CEREMONY_SECONDS


def credential_answer(value: Any) -> dict[str, Any] | None:
    """The browser's answer as py_webauthn reads it, or None when it is not one. The client's extension results are
    not signed and serve only as a hint (whether the passkey is kept on the device): anything but
    ``{"credProps": {"rk": bool}}`` is dropped rather than trusted."""
    if not isinstance(value, dict):
        return None
    answer = {k: v for k, v in value.items() if k != "clientExtensionResults"}
    extensions = value.get("clientExtensionResults")
    props = extensions.get("credProps") if isinstance(extensions, dict) else None
    if isinstance(props, dict) and isinstance(props.get("rk"), bool):
        answer["clientExtensionResults"] = {"credProps": {"rk": props["rk"]}}
    else:
        answer["clientExtensionResults"] = {}
    return answer


def user_handle(user: Any) -> str:
    """The account's WebAuthn user handle (64 random bytes, made when its first passkey was), in base64url; "" when it
    has none."""
    handle = WebAuthnUserHandle.objects.filter(user_id=user.pk).values_list("handle_hex", flat=True).first()
    return bytes_to_base64url(bytes.fromhex(handle)) if handle else ""
