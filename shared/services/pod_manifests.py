"""Pods as Kubernetes objects: the manifest we create, and a listed object read back as a ``Pod``.

Every pod carries the labels ``app.kubernetes.io/managed-by=cloudplane``,
``cloudplane.io/tenant`` and ``cloudplane.io/pod-id``; reads select on them and filter again
client-side (``owned``), so a tenant never sees another tenant's pod on a cluster they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.models.pods import Pod
from shared.models.templates import PodResources
from shared.providers import kubernetes as kube
from shared.providers.quantities import GIB, parse_quantity
from shared.services.pod_status import status_of

MANAGED_BY = "app.kubernetes.io/managed-by"
TENANT = "cloudplane.io/tenant"
POD_ID = "cloudplane.io/pod-id"
TEMPLATE = "cloudplane.io/template-id"
CREATED = "cloudplane.io/created-at"
OURS = (MANAGED_BY, TENANT, POD_ID)


@dataclass(frozen=True)
class PodSpec:
    """A pod's content after the template and the request's overrides."""

    image: str
    command: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    resources: PodResources = field(default_factory=PodResources)
    labels: dict[str, str] = field(default_factory=dict)
    template_id: str | None = None


def _quantity(value: float) -> str:
    """Whole numbers as such, fractions in milli-units: exact and what Kubernetes prints."""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value * 1000)}m"


def _gi(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)}Gi"
    return f"{round(value * 1024)}Mi"


def resource_requests(resources: PodResources) -> dict[str, str]:
    """The container's requests (and equal limits) as Kubernetes quantities."""
    wanted = {"cpu": _quantity(resources.cpu), "memory": _gi(resources.ram_gb)}
    if resources.gpus > 0:
        wanted[kube.GPU] = str(resources.gpus)
    if resources.storage_gb > 0:
        wanted["ephemeral-storage"] = _gi(resources.storage_gb)
    return wanted


def wanted_amounts(resources: PodResources) -> dict[str, Decimal]:
    """The request in base units, keyed like ``kube.USAGE_RESOURCES``."""
    return {
        "cpu": parse_quantity(_quantity(resources.cpu)),
        "memory": parse_quantity(_gi(resources.ram_gb)),
        kube.GPU: Decimal(resources.gpus),
        "ephemeral-storage": parse_quantity(_gi(resources.storage_gb)) if resources.storage_gb else Decimal(0),
    }


def manifest(tenant_id: str, pod_id: str, name: str, spec: PodSpec, created_at: datetime) -> dict[str, Any]:
    requests = resource_requests(spec.resources)
    container: dict[str, Any] = {
        "name": "main",
        "image": spec.image,
        "resources": {"requests": dict(requests), "limits": dict(requests)},
    }
    if spec.command:
        container["command"] = list(spec.command)
    if spec.env:
        container["env"] = [{"name": key, "value": value} for key, value in sorted(spec.env.items())]
    annotations = {CREATED: created_at.isoformat()}
    if spec.template_id:
        annotations[TEMPLATE] = spec.template_id
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "labels": {**spec.labels, MANAGED_BY: "cloudplane", TENANT: tenant_id, POD_ID: pod_id},
            "annotations": annotations,
        },
        "spec": {"restartPolicy": "Never", "containers": [container]},
    }


def selector(tenant_id: str, label: str | None = None) -> str:
    """The label selector of a tenant's pods (and one more ``key=value``, if given)."""
    found = f"{MANAGED_BY}=cloudplane,{TENANT}={tenant_id}"
    return f"{found},{label}" if label is not None else found


def _resources_of(pod: dict[str, Any]) -> PodResources:
    requests = kube.pod_requests(pod)
    return PodResources.model_construct(
        gpus=int(requests[kube.GPU]),
        cpu=float(requests["cpu"]),
        ram_gb=round(float(requests["memory"] / GIB), 3),
        storage_gb=round(float(requests["ephemeral-storage"] / GIB), 3),
    )


def _created_at(meta: dict[str, Any]) -> datetime | None:
    for value in (meta.get("creationTimestamp"), (meta.get("annotations") or {}).get(CREATED)):
        if value:
            try:
                return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                continue
    return None


def to_pod(server_id: str, item: dict[str, Any]) -> Pod:
    meta = item.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    containers = (item.get("spec") or {}).get("containers") or [{}]
    main = containers[0] or {}
    return Pod(
        id=labels[POD_ID],
        server_id=server_id,
        name=str(meta.get("name") or ""),
        namespace=str(meta.get("namespace") or ""),
        image=str(main.get("image") or ""),
        command=list(main.get("command") or []),
        env={str(e.get("name")): str(e.get("value") or "") for e in main.get("env") or [] if isinstance(e, dict)},
        resources=_resources_of(item),
        labels={key: value for key, value in labels.items() if key not in OURS},
        template_id=(meta.get("annotations") or {}).get(TEMPLATE),
        status=status_of(item),
        phase=(item.get("status") or {}).get("phase"),
        node_name=(item.get("spec") or {}).get("nodeName"),
        created_at=_created_at(meta),
    )


def owned(tenant_id: str, item: dict[str, Any], pod_id: str | None = None) -> bool:
    """Whether a listed object is one of this tenant's pods (and the pod ``pod_id``, if given)."""
    labels = (item.get("metadata") or {}).get("labels") or {}
    if labels.get(MANAGED_BY) != "cloudplane" or labels.get(TENANT) != tenant_id or not labels.get(POD_ID):
        return False
    return pod_id is None or labels.get(POD_ID) == pod_id
