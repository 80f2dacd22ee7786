"""Pods on a tenant's servers: create (placed or on a given server), list across servers, get, replace, delete.

The clusters are the truth for what runs; the Table ``pods`` index maps an opaque pod id to
its server, namespace and Kubernetes name (see ``shared.storage.pods`` for the order of
writes). Every pod carries the labels ``app.kubernetes.io/managed-by=cloudplane``,
``cloudplane.io/tenant`` and ``cloudplane.io/pod-id``; reads select on them and filter
again client-side, so a tenant never sees another tenant's pod on a cluster they share.

Listing asks every server at once (a shared thread pool, the per-server timeout
``CLOUDPLANE_K8S_TIMEOUT_SECONDS``); a server that fails or is late is an ``errors`` entry,
never a failed list. The page cursor is an offset into the merged, sorted list: the list
is built live from several clusters on every request, so there is no stored order to
resume from; a pod created or deleted between two pages can shift the offset by one.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from shared import deps
from shared.api.http import Result
from shared.config import get_settings
from shared.errors import BadRequest, Conflict, DomainError, NotFound, ServiceUnavailable, ValidationFailed
from shared.logs import log_event
from shared.models.pods import Pod, PodCreate, PodListQuery, PodPage, PodReplaced, PodStatus, PodUpdate, ServerFailure
from shared.models.templates import PodResources
from shared.providers import kubernetes as kube
from shared.providers.quantities import GIB, parse_quantity
from shared.services.servers import target
from shared.storage.pods import PodRecord
from shared.storage.servers import ServerRecord

logger = logging.getLogger("cloudplane.pods")

MANAGED_BY = "app.kubernetes.io/managed-by"
TENANT = "cloudplane.io/tenant"
POD_ID = "cloudplane.io/pod-id"
TEMPLATE = "cloudplane.io/template-id"
CREATED = "cloudplane.io/created-at"
OURS = (MANAGED_BY, TENANT, POD_ID)
AUTO = "auto"
POD_ID_PATTERN = r"^pod_[0-9a-f]{32}$"

# Shared by every request: threads are reused, and a cluster stuck past its timeout only
# holds a worker until the client's own socket timeout frees it.
_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="cloudplane-k8s")
T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def _timeout() -> float:
    return get_settings().k8s_timeout_seconds


def _unavailable(server_id: str, error: kube.ClusterError) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"The cluster could not be used: {error.message}",
        code="SERVER_UNAVAILABLE",
        details={"server_id": server_id, "reason": error.reason},
    )


def _reachable(record: ServerRecord) -> kube.Target:
    """The server's target, pinned to the address the rules checked just now."""
    return target(record)


def _fan_out(records: list[ServerRecord], call: Callable[[kube.Target], T]) -> tuple[dict[str, T], list[ServerFailure]]:
    """``call`` on every server at once; results by server id, and failures (late ones too)."""
    timeout = _timeout()
    futures: dict[str, Future[T]] = {}
    failures: list[ServerFailure] = []
    for record in records:
        try:
            futures[record.server.id] = _POOL.submit(call, _reachable(record))
        except kube.ClusterError as error:
            failures.append(ServerFailure(server_id=record.server.id, reason=error.reason))
    # One deadline for all: each call has its own socket timeout; this bounds the whole wait
    # (a list may take a few round trips) so one slow server cannot hold the others' answer.
    deadline = time.monotonic() + timeout * 2 + 0.5
    results: dict[str, T] = {}
    for server_id, future in futures.items():
        try:
            results[server_id] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            failures.append(ServerFailure(server_id=server_id, reason="TIMEOUT"))
        except kube.ClusterError as error:
            failures.append(ServerFailure(server_id=server_id, reason=error.reason))
        except DomainError as error:
            failures.append(ServerFailure(server_id=server_id, reason=error.code))
    return results, failures


# ---------------------------------------------------------------- Kubernetes objects


def _quantity(value: float) -> str:
    """Whole numbers as such, fractions in milli-units: exact and what Kubernetes prints."""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value * 1000)}m"


def _gi(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)}Gi"
    return f"{round(value * 1024)}Mi"


