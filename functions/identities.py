"""Identity mappings (admin key): which tenant a Microsoft identity platform token acts for."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.models.common import Page, PageQuery
from shared.models.identities import IdentityMapping, IdentityMappingCreate

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/identity-mappings",
    summary="Map an Entra tenant (optionally one group or app role) to a tenant",
    tag="tenants",
    auth=Auth.ADMIN,
    body=IdentityMappingCreate,
    response=IdentityMapping,
    status=201,
    errors=(409,),
)
def create_identity_mapping(ctx: RequestContext) -> IdentityMapping:
    """Tokens of ``entra_tenant_id`` act for ``tenant_id``; with ``group_id`` or ``app_role``, only tokens
    that list the group or carry the role (such a mapping wins over the tenant-wide one)."""
    return deps.identity_mappings_service().create(ctx.body)


@endpoint(
    bp,
    "GET",
    "v1/identity-mappings",
    summary="List identity mappings",
    tag="tenants",
    auth=Auth.ADMIN,
    query=PageQuery,
    response=Page[IdentityMapping],
)
def list_identity_mappings(ctx: RequestContext) -> Page[IdentityMapping]:
    return deps.identity_mappings_service().list(ctx.query)


@endpoint(
    bp,
    "GET",
    "v1/identity-mappings/{mapping_id}",
    summary="Get an identity mapping",
    tag="tenants",
    auth=Auth.ADMIN,
    response=IdentityMapping,
    errors=(404,),
)
def get_identity_mapping(ctx: RequestContext) -> IdentityMapping:
    return deps.identity_mappings_service().get(ctx.path["mapping_id"])


@endpoint(
    bp,
    "DELETE",
    "v1/identity-mappings/{mapping_id}",
    summary="Delete an identity mapping",
    tag="tenants",
    auth=Auth.ADMIN,
    status=204,
    errors=(404,),
)
def delete_identity_mapping(ctx: RequestContext) -> None:
    """Tokens it covered are refused on every instance within 5 seconds."""
    deps.identity_mappings_service().delete(ctx.path["mapping_id"])
