"""Who is calling: the admin key from the settings, or a tenant's API key.

A warm instance answers from a short cache (at most ``auth_cache_seconds``, capped at 5 s
by the settings), so a hot request makes no storage call to authenticate, and a revoked
key is refused on every instance within 5 seconds.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shared.api.router import Auth
from shared.config import Settings
from shared.errors import Forbidden, Unauthorized
from shared.models.tenants import Scope, Tenant
from shared.security import keys
from shared.storage.tenants import ApiKeyRepository, KeyRecord

ALL_SCOPES = (Scope.READ, Scope.WRITE)
_READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller. Tenancy comes from here, never from the request."""

    admin: bool
    scopes: tuple[Scope, ...]
    tenant: Tenant | None = None
    key_id: str | None = None

    def require_tenant(self) -> Tenant:
        """The caller's tenant; the admin key has none, so it gets a 403 here."""
        if self.tenant is None:
            raise Forbidden("This operation needs a tenant API key.", code="TENANT_KEY_REQUIRED")
        return self.tenant

    @property
    def tenant_id(self) -> str:
        return self.require_tenant().id

    @property
    def rate_key(self) -> str:
        """Whose budget a request spends: the tenant's, or the admin's own."""
        return self.tenant.id if self.tenant else "_admin"


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from ``Authorization: Bearer`` or ``X-API-Key`` (lower-cased header names)."""
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    api_key = headers.get("x-api-key", "").strip()
    return api_key or None


class Authenticator:
    def __init__(
        self,
        settings: Settings,
        repository: ApiKeyRepository,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._admin_key = settings.admin_key.get_secret_value().encode() if settings.admin_key else None
        self._repository = repository
        self._ttl = settings.auth_cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, KeyRecord | None]] = {}
        self._lock = threading.Lock()

    def authenticate(self, required: Auth, method: str, headers: Mapping[str, str]) -> Principal | None:
        """The caller allowed to run an operation that needs ``required``; raises 401/403."""
        if required is Auth.NONE:
            return None
        key = presented_key(headers)
        if key is None:
            raise Unauthorized("Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
        principal = self._identify(key)
        if required is Auth.ADMIN and not principal.admin:
            raise Forbidden("This operation needs the admin key.", code="ADMIN_KEY_REQUIRED")
        if required is Auth.TENANT and principal.tenant is None:
            raise Forbidden("This operation needs a tenant API key.", code="TENANT_KEY_REQUIRED")
        needed = Scope.READ if method in _READ_METHODS else Scope.WRITE
        if needed not in principal.scopes:
            raise Forbidden(f"This key lacks the '{needed}' scope.", code="SCOPE_MISSING", details={"scope": needed})
        return principal

    def _identify(self, key: str) -> Principal:
        if self._admin_key and hmac.compare_digest(key.encode(), self._admin_key):
            return Principal(admin=True, scopes=ALL_SCOPES)
        key_id = keys.key_id_of(key)
        record = self._record(key_id) if key_id else None
        if record is None or record.revoked or not keys.matches(key, record.hash):
            raise Unauthorized("The API key is not valid.", code="INVALID_API_KEY")
        return Principal(admin=False, scopes=tuple(record.key.scopes), tenant=record.tenant, key_id=record.key.id)

    def _record(self, key_id: str) -> KeyRecord | None:
        now = self._clock()
        cached = self._cache.get(key_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        record = self._repository.lookup(key_id)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            self._cache[key_id] = (now + self._ttl, record)
        return record

    def forget(self, key_id: str) -> None:
        """Drop a key from this instance's cache (the instance that revokes it)."""
        with self._lock:
            self._cache.pop(key_id, None)
