"""The ``openstack.power_action`` job: one action on a server or Heat stack, followed to its end.

OpenStack runs these actions asynchronously (Nova answers ``202``, Heat ``200``, and the work
happens later), so the job is one batch that looks, acts once, and then waits:

1. look at the resource; at the target state (ACTIVE, SHUTOFF, SUSPENDED, SUSPEND_COMPLETE,
   RESUME_COMPLETE, or gone for destroy): completed;
2. not yet sent: when OpenStack is already busy with it (a task state, a ``*_IN_PROGRESS``
   stack), an earlier delivery of this step sent it and stopped before saying so: it is not
   sent again; otherwise the action is sent, and the progress saved with the wait says so. Two
   deliveries running at once may both look before either sends; OpenStack then refuses the
   second (409, the task is running), which looks again and follows the first one's action;
3. sent, and OpenStack gave up (a server in ERROR, or settled elsewhere; a ``*_FAILED`` stack):
   failed with OpenStack's reason (the fault message, ``stack_status_reason``) and the last
   state seen;
4. past the deadline (the job's ``timeout_seconds``, or the app setting, counted from the first
   look): failed with ``ACTION_TIMEOUT`` and the last state seen;
5. otherwise ``registry.Waiting``: the engine saves the progress and sends the next look with a
   queue visibility delay of the poll setting. No worker thread sleeps between looks, and only
   the newest re-check runs (see ``shared/jobs/steps.py``).

A cloud that does not answer during the wait (or its login fails for now) is looked at again at
the next poll, until the deadline; one that was removed, or another tenant's, fails the job with
``CLOUD_NOT_FOUND``, and one whose credentials are refused with the clouds service's error code.

A device action that completes is metered (``shared/billing/metering.py`` ``ServerMeter``): on
and resume open the server's flavor-hours, off, suspend and destroy record them. Metering
that fails (billing storage down) is a wait like any other: the next look finds the target
state again and meters again, under the same record id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from shared.billing.metering import ServerMeter
from shared.config import Settings
from shared.errors import Conflict, DomainError, NotFound, ServiceUnavailable
from shared.jobs.registry import BatchContext, BatchOutcome, JobType, PermanentFailure, Waiting
from shared.models.cloud_actions import (
    POWER_ACTION_JOB,
    Observed,
    PowerActionConfig,
    arrived,
    failed,
    refusal,
    target_state,
)
from shared.providers import openstack_power

T = TypeVar("T")

RESULT_COLUMNS = ("target", "target_id", "action", "outcome", "state", "checks", "seconds", "error", "message")


class CloudConnector(Protocol):
    """What the job needs of the clouds service (``CloudsService.call``): ``action`` run on the
    tenant's cloud's cached SDK connection, its failures as the API's errors (``NotFound``
    ``CLOUD_NOT_FOUND`` for a cloud that is not the tenant's, ``ServiceUnavailable`` for one that
    does not answer, ``Conflict`` ``CLOUD_CONFLICT`` for a 409 of the cloud's)."""

    def call(self, tenant_id: str, cloud_id: str, action: Callable[[Any], T], what: str = ...) -> T: ...


def _row(
    config: PowerActionConfig, progress: dict[str, Any], outcome: str, seen: Observed | None, clock: float
) -> dict[str, Any]:
    return {
        "target": config.target,
        "target_id": config.target_id,
        "action": config.action,
        "outcome": outcome,
        "state": seen.shown() if seen else progress.get("last_state"),
        "checks": progress.get("checks", 0),
        "seconds": round(clock - float(progress.get("started_at", clock)), 1),
    }


