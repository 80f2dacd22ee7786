"""Pod job types: ``pods.deploy`` and ``pods.replace``.

``pods.deploy`` puts one pod spec on several servers, or N replicas spread over servers.

One batch per server, so each server's outcome is its own: its rows say which pods were
created and which failed and why (capacity, an unreachable cluster, a taken name). A
retry with ``failed_only`` re-runs only the servers with failures; pod ids are derived
from the job id, server and pod name, so a pod a previous run created is found in the
index and reported as ``existed`` instead of being created twice.

``pods.replace`` is what ``PUT /api/v1/pods/{id}`` queues once its checks pass: Kubernetes
cannot change a running pod's resources, so the pod is deleted and created again with the
same id, name and server; the result row says whether it was replaced, or why not.

``pod_job_types`` builds both from the services they run on; ``shared.deps`` registers them
once per process. The registry is process-wide while the services are rebuilt when the
settings change (``deps.reset``), so the job types take the services' providers and ask them
on every run. ``PodReplacements`` is the PUT that queues a ``pods.replace`` job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.api.http import Result
from shared.errors import DomainError, NotFound, ValidationFailed
from shared.jobs.registry import BatchContext, BatchOutcome, JobType
from shared.models.base import ApiModel
from shared.models.common import AddressableId
from shared.models.jobs import JobCreate
from shared.models.pods import POD_NAME_PATTERN, PodCreate, PodSpecFields, PodUpdate
from shared.models.templates import PodResources
from shared.services.pods import PodsService
from shared.services.servers import ServersService


class DeployConfig(PodSpecFields):
    """The pod spec (as ``POST /api/v1/pods``) plus where to put it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=POD_NAME_PATTERN, max_length=58, description="Pod name; replicas get -<n>.")
    template_id: str | None = Field(None, min_length=1, max_length=100)
    server_ids: list[AddressableId] | None = Field(
        None, min_length=1, max_length=50, description="Servers to use (default: all of the tenant's)."
    )
    replicas: int | None = Field(
        None, ge=1, le=500, description="Spread this many pods over the servers; without it, one per server."
    )

    # Kept as given (the engine stores the configuration in full): a partial ``resources`` with
    # a template changes only the fields it sets, as in ``POST /api/v1/pods``.
    resources: dict[str, Any] | None = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _distinct(self) -> DeployConfig:
        if self.resources is not None:
            PodResources.model_validate(self.resources)
        if self.server_ids is not None and len(set(self.server_ids)) != len(self.server_ids):
            raise ValueError("server_ids must be distinct")
        return self


def _servers(servers: ServersService, tenant_id: str, config: DeployConfig) -> list[str]:
    known = sorted(servers.records(tenant_id), key=lambda record: (record.server.name, record.server.id))
    ids = [record.server.id for record in known]
    if config.server_ids is None:
        return ids
    missing = [position for position, server_id in enumerate(config.server_ids) if server_id not in ids]
    if missing:  # named by position, never by the caller's value
        fields = [
            {"path": f"body.configuration.server_ids.{position}", "message": "no such server", "type": "not_found"}
            for position in missing
        ]
        raise NotFound("Some servers do not exist.", code="SERVER_NOT_FOUND", details={"fields": fields})
    return list(config.server_ids)


def pod_id_for(job_id: str, server_id: str, name: str) -> str:
    return "pod_" + hashlib.sha256(f"{job_id}:{server_id}:{name}".encode()).hexdigest()[:32]


def _summarize(states: list[dict[str, Any]]) -> dict[str, Any]:
    servers = {state["server_id"]: {"ok": state["ok"], "failed": state["failed"]} for state in states}
    return {
        "servers": servers,
        "pods_ok": sum(state["ok"] for state in states),
        "pods_failed": sum(state["failed"] for state in states),
        "failed_servers": sorted(server_id for server_id, state in servers.items() if state["failed"]),
    }


class ReplaceConfig(ApiModel):
    model_config = ConfigDict(extra="forbid")

    pod_id: str = Field(min_length=1, max_length=100)
    changes: dict[str, Any] = Field(
        default_factory=dict, description="The PUT body as given (a PodUpdate): only what it sets changes."
    )

    @model_validator(mode="after")
    def _valid_changes(self) -> ReplaceConfig:
        PodUpdate.model_validate(self.changes)
        return self


