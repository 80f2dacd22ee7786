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

What a pod runs is built in ``pod_specs``, its Kubernetes object in ``pod_manifests``, its status
in ``pod_status``; where it goes is decided in ``pod_placement``; ``fan_out`` asks many clusters
at once; the ``pods.*`` job types are in ``pod_jobs``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from shared.clock import Clock
from shared.config import Settings
from shared.errors import Conflict, NotFound, ServiceUnavailable
from shared.logs import log_event
from shared.models.pods import Pod, PodCreate, PodListQuery, PodPage, PodReplaced, PodUpdate
from shared.providers import kubernetes as kube
from shared.services import pod_placement
from shared.services.fan_out import ClusterFanOut
from shared.services.pod_manifests import PodSpec, manifest, owned, selector, to_pod, wanted_amounts
from shared.services.pod_specs import spec_for_update, spec_from_template, spec_without_template
from shared.services.pod_status import holds_resources
from shared.services.servers import ServersService
from shared.services.templates import TemplatesService
from shared.storage.pagination import decode_offset, encode_offset
from shared.storage.pods import PodIndex, PodRecord
from shared.storage.servers import ServerRecord

logger = logging.getLogger("cloudplane.pods")

AUTO = "auto"
POD_ID_PATTERN = r"^pod_[0-9a-f]{32}$"


def _unavailable(server_id: str, error: kube.ClusterError) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"The cluster could not be used: {error.message}",
        code="SERVER_UNAVAILABLE",
        details={"server_id": server_id, "reason": error.reason},
    )


def _pod_not_found(pod_id: str) -> NotFound:
    return NotFound(f"Pod {pod_id} not found.", code="POD_NOT_FOUND", details={"pod_id": pod_id})


