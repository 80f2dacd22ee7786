"""Find and re-drive stale jobs, reading only the index of unfinished jobs.

The index is the ``act:<job id>`` rows of each tenant's jobs partition (see ``store``): the
engine writes and deletes them in the same transactions that change the job's status, so a
job is in the index exactly while it is unfinished. Table ``activejobs`` (PartitionKey
``tenants``, RowKey = tenant id) lists the tenants to visit; the engine refreshes a tenant's
row at most every few minutes per instance, and the sweeper drops it once the tenant has
neither unfinished jobs nor job ends left to roll up. A sweep's cost follows the number of
unfinished jobs and busy tenants, not the history.

For each indexed job, by the age of its last update (``updated_at``):
- queued for over ``queued_after_seconds``: its ``start`` message is sent again (``start``
  is idempotent); running for over ``running_after_seconds``: the engine's start path runs
  again, which re-sends the batches not yet counted; cancelling for over that: a ``start``
  message finishes the cancel. A re-send is repeated at most once per threshold period.
- queued, running or cancelling for over ``fail_after_seconds``: failed with ``JOB_STALLED``
  through the engine's conditional write, so its events are emitted as usual.
- already terminal, or no job behind the row (neither can happen through the engine's
  transactions; a hand-edited table could): the row goes.
Each visited tenant's JobMessages left in the outbox for over ``REPUBLISH_AFTER_SECONDS``
(committed, but their step could not confirm they reached the events queue) are sent again,
and its job ends of closed hours are rolled up (``stats.roll_up``).

With the tenant's jobs spread over P partitions (``shards``), each of them is read in turn.

With telemetry on, each sweep also samples the ``jobs`` queue (each work queue in use): the age of its oldest visible
message (a peek; work that waits there means the worker does not keep up) and the length of
``jobs-poison`` (the queue's metadata; it should be empty, the poison trigger drains it).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared import telemetry
from shared.errors import NotFound
from shared.jobs import stats
from shared.jobs.activity import drop_tenant, tenants
from shared.jobs.engine import Engine
from shared.jobs.record import JobRecord
from shared.jobs.shards import work_queue_names
from shared.jobs.store import ACTIVE_ROWS, JOBS, OUTBOX_ROWS, JobStorage, active_row, rows_between
from shared.logs import log_event
from shared.models.jobs import JobStatus

DEFAULT_FAIL_AFTER_SECONDS = 3600
REPUBLISH_AFTER_SECONDS = 60.0  # a step publishes right after it commits; a minute means it could not
logger = logging.getLogger("cloudplane.jobs")


def active_entries(storage: JobStorage, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's unfinished jobs as the index holds them (one RowKey range read per partition)."""
    return [
        dict(row)
        for partition in storage.partitions(tenant_id)
        for row in rows_between(storage.table(JOBS, partition), partition, *ACTIVE_ROWS)
    ]


def _forget(storage: JobStorage, tenant_id: str, job_id: str) -> None:
    table, partition = storage.jobs_table(tenant_id, job_id)
    try:
        table.delete_entity(partition, active_row(job_id))
    except ResourceNotFoundError:
        pass


