"""Sealing and opening a server's credentials: the one place that knows how they are bound.

The associated data of a ciphertext is ``<tenant id>:<server id>``, so a blob moved onto another
server (or restored into another tenant) does not open. Servers seal on registration and open
to build a cluster client; backup carries the ciphertext out and opens it again on import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.config import Settings
from shared.security.credentials import CredentialCipher, Sealed


def associated_data(tenant_id: str, server_id: str) -> bytes:
    return f"{tenant_id}:{server_id}".encode()


class ServerCredentials:
    """The cipher is built on each use from the settings, so a missing or malformed key fails
    only the operations that need it (listing servers never does)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _cipher(self) -> CredentialCipher:
        return CredentialCipher.from_settings(self._settings)

    def seal(self, tenant_id: str, server_id: str, secret: Mapping[str, Any]) -> Sealed:
        return self._cipher().seal(json.dumps(dict(secret)).encode(), associated_data(tenant_id, server_id))

    def open(self, sealed: Sealed, tenant_id: str, server_id: str) -> Any:
        """The sealed JSON value; ``DomainError`` when no configured key opens it, ``ValueError`` if not JSON."""
        return json.loads(self._cipher().open(sealed, associated_data(tenant_id, server_id)))
