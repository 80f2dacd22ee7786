"""Tenants and their API keys (admin only, except ``me``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared import deps
from shared.api.auth import Principal
from shared.errors import NotFound
from shared.models.common import Page, PageQuery
from shared.models.tenants import ApiKey, ApiKeyCreate, ApiKeyWithSecret, Me, Tenant, TenantCreate, TenantCreated
from shared.security import keys


def _now() -> datetime:
    return datetime.now(UTC)


def create_tenant(request: TenantCreate) -> TenantCreated:
    """Create a tenant and its first key; the key's secret is returned this once."""
    tenant = Tenant(id=uuid.uuid4().hex, name=request.name, slug=request.slug, created_at=_now())
    deps.tenants().create(tenant)
    return TenantCreated(tenant=tenant, api_key=_issue_key(tenant, ApiKeyCreate(name="initial")))


def list_tenants(page: PageQuery) -> Page[Tenant]:
    return deps.tenants().page(page)


def get_tenant(tenant_id: str) -> Tenant:
    tenant = deps.tenants().get(tenant_id)
    if tenant is None:
        raise NotFound(f"Tenant {tenant_id} not found.", code="TENANT_NOT_FOUND", details={"tenant_id": tenant_id})
    return tenant


def create_api_key(tenant_id: str, request: ApiKeyCreate) -> ApiKeyWithSecret:
    return _issue_key(get_tenant(tenant_id), request)


def list_api_keys(tenant_id: str, page: PageQuery) -> Page[ApiKey]:
    get_tenant(tenant_id)
    return deps.api_keys().page(tenant_id, page)


def revoke_api_key(tenant_id: str, key_id: str) -> None:
    """Revoke a key: every instance refuses it within the auth cache's lifetime (at most 5 s)."""
    if deps.api_keys().get(tenant_id, key_id) is None:
        raise NotFound(f"API key {key_id} not found.", code="API_KEY_NOT_FOUND", details={"key_id": key_id})
    deps.api_keys().revoke(tenant_id, key_id, _now())
    deps.authenticator().forget(key_id)


def me(principal: Principal) -> Me:
    return Me(tenant=principal.tenant, key_id=principal.key_id, scopes=list(principal.scopes), admin=principal.admin)


def _issue_key(tenant: Tenant, request: ApiKeyCreate) -> ApiKeyWithSecret:
    new = keys.generate()
    key = ApiKey(
        id=new.key_id,
        tenant_id=tenant.id,
        name=request.name,
        prefix=keys.display_prefix(new.key_id),
        scopes=sorted(set(request.scopes)),
        created_at=_now(),
    )
    deps.api_keys().add(key, new.hash, tenant)
    return ApiKeyWithSecret(**key.model_dump(), key=new.secret)