def sweep(
    engine: Engine,
    now: datetime,
    queued_after_seconds: float,
    running_after_seconds: float,
    fail_after_seconds: float = DEFAULT_FAIL_AFTER_SECONDS,
    *,
    tenant_id: str | None = None,
) -> dict[str, int]:
    """One pass over the index; returns how many jobs got each treatment."""
    report = {
        "tenants": 0,
        "checked": 0,
        "requeued": 0,
        "redriven": 0,
        "stalled": 0,
        "repaired": 0,
        "republished": 0,
        "rolled_up": 0,
    }
    storage = engine.storage
    if telemetry.enabled():
        sample_queues(storage, now)
    listed = [{"RowKey": tenant_id}] if tenant_id is not None else tenants(storage)
    for row in listed:
        tenant = str(row["RowKey"])
        report["tenants"] += 1
        try:
            entries = active_entries(storage, tenant)
        except Exception as exc:  # noqa: BLE001 - one bad tenant must not stop the sweep
            log_event(logger, "job_sweep_error", logging.ERROR, tenant_id=tenant, error=type(exc).__name__)
            continue
        for entry in entries:
            report["checked"] += 1
            job_id = str(entry["job_id"])
            try:
                _sweep_one(
                    engine,
                    entry,
                    tenant,
                    job_id,
                    now,
                    queued_after_seconds,
                    running_after_seconds,
                    fail_after_seconds,
                    report,
                )
            except Exception as exc:  # noqa: BLE001 - one bad job must not stop the sweep
                log_event(logger, "job_sweep_error", logging.ERROR, job_id=job_id, error=type(exc).__name__)
        outbox: list[Any] = []
        try:
            for partition in storage.partitions(tenant):
                outbox += rows_between(storage.table(JOBS, partition), partition, *OUTBOX_ROWS)
            for row in outbox:
                if _age(row.get("at"), now) > REPUBLISH_AFTER_SECONDS:
                    report["republished"] += engine.republish(tenant, row)
        except Exception as exc:  # noqa: BLE001 - the next sweep tries again
            log_event(logger, "job_republish_error", logging.ERROR, tenant_id=tenant, error=type(exc).__name__)
        try:
            folded, pending = stats.roll_up(storage, tenant, now)
        except Exception as exc:  # noqa: BLE001 - the next sweep rolls them up
            log_event(logger, "job_rollup_error", logging.ERROR, tenant_id=tenant, error=type(exc).__name__)
            continue
        report["rolled_up"] += folded
        if tenant_id is None and not entries and not pending and not outbox:
            drop_tenant(storage, row, now)
    if any(report[k] for k in report if k not in ("checked", "tenants")):
        log_event(logger, "job_sweep", **report)
    return report


def sample_queues(storage: JobStorage, now: datetime) -> None:
    """Gauges of each work queue's backlog (every shard in use); a storage error only costs this sample."""
    for name in work_queue_names(storage.layout.work_queues):
        try:
            peeked = storage.queue(name).peek_messages(max_messages=1)
            oldest = max(0.0, _age(peeked[0].inserted_on, now)) if peeked else 0.0
            telemetry.gauge("cloudplane.queue.oldest_message_age", oldest, {"queue": name})
            poison = f"{name}-poison"
            try:
                length = storage.queue(poison).get_queue_properties().approximate_message_count
            except ResourceNotFoundError:
                length = 0  # the host makes it on the first poisoned message
            telemetry.gauge("cloudplane.queue.length", length, {"queue": poison}, unit="1")
        except Exception as exc:  # noqa: BLE001 - the sweep matters more than its metrics
            log_event(logger, "queue_sample_error", logging.WARNING, queue=name, error=type(exc).__name__)


def _age(at: Any, now: datetime) -> float:
    return (now - at).total_seconds() if isinstance(at, datetime) else float("inf")


def _sweep_one(
    engine: Engine,
    entry: dict[str, Any],
    tenant: str,
    job_id: str,
    now: datetime,
    queued_after: float,
    running_after: float,
    fail_after: float,
    report: dict[str, int],
) -> None:
    storage = engine.storage
    job: JobRecord | None
    try:
        job = engine.load(tenant, job_id)
    except NotFound:
        job = None
    if job is None or job.terminal:
        _forget(storage, tenant, job_id)
        report["repaired"] += 1
        return
    age = _age(job.updated_at, now)
    if age > fail_after:
        if engine.fail_stalled(job, lambda current: _age(current.updated_at, now) > fail_after, fail_after):
            report["stalled"] += 1
        return
    threshold = queued_after if job.status is JobStatus.QUEUED else running_after
    if age <= threshold or _age(entry.get("resent_at"), now) <= threshold:
        return
    if job.status is JobStatus.RUNNING:
        engine.redrive(job)
        report["redriven"] += 1
    else:  # queued, or cancelling: a start message starts it or finishes the cancel
        engine.requeue(job)
        report["requeued"] += 1
    table, partition = storage.jobs_table(tenant, job_id)
    try:  # an update, not an upsert: a job that ended meanwhile must stay out of the index
        row = {"PartitionKey": partition, "RowKey": entry["RowKey"], "resent_at": now}
        table.update_entity(row, mode=UpdateMode.MERGE)
    except ResourceNotFoundError:
        pass
