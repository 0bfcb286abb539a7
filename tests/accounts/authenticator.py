"""A software authenticator for the tests: what a phone or a security key does in a WebAuthn ceremony, in Python.

It holds an EC P-256 key pair (COSE algorithm -7, ES256) made with ``cryptography`` and a sign counter, and answers
the server's options as a browser passes them on (the JSON of ``PublicKeyCredential.toJSON()``, binary in
base64url): attestation "none" when registering — authenticatorData with the relying party's hash, the flags, the
counter, the attested credential (AAGUID, id, COSE public key) — and, when signing in, authenticatorData and an ECDSA
signature over it and the hash of clientDataJSON. Every part can be made wrong on purpose (challenge, origin, relying
party, counter) to see the server refuse it."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_DATA = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey on one device. ``rp_id`` and ``origin`` are what a browser at that address would put in."""

    def __init__(self, rp_id: str = "localhost", origin: str = "http://localhost:8000") -> None:
        self.rp_id = rp_id
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.aaguid = bytes(16)  # as most authenticators give: zero, so as not to tell the make
        self.user_handle: str | None = None  # kept with a discoverable passkey, given back when signing in

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")},
            canonical=True,
        )

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data, separators=(",", ":")).encode()

    def _rp_hash(self, rp_id: str | None) -> bytes:
        return hashlib.sha256((rp_id or self.rp_id).encode()).digest()

    def register(
        self, options: dict, *, challenge: str | None = None, origin: str | None = None, rp_id: str | None = None
    ) -> dict:
        """The answer to the registration options ``options`` (as the server sent them)."""
        assert options["rp"]["id"] == self.rp_id
        self.user_handle = options.get("user", {}).get("id")
        client_data = self._client_data("webauthn.create", challenge or options["challenge"], origin)
        attested = (
            self.aaguid + struct.pack(">H", len(self.credential_id)) + self.credential_id + self.cose_public_key()
        )
        flags = USER_PRESENT | USER_VERIFIED | ATTESTED_DATA
        auth_data = self._rp_hash(rp_id) + bytes([flags]) + struct.pack(">I", self.sign_count) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": True}},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    def sign_in(
        self,
        options: dict,
        *,
        challenge: str | None = None,
        origin: str | None = None,
        rp_id: str | None = None,
        count: int | None = None,
    ) -> dict:
        """The answer to the authentication options ``options``: the counter goes up by one (or is ``count``)."""
        self.sign_count = self.sign_count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        auth_data = self._rp_hash(rp_id) + bytes([USER_PRESENT | USER_VERIFIED]) + struct.pack(">I", self.sign_count)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": self.user_handle,
            },
        }