class PodsService:
    def __init__(
        self,
        index: PodIndex,
        servers: ServersService,
        templates: TemplatesService,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._index = index
        self._servers = servers
        self._templates = templates
        self._timeout = settings.k8s_timeout_seconds
        self._clock = clock
        self._fan_out = ClusterFanOut(servers.target, self._timeout)

    # ---------------------------------------------------------------- the API's operations

    def create_pod(self, tenant_id: str, request: PodCreate, pod_id: str | None = None) -> Pod:
        """Create the pod; ``pod_id`` is given by a deploy job (stable across its retries)."""
        spec = self._spec(tenant_id, request)
        wanted = wanted_amounts(spec.resources)
        if request.server_id == AUTO:
            record = self._place(tenant_id, wanted)
        else:
            record = self._servers.load(tenant_id, request.server_id)
            pod_placement.check_fit(record.server.id, wanted, self._measure(record))
        pod_id = pod_id or f"pod_{uuid.uuid4().hex}"
        now = self._clock()
        self._index.put(
            PodRecord(tenant_id, pod_id, record.server.id, record.server.namespace or "", request.name, now)
        )
        try:  # the index row first: a pod never exists without it
            created = self._create_in_cluster(tenant_id, record, pod_id, request.name, spec, now)
        except BaseException:
            self._index.delete(tenant_id, pod_id)
            raise
        log_event(logger, "pod_created", tenant_id=tenant_id, pod_id=pod_id, server_id=record.server.id)
        return to_pod(record.server.id, created)

    def get_pod(self, tenant_id: str, pod_id: str) -> Pod:
        index, _, item = self._read(tenant_id, pod_id)
        return to_pod(index.server_id, item)

    def indexed(self, tenant_id: str, pod_id: str) -> bool:
        """Whether the index knows the pod id (a deploy job's retry finds the pods it made)."""
        return self._index.get(tenant_id, pod_id) is not None

    def delete_pod(self, tenant_id: str, pod_id: str) -> None:
        index, record, _ = self._read(tenant_id, pod_id)
        try:
            kube.delete_pod(self._servers.target(record), index.namespace, index.name, self._timeout)
        except kube.ClusterError as error:
            raise _unavailable(record.server.id, error) from None
        self._index.delete(tenant_id, pod_id)
        log_event(logger, "pod_deleted", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)

    def check_replacement(self, tenant_id: str, pod_id: str, request: PodUpdate) -> None:
        """The checks of a replacement (404, 422, 409) without doing it: what a PUT answers at once."""
        self._replacement(tenant_id, pod_id, request)

    def replace_pod(self, tenant_id: str, pod_id: str, request: PodUpdate) -> PodReplaced:
        """Delete and create again with the same id, name and server (Kubernetes cannot resize a pod).

        Run by the ``pods.replace`` job. The capacity check is made again (the cluster may have
        changed since the PUT). If the create fails after the delete, the pod is gone: the index
        row is removed and the job reports the error, so the client sees the truth and may
        create it again.
        """
        index, record, current, spec = self._replacement(tenant_id, pod_id, request)
        timeout = self._timeout
        try:
            where = self._servers.target(record)
            kube.delete_pod(where, index.namespace, index.name, timeout)
            deadline = time.monotonic() + timeout * 6
            while kube.read_pod(where, index.namespace, index.name, timeout) is not None:
                if time.monotonic() > deadline:
                    raise kube.ClusterError("TIMEOUT", "The old pod did not go away in time.")
                time.sleep(0.2)
        except kube.ClusterError as error:
            raise _unavailable(record.server.id, error) from None
        created_at = current.created_at or self._clock()
        try:
            created = self._create_in_cluster(tenant_id, record, pod_id, index.name, spec, created_at)
        except BaseException:
            self._index.delete(tenant_id, pod_id)
            log_event(logger, "pod_replace_failed", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)
            raise
        log_event(logger, "pod_replaced", tenant_id=tenant_id, pod_id=pod_id, server_id=index.server_id)
        return PodReplaced(**to_pod(index.server_id, created).model_dump(), replaced=True)

    def list_pods(self, tenant_id: str, query: PodListQuery) -> PodPage:
        records = self._servers.records(tenant_id)
        if query.server_id is not None:
            records = [record for record in records if record.server.id == query.server_id]
            if not records:
                raise NotFound(
                    f"Server {query.server_id} not found.",
                    code="SERVER_NOT_FOUND",
                    details={"server_id": query.server_id},
                )
        labels = selector(tenant_id, query.label)
        label_key, _, label_value = (query.label or "").partition("=")
        timeout = self._timeout
        namespaces = {record.server.id: record.server.namespace or "" for record in records}

        def fetch(where: kube.Target) -> list[dict[str, Any]]:
            return kube.list_pods(where, namespaces[where.server_id], labels, timeout)

        found, failures = self._fan_out.run(records, fetch)
        pods: list[Pod] = []
        for server_id, items in found.items():
            for item in items:
                if not owned(tenant_id, item):  # kmock (and a misconfigured proxy) ignore selectors
                    continue
                item.setdefault("metadata", {}).setdefault("namespace", namespaces[server_id])
                pod = to_pod(server_id, item)
                if query.status is not None and pod.status != query.status:
                    continue
                if query.label is not None and pod.labels.get(label_key) != label_value:
                    continue
                pods.append(pod)
        epoch = datetime.min.replace(tzinfo=UTC)
        pods.sort(key=lambda p: (p.created_at or epoch, p.id), reverse=True)
        offset = decode_offset(query.cursor)
        window = pods[offset : offset + query.limit]
        more = offset + query.limit < len(pods)
        failures.sort(key=lambda failure: failure.server_id)
        return PodPage(
            items=window,
            next_cursor=encode_offset(offset + query.limit) if more else None,
            has_more=more,
            errors=failures,
        )

    # ---------------------------------------------------------------- helpers

    def _spec(self, tenant_id: str, request: PodCreate) -> PodSpec:
        if request.template_id is None:
            return spec_without_template(request)
        return spec_from_template(self._templates.get_template(tenant_id, request.template_id), request)

    def _measure(self, record: ServerRecord) -> kube.Fit:
        try:
            return kube.fit(self._servers.target(record), self._timeout)
        except kube.ClusterError as error:
            raise _unavailable(record.server.id, error) from None

    def _place(self, tenant_id: str, wanted: pod_placement.Amounts) -> ServerRecord:
        """The server with room for ``wanted`` now (see ``pod_placement.choose``)."""
        records = self._servers.records(tenant_id)
        if not records:
            raise Conflict("No server is registered to place the pod on.", code="NO_SERVERS")
        timeout = self._timeout
        fits, failures = self._fan_out.run(records, lambda t: kube.fit(t, timeout))
        by_id = {record.server.id: record for record in records}
        names = {server_id: record.server.name for server_id, record in by_id.items()}
        return by_id[pod_placement.choose(wanted, fits, failures, names)]

    def _lookup(self, tenant_id: str, pod_id: str) -> PodRecord:
        record = self._index.get(tenant_id, pod_id) if re.fullmatch(POD_ID_PATTERN, pod_id) else None
        if record is None:
            raise _pod_not_found(pod_id)
        return record

    def _create_in_cluster(
        self, tenant_id: str, record: ServerRecord, pod_id: str, name: str, spec: PodSpec, created_at: datetime
    ) -> dict[str, Any]:
        namespace = record.server.namespace or ""  # set on every kubernetes server
        try:
            where = self._servers.target(record)
            kube.ensure_namespace(where, namespace, self._timeout)
            created = kube.create_pod(
                where, namespace, manifest(tenant_id, pod_id, name, spec, created_at), self._timeout
            )
        except kube.ClusterError as error:
            if error.status == 409:
                raise Conflict(
                    f"A pod named {name!r} exists on that server.", code="POD_NAME_TAKEN", details={"name": name}
                ) from None
            raise _unavailable(record.server.id, error) from None
        created.setdefault("metadata", {}).setdefault("namespace", namespace)
        return created

    def _read(self, tenant_id: str, pod_id: str) -> tuple[PodRecord, ServerRecord, dict[str, Any]]:
        index = self._lookup(tenant_id, pod_id)
        try:
            record = self._servers.load(tenant_id, index.server_id)
        except NotFound:  # the server was deleted: its pods are gone from this tenant's view
            self._index.delete(tenant_id, pod_id)
            raise _pod_not_found(pod_id) from None
        try:
            item = kube.read_pod(self._servers.target(record), index.namespace, index.name, self._timeout)
        except kube.ClusterError as error:
            raise _unavailable(record.server.id, error) from None
        if item is None or not owned(tenant_id, item, pod_id):
            if item is None:
                self._index.delete(tenant_id, pod_id)  # a row left by a crash, or a pod deleted outside
            raise _pod_not_found(pod_id)
        item.setdefault("metadata", {}).setdefault("namespace", index.namespace)
        return index, record, item

    def _replacement(
        self, tenant_id: str, pod_id: str, request: PodUpdate
    ) -> tuple[PodRecord, ServerRecord, Pod, PodSpec]:
        """Read the pod, build its new spec and check it fits (its own requests credited back)."""
        index, record, item = self._read(tenant_id, pod_id)
        current = to_pod(index.server_id, item)
        spec = spec_for_update(current, request)
        credit = kube.pod_requests(item) if holds_resources(item) else None
        pod_placement.check_fit(record.server.id, wanted_amounts(spec.resources), self._measure(record), credit)
        return index, record, current, spec
