"""Seed 000's contract over the /api/v1 services: no second implementation.

The first half is pure: functions from the v1 models to the seed's ``{"success": ...}``
dicts. The second half translates the seed's requests into calls of the v1 services
(``servers``, ``pods``, ``templates``) and nothing more. docs/compat.md has the mapping.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from shared.errors import ValidationFailed, validation_details
from shared.models.common import PageQuery
from shared.models.compat import LegacyPodCreate, LegacyPodQuery, LegacyPodUpdate, LegacyServerConfigure
from shared.models.pods import Pod, PodCreate, PodListQuery, PodPage, PodUpdate, ServerFailure
from shared.models.servers import Server, ServerCreate, ServerPatch, ServerTest
from shared.models.templates import Template
from shared.models.tenants import Tenant
from shared.services import pods, servers, templates

GPU_TEMPLATE = "builtin:gpu-1"
CPU_TEMPLATE = "builtin:cpu-small"
MAX_PAGES = 50
"""Legacy listings are not paged: they walk the v1 pages, up to this many of 100."""


# --- shapes (pure) ---------------------------------------------------------------------


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def pod_dict(pod: Pod) -> dict[str, Any]:
    """The seed's pod: ``id, name, server_id, status, resources, created_at`` (+ image, namespace)."""
    return {
        "id": pod.id,
        "name": pod.name,
        "server_id": pod.server_id,
        "status": pod.status,
        "resources": pod.resources.model_dump(),
        "created_at": _time(pod.created_at),
        "image": pod.image,
        "namespace": pod.namespace,
    }


def server_dict(server: Server) -> dict[str, Any]:
    """A server without credentials (only whether they are set), as v1 shows it."""
    return {
        "id": server.id,
        "name": server.name,
        "api_url": server.api_url,
        "context": server.context,
        "namespace": server.namespace,
        "labels": dict(server.labels),
        "credentials_set": server.credentials.set,
        "credentials_kind": server.credentials.kind,
        "created_at": _time(server.created_at),
        "updated_at": _time(server.updated_at),
    }


def template_dict(template: Template) -> dict[str, Any]:
    return {
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "builtin": template.builtin,
        "image": template.image,
        "command": list(template.command),
        "env": dict(template.env),
        "resources": template.resources.model_dump(),
        "labels": dict(template.labels),
    }


def failure_dict(failure: ServerFailure) -> dict[str, Any]:
    return {"server_id": failure.server_id, "reason": failure.reason}


def servers_response(items: list[Server]) -> dict[str, Any]:
    return {"success": True, "servers": [server_dict(server) for server in items]}


def configure_response(server: Server, created: bool) -> dict[str, Any]:
    verb = "configured" if created else "updated"
    return {
        "success": True,
        "created": created,
        "server": server_dict(server),
        "message": f"Server {server.name} {verb}.",
    }


def probe_response(server_id: str, result: ServerTest) -> dict[str, Any]:
    """``success`` is whether the cluster answered; the probe's fields come along."""
    return {
        "success": result.ok,
        "server_id": server_id,
        "status": "connected" if result.ok else "failed",
        "message": result.message or ("Connection successful." if result.ok else "Connection failed."),
        "reason": result.reason,
        "kubernetes_version": result.kubernetes_version,
        "node_count": result.node_count,
        "capacity": result.capacity.model_dump() if result.capacity is not None else None,
        "latency_ms": result.latency_ms,
        "checked_at": _time(result.checked_at),
    }


def templates_response(items: list[Template]) -> dict[str, Any]:
    return {"success": True, "templates": [template_dict(template) for template in items]}


def pods_response(items: list[Pod], errors: list[ServerFailure]) -> dict[str, Any]:
    return {
        "success": True,
        "pods": [pod_dict(pod) for pod in items],
        "errors": [failure_dict(failure) for failure in errors],
    }