def _requests(resources: PodResources) -> dict[str, str]:
    wanted = {"cpu": _quantity(resources.cpu), "memory": _gi(resources.ram_gb)}
    if resources.gpus > 0:
        wanted[kube.GPU] = str(resources.gpus)
    if resources.storage_gb > 0:
        wanted["ephemeral-storage"] = _gi(resources.storage_gb)
    return wanted


def _wanted(resources: PodResources) -> dict[str, Decimal]:
    """The request in base units, keyed like ``kube.USAGE_RESOURCES``."""
    return {
        "cpu": parse_quantity(_quantity(resources.cpu)),
        "memory": parse_quantity(_gi(resources.ram_gb)),
        kube.GPU: Decimal(resources.gpus),
        "ephemeral-storage": parse_quantity(_gi(resources.storage_gb)) if resources.storage_gb else Decimal(0),
    }


def _manifest(tenant_id: str, pod_id: str, name: str, spec: _Spec, created_at: datetime) -> dict[str, Any]:
    requests = _requests(spec.resources)
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


_WAITING_FAILURES = {
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CrashLoopBackOff",
}


def status_of(pod: dict[str, Any]) -> PodStatus:
    """Phase and conditions to ``pending``, ``running``, ``succeeded``, ``failed`` or ``unknown``.

    No status at all is ``pending`` (a pod just accepted by the API). A pod that cannot
    start (image pull errors, crash loops) is ``failed`` whatever its phase says.
    """
    status = pod.get("status") or {}
    phase = status.get("phase")
    for container in status.get("containerStatuses") or []:
        waiting = ((container or {}).get("state") or {}).get("waiting") or {}
        if waiting.get("reason") in _WAITING_FAILURES:
            return "failed"
    if phase is None:
        return "pending" if not status else "unknown"
    mapped: dict[str, PodStatus] = {
        "Pending": "pending",
        "Running": "running",
        "Succeeded": "succeeded",
        "Failed": "failed",
    }
    return mapped.get(str(phase), "unknown")


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


def _to_pod(server_id: str, item: dict[str, Any]) -> Pod:
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


def _owned(tenant_id: str, item: dict[str, Any], pod_id: str | None = None) -> bool:
    labels = (item.get("metadata") or {}).get("labels") or {}
    if labels.get(MANAGED_BY) != "cloudplane" or labels.get(TENANT) != tenant_id or not labels.get(POD_ID):
        return False
    return pod_id is None or labels.get(POD_ID) == pod_id


# ---------------------------------------------------------------- spec and placement


class _Spec:
    """A pod's content after the template and the request's overrides."""

    def __init__(
        self,
        *,
        image: str,
        command: list[str],
        env: dict[str, str],
        resources: PodResources,
        labels: dict[str, str],
        template_id: str | None,
    ) -> None:
        self.image, self.command, self.env = image, command, env
        self.resources, self.labels, self.template_id = resources, labels, template_id


def _merged(base: PodResources, given: PodResources | None) -> PodResources:
    """``base`` with the fields ``given`` sets (a partial ``resources`` changes only those)."""
    if given is None:
        return base
    return PodResources.model_validate({**base.model_dump(), **given.model_dump(include=given.model_fields_set)})


def _spec(tenant_id: str, request: PodCreate) -> _Spec:
    if request.template_id is None:
        if request.image is None:
            raise ValidationFailed("image is required without template_id.", code="VALIDATION_FAILED")
        return _Spec(
            image=request.image,
            command=request.command or [],
            env=request.env or {},
            resources=request.resources or PodResources(),
            labels=request.labels or {},
            template_id=None,
        )
    from shared.services import templates  # written alongside; imported when a template is used

    template = templates.get_template(tenant_id, request.template_id)
    labels = {key: value for key, value in template.labels.items() if key not in OURS}
    return _Spec(
        image=request.image if request.image is not None else template.image,
        command=request.command if request.command is not None else list(template.command),
        env={**template.env, **(request.env or {})},
        resources=_merged(template.resources, request.resources),
        labels={**labels, **(request.labels or {})},
        template_id=template.id,
    )


