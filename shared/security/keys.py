"""API key format: ``cpk_<key id>_<secret>``.

The key id finds the stored record with one point read; the secret carries 256 bits of
entropy, so a plain SHA-256 is the right hash (a slow password hash protects low-entropy
secrets and would only cost every request). Hashes are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "cpk"
_KEY = re.compile(r"^cpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewKey:
    key_id: str
    secret: str  # the whole key, shown to the caller once
    hash: str


def generate() -> NewKey:
    key_id = secrets.token_hex(8)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(key_id=key_id, secret=key, hash=hash_key(key))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str | None:
    """The key id of a well-formed key, else ``None`` (no storage call for garbage)."""
    match = _KEY.match(key)
    return match.group(1) if match else None


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key).encode(), stored_hash.encode())


def display_prefix(key_id: str) -> str:
    """What listings show so that a person can tell keys apart."""
    return f"{PREFIX}_{key_id}"
