"""Who is calling: the admin key from the settings, a tenant's API key, or a Microsoft identity
platform (Entra ID) access token mapped to a tenant.

A warm instance answers from a short cache (at most ``auth_cache_seconds``, capped at 5 s
by the settings), so a hot request makes no storage call to authenticate, and a revoked
key (or a deleted identity mapping) is refused on every instance within 5 seconds.

A bearer value that is a JWT is a token when an authority is configured (``shared.api.entra``
verifies it); the Cloudplane tenant it acts for comes from the identity mappings the admin
manages, never from the token alone: a valid token no mapping covers is a 403.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.api.router import Auth
from shared.config import Settings
from shared.errors import Forbidden, ServiceUnavailable, Unauthorized
from shared.models.tenants import Scope, Tenant
from shared.security import keys
from shared.storage.tenants import ApiKeyRepository, KeyRecord, TenantRepository

if TYPE_CHECKING:
    from shared.api.concertim_tokens import ConcertimTokens
    from shared.api.entra import EntraTokens, TokenClaims
    from shared.models.identities import IdentityMapping
    from shared.storage.identities import IdentityMappingRepository

ALL_SCOPES = (Scope.READ, Scope.WRITE)
_READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller. Tenancy comes from here, never from the request."""

    admin: bool
    scopes: tuple[Scope, ...]
    tenant: Tenant | None = None
    key_id: str | None = None
    identity: str | None = None
    """For a token: the Entra tenant and object id (``<tid>/<oid>``), for logs; never a credential."""

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


@dataclass(frozen=True)
class TokenAccess:
    """What a token needs besides the key check: the verifier and where the mappings are."""

    tokens: EntraTokens
    mappings: IdentityMappingRepository
    tenants: TenantRepository
    read_role: str
    write_role: str


@dataclass(frozen=True)
class ConcertimAccess:
    """Concertim's paths: the token verifier, and the tenant they act for (``CLOUDPLANE_CONCERTIM_TENANT``)."""

    tokens: ConcertimTokens
    tenants: TenantRepository
    tenant_id: str | None


