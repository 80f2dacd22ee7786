"""Tenants and their API keys (admin only, except ``me``)."""

from __future__ import annotations

import uuid
from typing import Protocol

from shared.api.auth import Principal
from shared.clock import Clock
from shared.errors import NotFound
from shared.models.common import Page, PageQuery
from shared.models.tenants import ApiKey, ApiKeyCreate, ApiKeyWithSecret, Me, Tenant, TenantCreate, TenantCreated
from shared.security import keys
from shared.storage.tenants import ApiKeyRepository, TenantRepository


class KeyCache(Protocol):
    """What revocation needs of the authenticator: drop a key from this instance's cache."""

    def forget(self, key_id: str) -> None: ...


class TenantsService:
    def __init__(
        self, tenants: TenantRepository, api_keys: ApiKeyRepository, key_cache: KeyCache, clock: Clock
    ) -> None:
        self._tenants = tenants
        self._api_keys = api_keys
        self._key_cache = key_cache
        self._clock = clock

    def create_tenant(self, request: TenantCreate) -> TenantCreated:
        """Create a tenant and its first key; the key's secret is returned this once."""
        tenant = Tenant(id=uuid.uuid4().hex, name=request.name, slug=request.slug, created_at=self._clock())
        self._tenants.create(tenant)
        return TenantCreated(tenant=tenant, api_key=self._issue_key(tenant, ApiKeyCreate(name="initial")))

    def list_tenants(self, page: PageQuery) -> Page[Tenant]:
        return self._tenants.page(page)

    def get_tenant(self, tenant_id: str) -> Tenant:
        tenant = self._tenants.get(tenant_id)
        if tenant is None:
            raise NotFound(f"Tenant {tenant_id} not found.", code="TENANT_NOT_FOUND", details={"tenant_id": tenant_id})
        return tenant

    def create_api_key(self, tenant_id: str, request: ApiKeyCreate) -> ApiKeyWithSecret:
        return self._issue_key(self.get_tenant(tenant_id), request)

    def list_api_keys(self, tenant_id: str, page: PageQuery) -> Page[ApiKey]:
        self.get_tenant(tenant_id)
        return self._api_keys.page(tenant_id, page)

    def revoke_api_key(self, tenant_id: str, key_id: str) -> None:
        """Revoke a key: every instance refuses it within the auth cache's lifetime (at most 5 s)."""
        if self._api_keys.get(tenant_id, key_id) is None:
            raise NotFound(f"API key {key_id} not found.", code="API_KEY_NOT_FOUND", details={"key_id": key_id})
        self._api_keys.revoke(tenant_id, key_id, self._clock())
        self._key_cache.forget(key_id)

    @staticmethod
    def me(principal: Principal) -> Me:
        return Me(
            tenant=principal.tenant, key_id=principal.key_id, scopes=list(principal.scopes), admin=principal.admin
        )

    def _issue_key(self, tenant: Tenant, request: ApiKeyCreate) -> ApiKeyWithSecret:
        new = keys.generate()
        key = ApiKey(
            id=new.key_id,
            tenant_id=tenant.id,
            name=request.name,
            prefix=keys.display_prefix(new.key_id),
            scopes=sorted(set(request.scopes)),
            created_at=self._clock(),
        )
        self._api_keys.add(key, new.hash, tenant)
        return ApiKeyWithSecret(**key.model_dump(), key=new.secret)