def pod_created_response(pod: Pod) -> dict[str, Any]:
    return {
        "success": True,
        "pod_id": pod.id,
        "message": f"Pod {pod.name} created on server {pod.server_id}.",
        "pod": pod_dict(pod),
    }


def pod_response(pod: Pod) -> dict[str, Any]:
    return {"success": True, "pod": pod_dict(pod)}


def pod_updated_response(pod: Pod) -> dict[str, Any]:
    return {
        "success": True,
        "pod_id": pod.id,
        "message": f"Pod {pod.name} replaced with the new spec (Kubernetes cannot change a running pod).",
        "pod": pod_dict(pod),
    }


def pod_deleted_response(pod_id: str) -> dict[str, Any]:
    return {"success": True, "pod_id": pod_id, "message": f"Pod {pod_id} deleted."}


# --- requests onto the v1 services -------------------------------------------------------


def default_template_id(request: LegacyPodCreate) -> str:
    """The built-in whose image (and command) a seed client that sends no image gets."""
    return GPU_TEMPLATE if request.resources.gpus > 0 else CPU_TEMPLATE


def pod_create(request: LegacyPodCreate) -> PodCreate:
    """The v1 request for a seed pod create: without ``image``, the matching built-in's image and
    command (``sleep infinity``), but none of its resources, env or labels."""
    fields = request.model_dump(exclude_unset=True)
    fields["resources"] = request.resources.model_dump()
    if request.image is None:
        template = templates.BUILTINS[default_template_id(request)]
        fields["image"] = template.image
        if request.command is None:
            fields["command"] = list(template.command)
    return PodCreate.model_validate(fields)


def pod_update(request: LegacyPodUpdate) -> PodUpdate:
    return PodUpdate.model_validate(request.model_dump(exclude_unset=True))


def _validated(model: type[ServerCreate] | type[ServerPatch], fields: dict[str, Any]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise ValidationFailed(
            "The request body is not valid.", details=validation_details(error.errors(), ("body",))
        ) from None


def all_servers(tenant: Tenant) -> list[Server]:
    found: list[Server] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = servers.list_servers(tenant, PageQuery(limit=100, cursor=cursor))
        found += page.items
        cursor = page.next_cursor
        if not page.has_more or cursor is None:
            break
    return found


def configure(tenant: Tenant, request: LegacyServerConfigure) -> tuple[Server, bool]:
    """Update the server ``id`` names (404 if none), else the one with this name; else create it.

    Returns the server and whether it was created.
    """
    fields = request.model_dump(exclude_unset=True, exclude={"id"})
    if "labels" in fields and fields["labels"] is None:
        fields["labels"] = {}  # seed clients send null for "no labels"
    target = request.id
    if target is None and request.name is not None:
        wanted = request.name.lower()
        target = next((server.id for server in all_servers(tenant) if server.name.lower() == wanted), None)
    if target is not None:
        return servers.patch_server(tenant, target, _validated(ServerPatch, fields)), False
    return servers.create_server(tenant, _validated(ServerCreate, fields)), True


def all_templates(tenant: Tenant) -> list[Template]:
    found: list[Template] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = templates.list_templates(tenant, PageQuery(limit=100, cursor=cursor))
        found += page.items
        cursor = page.next_cursor
        if not page.has_more or cursor is None:
            break
    return found


def all_pods(tenant_id: str, query: LegacyPodQuery) -> PodPage:
    """Every pod across the tenant's servers (v1 pages walked), with the unreachable servers."""
    found: list[Pod] = []
    errors: dict[str, ServerFailure] = {}
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = pods.list_pods(
            tenant_id, PodListQuery(limit=100, cursor=cursor, server_id=query.server_id, status=query.status)
        )
        found += page.items
        errors.update({failure.server_id: failure for failure in page.errors})
        cursor = page.next_cursor
        if not page.has_more or cursor is None:
            break
    return PodPage(items=found, has_more=False, errors=sorted(errors.values(), key=lambda f: f.server_id))