class Authenticator:
    def __init__(
        self,
        settings: Settings,
        repository: ApiKeyRepository,
        clock: Callable[[], float] = time.monotonic,
        token_access: TokenAccess | None = None,
        concertim: ConcertimAccess | None = None,
    ) -> None:
        self._admin_key = settings.admin_key.get_secret_value().encode() if settings.admin_key else None
        self._repository = repository
        self._ttl = settings.auth_cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, KeyRecord | None]] = {}
        self._lock = threading.Lock()
        self._token_access = token_access
        self._mapping_cache: dict[str, tuple[float, list[tuple[str, IdentityMapping]], dict[str, Tenant | None]]] = {}
        self._concertim = concertim
        self._concertim_tenant: tuple[float, Tenant | None] | None = None

    def authenticate(self, required: Auth, method: str, headers: Mapping[str, str]) -> Principal | None:
        """The caller allowed to run an operation that needs ``required``; raises 401/403."""
        if required is Auth.NONE:
            return None
        if required is Auth.CONCERTIM:
            return self._concertim_principal(headers)
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
        if self._token_access is not None:
            from shared.api.entra import looks_like_jwt

            if looks_like_jwt(key):
                return self._token_principal(self._token_access, key)
        key_id = keys.key_id_of(key)
        record = self._record(key_id) if key_id else None
        if record is None or record.revoked or not keys.matches(key, record.hash):
            raise Unauthorized("The API key is not valid.", code="INVALID_API_KEY")
        return Principal(admin=False, scopes=tuple(record.key.scopes), tenant=record.tenant, key_id=record.key.id)

    def _concertim_principal(self, headers: Mapping[str, str]) -> Principal:
        """Concertim's caller: a valid HS256 token (``Authorization: Bearer`` only, no API key), acting
        for the tenant the settings name, with read and write scopes (Concertim's service had no others)."""
        access = self._concertim
        if access is None:
            raise Unauthorized("Concertim's paths are not configured.", code="INVALID_TOKEN")
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Send Concertim's token as 'Authorization: Bearer <token>'.")
        access.tokens.verify(token.strip())
        tenant = self._concertim_tenant_of(access)
        return Principal(admin=False, scopes=ALL_SCOPES, tenant=tenant, identity="concertim")

    def _concertim_tenant_of(self, access: ConcertimAccess) -> Tenant:
        now = self._clock()
        cached = self._concertim_tenant
        if cached is None or cached[0] <= now:
            found = access.tenants.get(access.tenant_id) if access.tenant_id else None
            cached = self._concertim_tenant = (now + self._ttl, found)
        if cached[1] is None:
            # The caller's token is good; the deployment is not: name the setting, not the caller.
            raise ServiceUnavailable(
                "Concertim's paths act for the tenant CLOUDPLANE_CONCERTIM_TENANT names, and it names none.",
                code="CONCERTIM_TENANT_MISSING",
            )
        return cached[1]

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

    def _token_principal(self, access: TokenAccess, token: str) -> Principal:
        """A verified token's principal: the mapped tenant; scopes from its app roles, or the mapping's."""
        claims = access.tokens.verify(token)
        if not access.tokens.has_access(claims):
            raise Forbidden(
                "The token carries neither the required scope nor an app role of this API.",
                code="TOKEN_SCOPE_MISSING",
            )
        mappings, tenant = self._mapped(access, claims)
        role_scopes = {access.read_role: Scope.READ, access.write_role: Scope.WRITE}
        from_roles = tuple(scope for role, scope in role_scopes.items() if role in claims.roles)
        scopes = from_roles or tuple(scope for mapping in mappings for scope in mapping.scopes)
        return Principal(
            admin=False,
            scopes=tuple(sorted(set(scopes))),
            tenant=tenant,
            identity=f"{claims.entra_tenant_id}/{claims.subject}",
        )

    def _mapped(self, access: TokenAccess, claims: TokenClaims) -> tuple[list[IdentityMapping], Tenant]:
        """The mappings that cover the token (its group and role ones, else the tid-wide one) and their one tenant."""
        rows, tenants = self._mappings_of(access, claims.entra_tenant_id)
        wanted = {f"group:{group}" for group in claims.groups} | {f"role:{role}" for role in claims.roles}
        specific = [mapping for condition, mapping in rows if condition in wanted]
        chosen = specific or [mapping for condition, mapping in rows if condition == "*"]
        if not chosen:
            raise Forbidden(
                "No identity mapping gives this token's Entra tenant access; ask an administrator to add one.",
                code="IDENTITY_NOT_MAPPED",
            )
        if len({mapping.tenant_id for mapping in chosen}) > 1:
            raise Forbidden(
                "The token's groups or roles map it to more than one tenant.",
                code="IDENTITY_MAPPING_AMBIGUOUS",
                details={"mappings": sorted(mapping.id for mapping in chosen)},
            )
        tenant = tenants.get(chosen[0].tenant_id)
        if tenant is None:
            raise Forbidden("The mapped tenant no longer exists.", code="IDENTITY_NOT_MAPPED")
        return chosen, tenant

    def _mappings_of(
        self, access: TokenAccess, entra_tenant_id: str
    ) -> tuple[list[tuple[str, IdentityMapping]], dict[str, Tenant | None]]:
        now = self._clock()
        cached = self._mapping_cache.get(entra_tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1], cached[2]
        rows = access.mappings.for_entra_tenant(entra_tenant_id)
        tenants = {tenant_id: access.tenants.get(tenant_id) for tenant_id in {m.tenant_id for _, m in rows}}
        with self._lock:
            if len(self._mapping_cache) > 10_000:
                self._mapping_cache = {k: v for k, v in self._mapping_cache.items() if v[0] > now}
            self._mapping_cache[entra_tenant_id] = (now + self._ttl, rows, tenants)
        return rows, tenants

    def forget_mappings(self, entra_tenant_id: str) -> None:
        """Drop an Entra tenant's mappings from this instance's cache (the instance that changes them)."""
        with self._lock:
            self._mapping_cache.pop(entra_tenant_id.lower(), None)

    def forget(self, key_id: str) -> None:
        """Drop a key from this instance's cache (the instance that revokes it)."""
        with self._lock:
            self._cache.pop(key_id, None)
