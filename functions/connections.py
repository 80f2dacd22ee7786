"""Connections: a source or target system's credentials for migrations (write-only, sealed at rest)."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.common import Page, PageQuery
from shared.models.connections import Connection, ConnectionCreate, ConnectionPatch, ConnectionTest

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/connections",
    summary="Store a source or target system's credentials",
    tag="connections",
    body=ConnectionCreate,
    response=Connection,
    status=201,
    errors=(409, 422, 503),
)
def create_connection(ctx: RequestContext) -> Connection:
    """Credentials are encrypted at rest and never returned; ``base_url`` (default: the system's public
    API) must not be a link-local or metadata address, nor private unless the deployment allows it."""
    return deps.connections_service().create_connection(ctx.caller.require_tenant(), ctx.body)


@endpoint(
    bp,
    "GET",
    "v1/connections",
    summary="List connections",
    tag="connections",
    query=PageQuery,
    response=Page[Connection],
)
def list_connections(ctx: RequestContext) -> Page[Connection]:
    return deps.connections_service().list_connections(ctx.caller.require_tenant(), ctx.query)


@endpoint(
    bp,
    "GET",
    "v1/connections/{connection_id}",
    summary="Get a connection",
    tag="connections",
    response=Connection,
    errors=(404,),
)
def get_connection(ctx: RequestContext) -> Connection:
    return deps.connections_service().get_connection(ctx.caller.require_tenant(), ctx.path["connection_id"])


@endpoint(
    bp,
    "PATCH",
    "v1/connections/{connection_id}",
    summary="Change a connection (credentials given replace the stored ones)",
    tag="connections",
    body=ConnectionPatch,
    response=Connection,
    errors=(404, 409, 422, 503),
)
def patch_connection(ctx: RequestContext) -> Connection:
    return deps.connections_service().patch_connection(ctx.caller.require_tenant(), ctx.path["connection_id"], ctx.body)


@endpoint(
    bp,
    "DELETE",
    "v1/connections/{connection_id}",
    summary="Delete a connection",
    tag="connections",
    status=204,
    errors=(404,),
)
def delete_connection(ctx: RequestContext) -> None:
    deps.connections_service().delete_connection(ctx.caller.require_tenant(), ctx.path["connection_id"])


@endpoint(
    bp,
    "POST",
    "v1/connections/{connection_id}/test",
    summary="Check a connection with one cheap authenticated call",
    tag="connections",
    response=ConnectionTest,
    errors=(404, 503),
)
def run_connection_test(ctx: RequestContext) -> ConnectionTest:
    """``200`` with ``ok`` and, when not ok, a reason code (UNAUTHORIZED, UNREACHABLE, ...)."""
    return deps.connections_service().test_connection(ctx.caller.require_tenant(), ctx.path["connection_id"])