_UNITS = {"cpu": ("cpu", Decimal(1)), "memory": ("ram_gb", GIB), kube.GPU: ("gpus", Decimal(1))}
_UNITS["ephemeral-storage"] = ("storage_gb", GIB)


def _readable(amounts: dict[str, Decimal]) -> dict[str, float]:
    return {field: round(float(amounts[resource] / scale), 3) for resource, (field, scale) in _UNITS.items()}


def _fits_node(wanted: dict[str, Decimal], fit: kube.Fit) -> bool:
    return any(all(node[r] >= amount for r, amount in wanted.items() if amount > 0) for node in fit.nodes)


def _fits_free(wanted: dict[str, Decimal], free: dict[str, Decimal]) -> bool:
    return all(free[r] >= amount for r, amount in wanted.items() if amount > 0)


def _too_large(wanted: dict[str, Decimal], server_ids: list[str]) -> ValidationFailed:
    return ValidationFailed(
        "No node of the server can ever fit this pod.",
        code="POD_TOO_LARGE",
        details={"requested": _readable(wanted), "server_ids": server_ids},
    )


def _insufficient(wanted: dict[str, Decimal], free: dict[str, dict[str, float]]) -> Conflict:
    return Conflict(
        "Not enough free resources for this pod now.",
        code="INSUFFICIENT_RESOURCES",
        details={"requested": _readable(wanted), "free": free},
    )


def _check_fit(server_id: str, wanted: dict[str, Decimal], fit: kube.Fit, credit: dict[str, Decimal] | None) -> None:
    if not _fits_node(wanted, fit):
        raise _too_large(wanted, [server_id])
    free = {r: amount + (credit or {}).get(r, Decimal(0)) for r, amount in fit.free.items()}
    if not _fits_free(wanted, free):
        raise _insufficient(wanted, {server_id: _readable(free)})


def _server(tenant_id: str, server_id: str) -> ServerRecord:
    record = deps.servers().get(tenant_id, server_id)
    if record is None:
        raise NotFound(f"Server {server_id} not found.", code="SERVER_NOT_FOUND", details={"server_id": server_id})
    return record


def _measure_one(record: ServerRecord) -> kube.Fit:
    try:
        return kube.fit(_reachable(record), _timeout())
    except kube.ClusterError as error:
        raise _unavailable(record.server.id, error) from None


def _place(tenant_id: str, wanted: dict[str, Decimal]) -> ServerRecord:
    """The server with room for ``wanted`` now, most free GPUs first (then CPU, memory)."""
    records = deps.servers().records(tenant_id)
    if not records:
        raise Conflict("No server is registered to place the pod on.", code="NO_SERVERS")
    timeout = _timeout()
    fits, failures = _fan_out(records, lambda t: kube.fit(t, timeout))
    by_id = {record.server.id: record for record in records}
    candidates = [(sid, fit) for sid, fit in fits.items() if _fits_node(wanted, fit)]
    if not candidates:
        if fits:
            raise _too_large(wanted, sorted(fits))
        raise ServiceUnavailable(
            "No server could be reached to place the pod.",
            code="SERVERS_UNAVAILABLE",
            details={"errors": [failure.model_dump() for failure in failures]},
        )
    room = [(sid, fit) for sid, fit in candidates if _fits_free(wanted, fit.free)]
    if not room:
        raise _insufficient(wanted, {sid: _readable(fit.free) for sid, fit in candidates})
    room.sort(key=lambda c: (-c[1].free[kube.GPU], -c[1].free["cpu"], -c[1].free["memory"], by_id[c[0]].server.name))
    return by_id[room[0][0]]


# ---------------------------------------------------------------- operations


def _index(tenant_id: str, pod_id: str) -> PodRecord:
    record = deps.pods().get(tenant_id, pod_id) if re.fullmatch(POD_ID_PATTERN, pod_id) else None
    if record is None:
        raise NotFound(f"Pod {pod_id} not found.", code="POD_NOT_FOUND", details={"pod_id": pod_id})
    return record