def power_action_type(
    clouds: Callable[[], CloudConnector],
    settings: Callable[[], Settings],
    clock: Callable[[], float] = time.time,
    name: str = POWER_ACTION_JOB,
    meter: Callable[[], ServerMeter] | None = None,
) -> JobType:
    """``openstack.power_action``, run on the clouds service ``clouds()`` gives (asked on every run,
    so it follows ``deps.reset``); tests register it under another ``name`` with their own parts.
    ``meter()`` meters completed device actions (none: not metered)."""

    def plan(tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
        return [{"rows": 1}]

    def run(context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
        assert isinstance(config, PowerActionConfig)
        now = clock()
        # A retried job (POST /api/v1/jobs/{id}/retry) starts afresh: a new deadline, and a look
        # before anything is sent again.
        progress = dict(context.progress) if context.progress.get("round", 0) == context.round else {}
        progress["round"] = context.round
        progress.setdefault("started_at", now)
        progress["checks"] = int(progress.get("checks", 0)) + 1
        timeout = config.timeout_seconds or settings().openstack_action_timeout_seconds
        goal = target_state(config.target, config.action)
        noun = "server" if config.target == "device" else "stack"

        def fail(code: str, message: str, seen: Observed | None, **details: Any) -> PermanentFailure:
            row = {**_row(config, progress, "failed", seen, now), "error": code, "message": message}
            last = seen.as_details() if seen else {"state": progress.get("last_state")}
            last["last_state"] = last.pop("state")
            context.log(f"{config.action} {noun} {config.target_id}: {code}")
            found = {**last, "target_state": goal, "checks": progress["checks"], **details}
            return PermanentFailure(code, message, rows=[row], **found)

        def wait(seen: Observed | None, why: str) -> Waiting:
            if seen is not None:
                progress["last_state"] = seen.shown()
            if now - float(progress["started_at"]) >= timeout:
                last = progress.get("last_state")
                message = f"The {noun} did not reach {goal} within {timeout} s (last seen: {last})."
                raise fail("ACTION_TIMEOUT", message, seen, timeout_seconds=timeout)
            return Waiting(settings().openstack_action_poll_seconds, progress, f"{config.action}: {why}")

        service = clouds()
        what = f"The {noun} {config.target_id}"

        def look() -> Observed:
            return service.call(
                context.tenant_id,
                config.cloud_id,
                lambda connection: openstack_power.observe(connection, config.target, config.target_id),
                what,
            )

        try:
            seen = look()
            if arrived(config.target, config.action, seen):
                if meter is not None and config.target == "device":
                    try:
                        meter().power_changed(
                            context.tenant_id,
                            config.cloud_id,
                            config.target_id,
                            config.action,
                            seen,
                            datetime.fromtimestamp(now, UTC),
                            f"{context.job_id}:{context.round}",
                        )
                    except Exception as error:  # noqa: BLE001 - billing down: meter again at the next look
                        progress["last_error"] = f"metering failed: {type(error).__name__}"
                        context.log(f"{config.action} {noun} {config.target_id}: {progress['last_error']}")
                        raise wait(seen, f"{goal} reached; metering failed, trying again") from None
                context.log(f"{config.action} {noun} {config.target_id}: {goal} after {progress['checks']} checks")
                row = _row(config, progress, "done", seen, now)
                return BatchOutcome(1, 0, {**row, "target_state": goal}, [row])
            if progress.get("sent"):
                if failed(seen) or (config.target == "device" and not seen.busy):
                    reason = seen.reason or f"The {noun} ended in {seen.shown()}, not {goal}."
                    raise fail("ACTION_FAILED", reason, seen)
                raise wait(seen, f"waiting for {goal}, last seen {seen.shown()}")
            if seen.busy:  # an earlier delivery sent it (or someone else is at work): never send twice
                progress.update(sent=True, sent_at=now, adopted=True)
                raise wait(seen, f"waiting for {goal}, last seen {seen.shown()}")
            why_not = refusal(config.target, config.action, seen)
            if why_not is not None:  # it changed since the submission's check
                raise fail("ACTION_NOT_ALLOWED", f"Cannot {config.action} the {noun}: {why_not}.", seen)
            try:
                service.call(
                    context.tenant_id,
                    config.cloud_id,
                    lambda connection: openstack_power.send(connection, config.target, config.action, config.target_id),
                    what,
                )
            except Conflict as refused:
                if refused.code != "CLOUD_CONFLICT":
                    raise
                again = look()
                if not (again.busy or arrived(config.target, config.action, again)):
                    message = f"OpenStack refused to {config.action} the {noun}: {refused.message}"
                    raise fail("ACTION_REFUSED", message, again) from None
                seen = again  # a twin delivery of this step sent it a moment earlier: follow that one
                progress["adopted"] = True
            progress.update(sent=True, sent_at=now)
            context.log(f"{config.action} {noun} {config.target_id}: sent in state {seen.shown()}")
            raise wait(seen, f"sent, waiting for {goal}")
        except ServiceUnavailable as error:  # down, late or answering 5xx: look again at the next poll
            progress["last_error"] = error.message
            raise wait(None, f"the cloud did not answer ({error.message}); looking again") from None
        except NotFound as error:
            if error.code == "CLOUD_NOT_FOUND":
                raise fail("CLOUD_NOT_FOUND", "The cloud is no longer registered.", None) from None
            raise fail("TARGET_GONE", f"The {noun} no longer exists.", None) from None
        except DomainError as error:  # rejected credentials, not a cloud, a policy: no poll fixes that
            raise fail(error.code, error.message, None) from None

    return JobType(
        name=name,
        description="One power action on an OpenStack server or Heat stack, done when it reaches the target state.",
        config_model=PowerActionConfig,
        plan=plan,
        run_batch=run,
        summarize=lambda states: dict(states[0]) if states else {},
        result_columns=RESULT_COLUMNS,
    )
