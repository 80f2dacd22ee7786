"""Power actions on a cloud's devices (servers) and racks (Heat stacks): check now, then queue a job.

The route looks at the server or stack first, through the tenant's cached connection: another
tenant's cloud is a ``404`` (the clouds service's own), a server or stack that is not there is a
``404``, and an action that makes no sense in the state it is in (start an ACTIVE server,
resume one that is not suspended, anything while OpenStack is busy with it) is a ``409`` that
names that state. Only then is the ``openstack.power_action`` job queued: ``202`` with the job
and its ``Location``; the job follows the action to its end (``power_jobs``).

No Idempotency-Key: a replay would find the server changed by the first request and answer
``409`` with the new state rather than the first job, which says what happened as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from shared.api.http import Result
from shared.config import Settings
from shared.errors import Conflict, NotFound
from shared.models.cloud_actions import (
    DELETED,
    POWER_ACTION_JOB,
    DeviceActionRequest,
    Observed,
    RackActionRequest,
    refusal,
    target_state,
)
from shared.models.jobs import JobCreate
from shared.providers import openstack_power

T = TypeVar("T")


class CloudConnector(Protocol):
    """``CloudsService.call``: ``action`` on the tenant's cloud's cached connection, failures as
    the API's errors (404 for another tenant's cloud, 503 for one that does not answer)."""

    def call(self, tenant_id: str, cloud_id: str, action: Callable[[Any], T], what: str = ...) -> T: ...


class JobSubmitter(Protocol):
    def submit(self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None) -> Result: ...


def check_submission(target: str, target_id: str, action: str, seen: Observed) -> None:
    """The check before an action is sent: a resource that is gone is a 404, an action its state
    does not allow a 409 naming the state (the v1 routes and Concertim's ``update_status`` share it)."""
    noun = "server" if target == "device" else "stack"
    if seen.status == DELETED:
        code = "DEVICE_NOT_FOUND" if target == "device" else "RACK_NOT_FOUND"
        raise NotFound(f"The cloud has no {noun} {target_id}.", code=code)
    why_not = refusal(target, action, seen)
    if why_not is not None:
        raise Conflict(
            f"Cannot {action} the {noun} now: {why_not}.",
            code="ACTION_NOT_ALLOWED",
            details={**seen.as_details(), "action": action},
        )


class CloudActionsService:
    def __init__(self, clouds: CloudConnector, jobs: JobSubmitter, settings: Callable[[], Settings]) -> None:
        self._clouds = clouds
        self._jobs = jobs
        self._settings = settings

    def device_action(
        self, tenant_id: str, cloud_id: str, server_id: str, request: DeviceActionRequest, trace_id: str
    ) -> Result:
        return self._submit(tenant_id, cloud_id, "device", server_id, request.action.value, trace_id)

    def rack_action(
        self, tenant_id: str, cloud_id: str, stack_id: str, request: RackActionRequest, trace_id: str
    ) -> Result:
        return self._submit(tenant_id, cloud_id, "rack", stack_id, request.action.value, trace_id)

    def _submit(self, tenant_id: str, cloud_id: str, target: str, target_id: str, action: str, trace_id: str) -> Result:
        noun = "server" if target == "device" else "stack"
        seen = self._clouds.call(
            tenant_id,
            cloud_id,
            lambda connection: openstack_power.observe(connection, target, target_id),
            f"The {noun} {target_id}",
        )
        check_submission(target, target_id, action, seen)
        job = JobCreate(
            type=POWER_ACTION_JOB,
            name=f"{action} {noun} {target_id}"[:200],
            configuration={
                "cloud_id": cloud_id,
                "target": target,
                "target_id": target_id,
                "action": action,
                "timeout_seconds": self._settings().openstack_action_timeout_seconds,
                "state_at_submission": seen.shown(),
            },
            description=f"{action}: until the {noun} is {target_state(target, action)}",
        )
        return self._jobs.submit(tenant_id, job, trace_id, None)
