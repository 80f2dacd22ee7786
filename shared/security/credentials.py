"""Server credentials encrypted at rest with AES-256-GCM.

The key comes from ``CLOUDPLANE_CREDENTIALS_KEY`` (base64 of 32 bytes; a Key Vault
reference in Azure). Each ciphertext is stored with the id of the key that made it, so a
key can rotate: put the old key in ``CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS`` and the new one
in ``CLOUDPLANE_CREDENTIALS_KEY``; both decrypt, only the current one encrypts. The
associated data binds a ciphertext to its owner, so a blob copied onto another record does
not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from pydantic import SecretStr

from shared.config import Settings
from shared.errors import ServiceUnavailable

_NONCE_BYTES = 12


@dataclass(frozen=True)
class Sealed:
    """A ciphertext (nonce + AES-GCM output) and the id of the key that sealed it."""

    key_id: str
    blob: bytes


def key_id_of(key: bytes) -> str:
    """A short public fingerprint of a key (not the key, not reversible)."""
    return hashlib.sha256(b"cloudplane-credentials-key:" + key).hexdigest()[:12]


def _decode_key(value: SecretStr, setting: str) -> bytes:
    try:
        key = base64.b64decode(value.get_secret_value().strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ServiceUnavailable(
            f"{setting} is not the base64 of 32 bytes; server credentials cannot be used.",
            code="CREDENTIALS_KEY_INVALID",
            details={"setting": setting},
        )
    return key


class CredentialCipher:
    """Seals and opens credentials with the configured keys."""

    def __init__(self, current: bytes | None, previous: bytes | None = None) -> None:
        self._current = current
        self._keys = {key_id_of(k): k for k in (previous, current) if k is not None}

    @classmethod
    def from_settings(cls, settings: Settings) -> CredentialCipher:
        current = (
            _decode_key(settings.credentials_key, "CLOUDPLANE_CREDENTIALS_KEY")
            if settings.credentials_key and settings.credentials_key.get_secret_value().strip()
            else None
        )
        previous = (
            _decode_key(settings.credentials_key_previous, "CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS")
            if settings.credentials_key_previous and settings.credentials_key_previous.get_secret_value().strip()
            else None
        )
        return cls(current, previous)

    @property
    def current_key_id(self) -> str | None:
        return key_id_of(self._current) if self._current is not None else None

    def seal(self, plaintext: bytes, associated: bytes) -> Sealed:
        if self._current is None:
            raise ServiceUnavailable(
                "Server credentials cannot be stored: CLOUDPLANE_CREDENTIALS_KEY is not set.",
                code="CREDENTIALS_KEY_MISSING",
            )
        nonce = os.urandom(_NONCE_BYTES)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # on first use: not at cold start

        return Sealed(key_id_of(self._current), nonce + AESGCM(self._current).encrypt(nonce, plaintext, associated))

    def open(self, sealed: Sealed, associated: bytes) -> bytes:
        key = self._keys.get(sealed.key_id)
        if key is None:
            raise ServiceUnavailable(
                "The key that encrypted these credentials is not configured "
                "(set it as CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS).",
                code="CREDENTIALS_KEY_MISSING" if not self._keys else "CREDENTIALS_KEY_UNKNOWN",
                details={"key_id": sealed.key_id},
            )
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(key).decrypt(sealed.blob[:_NONCE_BYTES], sealed.blob[_NONCE_BYTES:], associated)
        except InvalidTag:
            raise ServiceUnavailable(
                "Stored credentials failed their integrity check.",
                code="CREDENTIALS_CORRUPT",
                details={"key_id": sealed.key_id},
            ) from None
