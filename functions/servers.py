"""Servers: the Kubernetes clusters and OpenStack clouds a tenant registers (credentials are write-only)."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.common import Page, PageQuery
from shared.models.servers import (
    CloudsYamlImport,
    CloudsYamlImported,
    Server,
    ServerCreate,
    ServerPatch,
    ServerTest,
    ServerUpdate,
    ServerUsage,
)

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/servers",
    summary="Register a Kubernetes cluster or an OpenStack cloud",
    tag="servers",
    body=ServerCreate,
    response=Server,
    status=201,
    errors=(409, 422, 503),
)
def create_server(ctx: RequestContext) -> Server:
    """Give ``kubeconfig`` (YAML text) or ``api_url`` with ``token`` and ``ca_bundle``; or
    ``"kind": "openstack"`` with ``cloud``, one clouds.yaml entry.

    Credentials are encrypted at rest and never returned; the endpoint must not be a
    link-local or metadata address (nor loopback/private unless the deployment allows it).
    """
    return deps.servers_service().create_server(ctx.caller.require_tenant(), ctx.body)


@endpoint(
    bp,
    "POST",
    "v1/servers:import-clouds",
    summary="Register every cloud of a clouds.yaml",
    tag="servers",
    body=CloudsYamlImport,
    response=CloudsYamlImported,
    status=201,
    errors=(409, 422, 503),
)
def import_clouds(ctx: RequestContext) -> CloudsYamlImported:
    """One OpenStack server per cloud of the file (or per named cloud), named after it: all or none."""
    body: CloudsYamlImport = ctx.body
    servers = deps.servers_service().import_clouds_yaml(
        ctx.caller.require_tenant(), body.clouds_yaml, body.clouds, body.labels
    )
    return CloudsYamlImported(servers=servers)


@endpoint(bp, "GET", "v1/servers", summary="List servers", tag="servers", query=PageQuery, response=Page[Server])
def list_servers(ctx: RequestContext) -> Page[Server]:
    return deps.servers_service().list_servers(ctx.caller.require_tenant(), ctx.query)


@endpoint(bp, "GET", "v1/servers/{server_id}", summary="Get a server", tag="servers", response=Server, errors=(404,))
def get_server(ctx: RequestContext) -> Server:
    return deps.servers_service().get_server(ctx.caller.require_tenant(), ctx.path["server_id"])


@endpoint(
    bp,
    "PUT",
    "v1/servers/{server_id}",
    summary="Replace a server (credentials included)",
    tag="servers",
    body=ServerUpdate,
    response=Server,
    errors=(404, 409, 422, 503),
)
def replace_server(ctx: RequestContext) -> Server:
    return deps.servers_service().replace_server(ctx.caller.require_tenant(), ctx.path["server_id"], ctx.body)


@endpoint(
    bp,
    "PATCH",
    "v1/servers/{server_id}",
    summary="Change some of a server's fields",
    tag="servers",
    body=ServerPatch,
    response=Server,
    errors=(404, 409, 422, 503),
)
def patch_server(ctx: RequestContext) -> Server:
    """Fields left out keep their value; credentials left out are kept."""
    return deps.servers_service().patch_server(ctx.caller.require_tenant(), ctx.path["server_id"], ctx.body)


@endpoint(bp, "DELETE", "v1/servers/{server_id}", summary="Delete a server", tag="servers", status=204, errors=(404,))
def delete_server(ctx: RequestContext) -> None:
    deps.servers_service().delete_server(ctx.caller.require_tenant(), ctx.path["server_id"])


def _probe(ctx: RequestContext) -> ServerTest:
    return deps.servers_service().probe_server(ctx.caller.require_tenant(), ctx.path["server_id"])


@endpoint(
    bp,
    "POST",
    "v1/servers/{server_id}/test",
    summary="Check a cluster or cloud live",
    tag="servers",
    response=ServerTest,
    errors=(404,),
)
def run_server_test(ctx: RequestContext) -> ServerTest:
    """Reachability, Kubernetes version, nodes, capacity and latency, with a short timeout; for
    a cloud: a fresh login, Keystone's version, the region's catalog, the project and roles.

    An unreachable or unauthorised cluster or cloud is a 200 with ``ok: false`` and a reason code.
    """
    return _probe(ctx)


@endpoint(
    bp,
    "GET",
    "v1/servers/{server_id}/test",
    summary="Check a cluster live (GET, as the seed calls it)",
    tag="servers",
    response=ServerTest,
    errors=(404,),
)
def get_server_test(ctx: RequestContext) -> ServerTest:
    return _probe(ctx)


@endpoint(
    bp,
    "GET",
    "v1/servers/{server_id}/usage",
    summary="Capacity, allocated and free resources of a cluster",
    tag="servers",
    response=ServerUsage,
    errors=(404, 503),
)
def get_server_usage(ctx: RequestContext) -> ServerUsage:
    """Allocated is the sum of the requests of the pods that are not Succeeded or Failed."""
    return deps.servers_service().server_usage(ctx.caller.require_tenant(), ctx.path["server_id"])