def _create_in_cluster(
    tenant_id: str, record: ServerRecord, pod_id: str, name: str, spec: _Spec, created_at: datetime
) -> dict[str, Any]:
    namespace = record.server.namespace
    timeout = _timeout()
    try:
        where = _reachable(record)
        kube.ensure_namespace(where, namespace, timeout)
        created = kube.create_pod(where, namespace, _manifest(tenant_id, pod_id, name, spec, created_at), timeout)
    except kube.ClusterError as error:
        if error.status == 409:
            raise Conflict(
                f"A pod named {name!r} exists on that server.", code="POD_NAME_TAKEN", details={"name": name}
            ) from None
        raise _unavailable(record.server.id, error) from None
    created.setdefault("metadata", {}).setdefault("namespace", namespace)
    return created


def create_pod(tenant_id: str, request: PodCreate, pod_id: str | None = None) -> Pod:
    """Create the pod; ``pod_id`` is given by a deploy job (stable across its retries)."""
    spec = _spec(tenant_id, request)
    wanted = _wanted(spec.resources)
    if request.server_id == AUTO:
        record = _place(tenant_id, wanted)
    else:
        record = _server(tenant_id, request.server_id)
        _check_fit(record.server.id, wanted, _measure_one(record), None)
    pod_id = pod_id or f"pod_{uuid.uuid4().hex}"
    now = _now()
    index = PodRecord(tenant_id, pod_id, record.server.id, record.server.namespace, request.name, now)
    deps.pods().put(index)  # first: a pod never exists without its index row
    try:
        created = _create_in_cluster(tenant_id, record, pod_id, request.name, spec, now)
    except BaseException:
        deps.pods().delete(tenant_id, pod_id)
        raise
    log_event(logger, "pod_created", tenant_id=tenant_id, pod_id=pod_id, server_id=record.server.id)
    return _to_pod(record.server.id, created)


def _read(tenant_id: str, pod_id: str) -> tuple[PodRecord, ServerRecord, dict[str, Any]]:
    index = _index(tenant_id, pod_id)
    record = deps.servers().get(tenant_id, index.server_id)
    if record is None:  # the server was deleted: its pods are gone from this tenant's view
        deps.pods().delete(tenant_id, pod_id)
        raise NotFound(f"Pod {pod_id} not found.", code="POD_NOT_FOUND", details={"pod_id": pod_id})
    try:
        item = kube.read_pod(_reachable(record), index.namespace, index.name, _timeout())
    except kube.ClusterError as error:
        raise _unavailable(record.server.id, error) from None
    if item is None or not _owned(tenant_id, item, pod_id):
        if item is None:
            deps.pods().delete(tenant_id, pod_id)  # a row left by a crash, or a pod deleted outside
        raise NotFound(f"Pod {pod_id} not found.", code="POD_NOT_FOUND", details={"pod_id": pod_id})
    item.setdefault("metadata", {}).setdefault("namespace", index.namespace)
    return index, record, item


def get_pod(tenant_id: str, pod_id: str) -> Pod:
    index, _, item = _read(tenant_id, pod_id)
    return _to_pod(index.server_id, item)


def delete_pod(tenant_id: str, pod_id: str) -> None:
    index, record, _ = _read(tenant_id, pod_id)
    try:
        kube.delete_pod(_reachable(record), index.namespace, index.name, _timeout())
    except kube.ClusterError as error:
        raise _unavailable(record.server.id, error) from None
    deps.pods().delete(tenant_id, pod_id)
    log_event(logger, "pod_deleted", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)


def _replacement(tenant_id: str, pod_id: str, request: PodUpdate) -> tuple[PodRecord, ServerRecord, Pod, _Spec]:
    """Read the pod, build its new spec and check it fits (its own requests credited back)."""
    index, record, item = _read(tenant_id, pod_id)
    current = _to_pod(index.server_id, item)
    spec = _Spec(
        image=request.image if request.image is not None else current.image,
        command=request.command if request.command is not None else current.command,
        env=request.env if request.env is not None else current.env,
        resources=_merged(current.resources, request.resources),
        labels=request.labels if request.labels is not None else current.labels,
        template_id=current.template_id,
    )
    wanted = _wanted(spec.resources)
    credit = kube.pod_requests(item) if status_of(item) not in ("succeeded", "failed") else None
    _check_fit(record.server.id, wanted, _measure_one(record), credit)
    return index, record, current, spec