def _plan_replace(tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
    assert isinstance(config, ReplaceConfig)
    return [{"pod_id": config.pod_id}]


def _summarize_replace(states: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(states[0]) if states else {}


class JobSubmitter(Protocol):
    """What queuing a job needs of the jobs service."""

    def submit(self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None) -> Result: ...


def pod_job_types(pods: Callable[[], PodsService], servers: Callable[[], ServersService]) -> tuple[JobType, ...]:
    """``pods.deploy`` and ``pods.replace``, run by the services ``pods()`` and ``servers()`` give."""

    def validate(tenant_id: str, config: BaseModel) -> DeployConfig:
        assert isinstance(config, DeployConfig)
        if not _servers(servers(), tenant_id, config):
            raise ValidationFailed("The tenant has no server to deploy to.", code="NO_SERVERS")
        if config.template_id is None and config.image is None:
            raise ValidationFailed("image is required without template_id.")
        return config

    def plan(tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
        assert isinstance(config, DeployConfig)
        targets = _servers(servers(), tenant_id, config)
        names: dict[str, list[str]] = {server_id: [] for server_id in targets}
        if config.replicas is None:
            for server_id in targets:
                names[server_id].append(config.name)
        else:
            for index in range(config.replicas):
                names[targets[index % len(targets)]].append(f"{config.name}-{index}")
        return [{"server_id": server_id, "names": found} for server_id, found in names.items() if found]

    def run(context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
        assert isinstance(config, DeployConfig)
        service = pods()
        server_id = plan["server_id"]
        rows: list[dict[str, Any]] = []
        spec = config.model_dump(include={"image", "command", "env", "resources", "labels", "template_id"})
        for name in plan["names"]:
            if context.cancelled():
                break
            pod_id = pod_id_for(context.job_id, server_id, name)
            row: dict[str, Any] = {"server_id": server_id, "name": name, "pod_id": pod_id, "outcome": "created"}
            if service.indexed(context.tenant_id, pod_id):
                row["outcome"] = "existed"
            else:
                try:
                    request = PodCreate.model_validate({**spec, "server_id": server_id, "name": name})
                    service.create_pod(context.tenant_id, request, pod_id)
                except DomainError as error:
                    row.update(outcome="failed", error=error.code, message=error.message)
            rows.append(row)
        failed = sum(1 for row in rows if row["outcome"] == "failed")
        for row in rows:
            row["passed"] = row["outcome"] != "failed"
        context.log(f"server {server_id}: {len(rows) - failed} pods there, {failed} failed")
        return BatchOutcome(
            processed=len(rows) - failed,
            failed=failed,
            state={"server_id": server_id, "ok": len(rows) - failed, "failed": failed},
            rows=rows,
        )

    def run_replace(context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
        assert isinstance(config, ReplaceConfig)
        row: dict[str, Any] = {"pod_id": plan["pod_id"], "replaced": False}
        try:
            pod = pods().replace_pod(context.tenant_id, plan["pod_id"], PodUpdate.model_validate(config.changes))
        except DomainError as error:
            row.update(error=error.code, message=error.message)
        else:
            row.update(replaced=True, server_id=pod.server_id, name=pod.name)
        row["passed"] = row["replaced"]
        context.log(f"pod {plan['pod_id']}: " + ("replaced" if row["replaced"] else f"not replaced ({row['error']})"))
        ok = int(row["replaced"])
        return BatchOutcome(processed=ok, failed=1 - ok, state=dict(row), rows=[row])

    deploy = JobType(
        name="pods.deploy",
        description="Create one pod spec on several servers, or N replicas spread over them; per-server outcomes.",
        config_model=DeployConfig,
        plan=plan,
        run_batch=run,
        summarize=_summarize,
        result_columns=("server_id", "name", "pod_id", "outcome", "passed", "error", "message"),
        validate=validate,
    )
    replace = JobType(
        name="pods.replace",
        description="Replace a pod with a changed spec (delete and create, same id); queued by PUT /api/v1/pods/{id}.",
        config_model=ReplaceConfig,
        plan=_plan_replace,
        run_batch=run_replace,
        summarize=_summarize_replace,
        result_columns=("pod_id", "replaced", "server_id", "name", "passed", "error", "message"),
    )
    return deploy, replace


class PodReplacements:
    """``PUT /api/v1/pods/{id}``: check now (404, 409, 422 come back at once), then queue ``pods.replace`` (202)."""

    def __init__(self, pods: PodsService, jobs: JobSubmitter) -> None:
        self._pods = pods
        self._jobs = jobs

    def request_replace(self, tenant_id: str, pod_id: str, request: PodUpdate, trace_id: str) -> Result:
        self._pods.check_replacement(tenant_id, pod_id, request)
        job = JobCreate(
            type="pods.replace",
            name=f"replace {pod_id}",
            configuration={"pod_id": pod_id, "changes": request.model_dump(exclude_unset=True)},
        )
        return self._jobs.submit(tenant_id, job, trace_id, None)
