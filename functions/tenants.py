"""Tenants and API keys (admin key), and ``me`` (any key)."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.models.common import Page, PageQuery
from shared.models.tenants import ApiKey, ApiKeyCreate, ApiKeyWithSecret, Me, Tenant, TenantCreate, TenantCreated

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/tenants",
    summary="Create a tenant and its first API key",
    tag="tenants",
    auth=Auth.ADMIN,
    body=TenantCreate,
    response=TenantCreated,
    status=201,
    errors=(409,),
)
def create_tenant(ctx: RequestContext) -> TenantCreated:
    """The first key's secret is in this response and nowhere else, ever."""
    return deps.tenants_service().create_tenant(ctx.body)


@endpoint(
    bp,
    "GET",
    "v1/tenants",
    summary="List tenants",
    tag="tenants",
    auth=Auth.ADMIN,
    query=PageQuery,
    response=Page[Tenant],
)
def list_tenants(ctx: RequestContext) -> Page[Tenant]:
    return deps.tenants_service().list_tenants(ctx.query)


@endpoint(
    bp,
    "GET",
    "v1/tenants/{tenant_id}",
    summary="Get a tenant",
    tag="tenants",
    auth=Auth.ADMIN,
    response=Tenant,
    errors=(404,),
)
def get_tenant(ctx: RequestContext) -> Tenant:
    return deps.tenants_service().get_tenant(ctx.path["tenant_id"])


@endpoint(
    bp,
    "POST",
    "v1/tenants/{tenant_id}/api-keys",
    summary="Create an API key for a tenant",
    tag="tenants",
    auth=Auth.ADMIN,
    body=ApiKeyCreate,
    response=ApiKeyWithSecret,
    status=201,
    errors=(404,),
)
def create_api_key(ctx: RequestContext) -> ApiKeyWithSecret:
    """The secret is in this response and nowhere else, ever."""
    return deps.tenants_service().create_api_key(ctx.path["tenant_id"], ctx.body)


@endpoint(
    bp,
    "GET",
    "v1/tenants/{tenant_id}/api-keys",
    summary="List a tenant's API keys (no secrets)",
    tag="tenants",
    auth=Auth.ADMIN,
    query=PageQuery,
    response=Page[ApiKey],
    errors=(404,),
)
def list_api_keys(ctx: RequestContext) -> Page[ApiKey]:
    return deps.tenants_service().list_api_keys(ctx.path["tenant_id"], ctx.query)


@endpoint(
    bp,
    "DELETE",
    "v1/tenants/{tenant_id}/api-keys/{key_id}",
    summary="Revoke an API key",
    tag="tenants",
    auth=Auth.ADMIN,
    status=204,
    errors=(404,),
)
def revoke_api_key(ctx: RequestContext) -> None:
    """Every instance refuses the key within 5 seconds."""
    deps.tenants_service().revoke_api_key(ctx.path["tenant_id"], ctx.path["key_id"])


@endpoint(
    bp,
    "GET",
    "v1/me",
    summary="Who am I: the caller's tenant, key id and scopes",
    tag="tenants",
    auth=Auth.ANY,
    response=Me,
)
def get_me(ctx: RequestContext) -> Me:
    return deps.tenants_service().me(ctx.caller)
