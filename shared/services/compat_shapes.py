"""Seed 000's shapes: the v1 models as the seed's ``{"success": ...}`` dicts, and the seed's
requests as v1 requests. Pure functions over the models (docs/compat.md has the mapping); the
calls onto the v1 services are ``compat.CompatService``.
"""

from __future__ import annotations

from typing import Any

from shared.models.compat import LegacyPodCreate, LegacyPodUpdate
from shared.models.pods import Pod, PodCreate, PodUpdate, ServerFailure
from shared.models.servers import Server, ServerTest
from shared.models.templates import Template
from shared.services.builtin_templates import BUILTINS

GPU_TEMPLATE = "builtin:gpu-1"
CPU_TEMPLATE = "builtin:cpu-small"


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
        template = BUILTINS[default_template_id(request)]
        fields["image"] = template.image
        if request.command is None:
            fields["command"] = list(template.command)
    return PodCreate.model_validate(fields)


def pod_update(request: LegacyPodUpdate) -> PodUpdate:
    return PodUpdate.model_validate(request.model_dump(exclude_unset=True))
