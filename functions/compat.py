"""Seed 000's paths and ``{"success": ...}`` shapes, over the /api/v1 services (docs/compat.md).

Authenticated and rate-limited like every operation; failures answer in the seed's
``{"success": false, "error", "status_code"}`` shape (``legacy_errors``).
"""

from __future__ import annotations

from typing import Any

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.compat import LegacyPodCreate, LegacyPodQuery, LegacyPodUpdate, LegacyServerConfigure
from shared.services import compat_shapes as compat

bp = func.Blueprint()

TAG = "compat"


@endpoint(
    bp,
    "GET",
    "server-config/servers",
    summary="Seed: list servers (GET /api/v1/servers, all pages)",
    tag=TAG,
    legacy_errors=True,
)
def legacy_list_servers(ctx: RequestContext) -> dict[str, Any]:
    return compat.servers_response(deps.compat_service().all_servers(ctx.caller.require_tenant()))


@endpoint(
    bp,
    "POST",
    "server-config/configure",
    summary="Seed: create or update a server (POST /api/v1/servers or PATCH /api/v1/servers/{id})",
    tag=TAG,
    body=LegacyServerConfigure,
    errors=(404, 409, 422, 503),
    legacy_errors=True,
)
def legacy_configure_server(ctx: RequestContext) -> dict[str, Any]:
    """With ``id``, or a ``name`` a server of the tenant has, that server is updated (fields left out,
    credentials included, are kept); otherwise a server is created. Always 200; ``created`` says which."""
    server, created = deps.compat_service().configure(ctx.caller.require_tenant(), ctx.body)
    return compat.configure_response(server, created)


@endpoint(
    bp,
    "GET",
    "server-config/servers/{server_id}/test",
    summary="Seed: check a cluster live (GET /api/v1/servers/{id}/test)",
    tag=TAG,
    errors=(404,),
    legacy_errors=True,
)
def legacy_test_server(ctx: RequestContext) -> dict[str, Any]:
    """``success`` is whether the cluster answered (an unreachable one is a 200 with ``success: false``)."""
    server_id = ctx.path["server_id"]
    return compat.probe_response(server_id, deps.servers_service().probe_server(ctx.caller.require_tenant(), server_id))


@endpoint(
    bp,
    "GET",
    "server-config/templates",
    summary="Seed: list pod templates (GET /api/v1/templates, all pages)",
    tag=TAG,
    legacy_errors=True,
)
def legacy_list_templates(ctx: RequestContext) -> dict[str, Any]:
    return compat.templates_response(deps.compat_service().all_templates(ctx.caller.require_tenant()))


@endpoint(
    bp,
    "GET",
    "k8s/pods",
    summary="Seed: list pods across servers (GET /api/v1/pods, all pages)",
    tag=TAG,
    query=LegacyPodQuery,
    errors=(404,),
    legacy_errors=True,
)
def legacy_list_pods(ctx: RequestContext) -> dict[str, Any]:
    """A server that is down or slow is an ``errors`` entry, not a failure."""
    page = deps.compat_service().all_pods(ctx.caller.require_tenant().id, ctx.query)
    return compat.pods_response(page.items, page.errors)


@endpoint(
    bp,
    "POST",
    "k8s/pods",
    summary="Seed: create a pod (POST /api/v1/pods)",
    tag=TAG,
    body=LegacyPodCreate,
    errors=(404, 409, 422, 503),
    legacy_errors=True,
)
def legacy_create_pod(ctx: RequestContext) -> dict[str, Any]:
    """Answers 200 (as the seed does). Without ``image``: the ``builtin:gpu-1`` template's image and command
    when ``gpus > 0``, else ``builtin:cpu-small``'s."""
    return compat.pod_created_response(
        deps.pods_service().create_pod(ctx.caller.require_tenant().id, compat.pod_create(ctx.body))
    )


@endpoint(
    bp,
    "GET",
    "k8s/pods/{pod_id}",
    summary="Seed: get a pod (GET /api/v1/pods/{id})",
    tag=TAG,
    errors=(404, 503),
    legacy_errors=True,
)
def legacy_get_pod(ctx: RequestContext) -> dict[str, Any]:
    return compat.pod_response(deps.pods_service().get_pod(ctx.caller.require_tenant().id, ctx.path["pod_id"]))


@endpoint(
    bp,
    "PUT",
    "k8s/pods/{pod_id}",
    summary="Seed: change a pod, replaced at once (PUT /api/v1/pods/{id} does it as a job)",
    tag=TAG,
    rate_class="jobs",
    body=LegacyPodUpdate,
    errors=(404, 409, 422, 503),
    legacy_errors=True,
)
def legacy_update_pod(ctx: RequestContext) -> dict[str, Any]:
    """The seed expects the changed pod back, so the replacement (delete, then create with the same id, name
    and server) runs within the request, by the same service function the ``pods.replace`` job runs."""
    tenant_id = ctx.caller.require_tenant().id
    replaced = deps.pods_service().replace_pod(tenant_id, ctx.path["pod_id"], compat.pod_update(ctx.body))
    return compat.pod_updated_response(replaced)


@endpoint(
    bp,
    "DELETE",
    "k8s/pods/{pod_id}",
    summary="Seed: delete a pod (DELETE /api/v1/pods/{id})",
    tag=TAG,
    errors=(404, 503),
    legacy_errors=True,
)
def legacy_delete_pod(ctx: RequestContext) -> dict[str, Any]:
    """Answers 200 with ``{"success": true, ...}`` (v1 answers 204)."""
    pod_id = ctx.path["pod_id"]
    deps.pods_service().delete_pod(ctx.caller.require_tenant().id, pod_id)
    return compat.pod_deleted_response(pod_id)
