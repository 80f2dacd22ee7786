"""Find and re-drive stale jobs, reading only the index of unfinished jobs.

Table ``activejobs``, PartitionKey ``active``, RowKey ``{tenant id}:{job id}``: written when a
job is submitted (before the job entity) or retried, deleted when the job reaches a terminal
status (in the engine's terminal hook, after its statistics are recorded). The sweeper reads
this index only, so its cost follows the number of unfinished jobs, not the history.

For each indexed job, by the age of its last update (``updated_at``):
- queued for over ``queued_after_seconds``: its ``start`` message is sent again (``start``
  is idempotent); running for over ``running_after_seconds``: the engine's start path runs
  again, which re-sends the batches not yet counted; cancelling for over that: a ``start``
  message finishes the cancel. A re-send is repeated at most once per threshold period.
- queued, running or cancelling for over ``fail_after_seconds``: failed with ``JOB_STALLED``
  through the engine's conditional write, so its events are emitted as usual.
- already terminal (its terminal hook failed part way): the hook runs again (idempotent).
- no job behind the entry (a submission that stopped before writing it): the entry goes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared.api.errors import NotFound
from shared.jobs.store import JobStorage, dumps
from shared.jobs.store import now as clock
from shared.logs import log_event
from shared.models.jobs import TERMINAL

if TYPE_CHECKING:
    from shared.jobs.engine import Engine

ACTIVE = "activejobs"
ACTIVE_PARTITION = "active"
DEFAULT_FAIL_AFTER_SECONDS = 3600
logger = logging.getLogger("cloudplane.jobs")


def _row(tenant_id: str, job_id: str) -> str:
    return f"{tenant_id}:{job_id}"


def mark_active(storage: JobStorage, tenant_id: str, job_id: str, at: datetime) -> None:
    storage.table(ACTIVE).upsert_entity(
        {
            "PartitionKey": ACTIVE_PARTITION,
            "RowKey": _row(tenant_id, job_id),
            "tenant_id": tenant_id,
            "job_id": job_id,
            "indexed_at": at,
            "resent_at": None,
        },
        mode=UpdateMode.REPLACE,
    )


def mark_finished(storage: JobStorage, tenant_id: str, job_id: str) -> None:
    try:
        storage.table(ACTIVE).delete_entity(ACTIVE_PARTITION, _row(tenant_id, job_id))
    except ResourceNotFoundError:
        pass


def active_entries(storage: JobStorage, tenant_id: str | None = None) -> list[dict[str, Any]]:
    """The index entries (of one tenant when given: a RowKey prefix range)."""
    table = storage.table(ACTIVE)
    if tenant_id is None:
        rows = table.query_entities("PartitionKey eq @pk", parameters={"pk": ACTIVE_PARTITION})
    else:
        rows = table.query_entities(
            "PartitionKey eq @pk and RowKey ge @low and RowKey lt @high",
            parameters={"pk": ACTIVE_PARTITION, "low": f"{tenant_id}:", "high": f"{tenant_id};"},
        )
    return [dict(row) for row in rows]


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
    report = {"checked": 0, "requeued": 0, "redriven": 0, "stalled": 0, "repaired": 0, "orphans": 0}
    storage = engine.storage
    for entry in active_entries(storage, tenant_id):
        report["checked"] += 1
        tenant, job_id = str(entry["tenant_id"]), str(entry["job_id"])
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
    if any(report[k] for k in report if k != "checked"):
        log_event(logger, "job_sweep", **report)
    return report


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
    try:
        job = engine.load(tenant, job_id)
    except NotFound:
        if _age(entry.get("indexed_at"), now) > queued_after:  # not a submission still in progress
            mark_finished(storage, tenant, job_id)
            report["orphans"] += 1
        return
    status = job["status"]
    if status in TERMINAL:
        engine._on_terminal(job)
        report["repaired"] += 1
        return
    age = _age(job.get("updated_at"), now)
    if age > fail_after:
        if _fail_stalled(engine, tenant, job_id, now, fail_after):
            report["stalled"] += 1
        return
    threshold = queued_after if status == "queued" else running_after
    if age <= threshold or _age(entry.get("resent_at"), now) <= threshold:
        return
    if status == "running":
        engine._start(job)
        report["redriven"] += 1
    else:  # queued, or cancelling: a start message starts it or finishes the cancel
        engine._send_work({"kind": "start", "tenant_id": tenant, "job_id": job_id, "trace_id": job.get("trace_id", "")})
        report["requeued"] += 1
    storage.table(ACTIVE).upsert_entity(
        {"PartitionKey": ACTIVE_PARTITION, "RowKey": entry["RowKey"], "resent_at": now}, mode=UpdateMode.MERGE
    )


def _fail_stalled(engine: Engine, tenant: str, job_id: str, now: datetime, fail_after: float) -> bool:
    failed = False

    def change(job: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
        nonlocal failed
        failed = False
        if job["status"] in TERMINAL or _age(job.get("updated_at"), now) <= fail_after:
            return None  # it moved on since we looked
        error = {
            "code": "JOB_STALLED",
            "message": f"The job made no progress for over {int(fail_after)} seconds ({job['status']}).",
            "details": {"status": job["status"]},
        }
        job.update(status="failed", completed_at=clock(), error=dumps(error), message="Failed: stalled")
        failed = True
        return [("job_failed", {"error": error})]

    engine._update(tenant, job_id, change)
    return failed