def request_replace(tenant_id: str, pod_id: str, request: PodUpdate, trace_id: str) -> Result:
    """PUT: check now (404, 409, 422 come back at once), then replace in a ``pods.replace`` job (202)."""
    from shared.models.jobs import JobCreate
    from shared.services import jobs

    _replacement(tenant_id, pod_id, request)
    job = JobCreate(
        type="pods.replace",
        name=f"replace {pod_id}",
        configuration={"pod_id": pod_id, "changes": request.model_dump(exclude_unset=True)},
    )
    return jobs.submit(tenant_id, job, trace_id, None)


def replace_pod(tenant_id: str, pod_id: str, request: PodUpdate) -> PodReplaced:
    """Delete and create again with the same id, name and server (Kubernetes cannot resize a pod).

    Run by the ``pods.replace`` job. The capacity check is made again (the cluster may have
    changed since the PUT). If the create fails after the delete, the pod is gone: the index
    row is removed and the job reports the error, so the client sees the truth and may
    create it again.
    """
    index, record, current, spec = _replacement(tenant_id, pod_id, request)
    timeout = _timeout()
    try:
        where = _reachable(record)
        kube.delete_pod(where, index.namespace, index.name, timeout)
        deadline = time.monotonic() + timeout * 6
        while kube.read_pod(where, index.namespace, index.name, timeout) is not None:
            if time.monotonic() > deadline:
                raise kube.ClusterError("TIMEOUT", "The old pod did not go away in time.")
            time.sleep(0.2)
    except kube.ClusterError as error:
        raise _unavailable(record.server.id, error) from None
    try:
        created = _create_in_cluster(tenant_id, record, pod_id, index.name, spec, current.created_at or _now())
    except BaseException:
        deps.pods().delete(tenant_id, pod_id)
        log_event(logger, "pod_replace_failed", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)
        raise
    log_event(logger, "pod_replaced", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)
    return PodReplaced(**_to_pod(index.server_id, created).model_dump(), replaced=True)


def _decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith("o:"):
            raise ValueError(text)
        offset = int(text[2:])
        if offset < 0:
            raise ValueError(text)
        return offset
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("The cursor is not valid.", code="INVALID_CURSOR") from None


def _encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def list_pods(tenant_id: str, query: PodListQuery) -> PodPage:
    records = deps.servers().records(tenant_id)
    if query.server_id is not None:
        records = [record for record in records if record.server.id == query.server_id]
        if not records:
            raise NotFound(
                f"Server {query.server_id} not found.",
                code="SERVER_NOT_FOUND",
                details={"server_id": query.server_id},
            )
    selector = f"{MANAGED_BY}=cloudplane,{TENANT}={tenant_id}"
    if query.label is not None:
        selector += f",{query.label}"
    label_key, _, label_value = (query.label or "").partition("=")
    timeout = _timeout()
    namespaces = {record.server.id: record.server.namespace for record in records}

    def fetch(where: kube.Target) -> list[dict[str, Any]]:
        return kube.list_pods(where, namespaces[where.server_id], selector, timeout)

    found, failures = _fan_out(records, fetch)
    pods: list[Pod] = []
    for server_id, items in found.items():
        for item in items:
            if not _owned(tenant_id, item):  # kmock (and a misconfigured proxy) ignore selectors
                continue
            item.setdefault("metadata", {}).setdefault("namespace", namespaces[server_id])
            pod = _to_pod(server_id, item)
            if query.status is not None and pod.status != query.status:
                continue
            if query.label is not None and pod.labels.get(label_key) != label_value:
                continue
            pods.append(pod)
    epoch = datetime.min.replace(tzinfo=UTC)
    pods.sort(key=lambda p: (p.created_at or epoch, p.id), reverse=True)
    offset = _decode_offset(query.cursor)
    window = pods[offset : offset + query.limit]
    more = offset + query.limit < len(pods)
    failures.sort(key=lambda failure: failure.server_id)
    return PodPage(
        items=window,
        next_cursor=_encode_offset(offset + query.limit) if more else None,
        has_more=more,
        errors=failures,
    )
