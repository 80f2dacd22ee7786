"""Per-tenant job statistics from hourly aggregates, never from a scan of every job.

Table ``jobstats``, PartitionKey = tenant id:
- ``{yyyymmddHH}:{job type}`` (UTC hour the job *ended* in): counts per terminal status
  (``c_<status>``) and a fixed log-scale histogram of run durations (``h00``..``h39``),
  so percentiles over any window come from summing a few rows.
- ``done:{job id}:{status}``: a marker that the job's end in that status was counted. The
  marker and the aggregate row are written in one entity-group transaction (same
  partition), so a redelivered step or a repeated hook never counts a job twice, and a
  crash between the two can't lose or double the count. A retried job that ends again
  counts again under its new status (ending again in the *same* status does not).
  Markers are never deleted (one small row per job end).

Jobs still queued, running or cancelling come from the ``jobs`` partition itself, as a
RowKey range read of the jobs *created* in the window (ids sort newest first).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableTransactionError, UpdateMode

from shared.jobs.store import JOBS, JobStorage, now, time_prefix
from shared.models.jobs import JOB_STATUSES, TERMINAL, DurationPercentiles, JobStats

STATS = "jobstats"
FINISHED = ("completed", "completed_with_errors", "failed")
ACTIVE_STATUSES = ("queued", "running", "cancelling")
BUCKETS = 40
_LOW = 0.1  # seconds: bucket 0 holds everything below _LOW * _RATIO
_HIGH = 86_400.0 * 1.5  # the last bucket holds everything from about a day up
_RATIO = (_HIGH / _LOW) ** (1 / BUCKETS)
_ATTEMPTS = 12


def bucket_of(seconds: float) -> int:
    """The histogram bucket of a duration: bucket i spans [LOW*R^i, LOW*R^(i+1))."""
    if seconds <= _LOW:
        return 0
    return min(BUCKETS - 1, int(math.log(seconds / _LOW) / math.log(_RATIO)))


def bucket_value(index: int) -> float:
    """The value reported for a bucket: its geometric middle (bucket 0: its upper edge)."""
    if index == 0:
        return round(float(_LOW * _RATIO), 3)
    return round(float(_LOW * _RATIO ** (index + 0.5)), 3)


def hour_key(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%d%H")


def _duration(job: dict[str, Any]) -> float | None:
    started, completed = job.get("started_at"), job.get("completed_at")
    if not isinstance(started, datetime) or not isinstance(completed, datetime):
        return None
    return max(0.0, (completed - started).total_seconds())


def record(storage: JobStorage, job: dict[str, Any]) -> bool:
    """Count a job that reached a terminal status; False when its end was already counted."""
    status = job["status"]
    if status not in TERMINAL:
        return False
    duration = _duration(job) if status in FINISHED else None
    completed = job.get("completed_at")
    ended = completed if isinstance(completed, datetime) else now()
    marker = {"PartitionKey": job["PartitionKey"], "RowKey": f"done:{job['RowKey']}:{status}", "at": now()}
    return add(storage, job["PartitionKey"], ended, job["type"], status, duration, marker=marker)


def add(
    storage: JobStorage,
    tenant_id: str,
    at: datetime,
    job_type: str,
    status: str,
    duration: float | None,
    *,
    marker: dict[str, Any] | None = None,
    count: int = 1,
) -> bool:
    """Add ``count`` job ends to the ``at`` hour's row (ETag-conditional; with ``marker`` created atomically)."""
    table = storage.table(STATS)
    row_key = f"{hour_key(at)}:{job_type}"
    for _ in range(_ATTEMPTS):
        try:
            current: Any = table.get_entity(tenant_id, row_key)
            row, etag = dict(current), current.metadata["etag"]
        except ResourceNotFoundError:
            row, etag = {"PartitionKey": tenant_id, "RowKey": row_key, "hour": hour_key(at), "type": job_type}, None
        row[f"c_{status}"] = int(row.get(f"c_{status}", 0)) + count
        if duration is not None:
            name = f"h{bucket_of(duration):02d}"
            row[name] = int(row.get(name, 0)) + count
        if etag is None:
            write: tuple[Any, ...] = ("create", row)
        else:
            write = (
                "update",
                row,
                {"mode": UpdateMode.REPLACE, "etag": etag, "match_condition": MatchConditions.IfNotModified},
            )
        operations = [("create", marker), write] if marker is not None else [write]
        try:
            table.submit_transaction(operations)
            return True
        except TableTransactionError:
            if marker is not None and _exists(table, tenant_id, marker["RowKey"]):
                return False  # already counted
            continue  # the aggregate row changed under us: read it again
    raise RuntimeError(f"job stats row {tenant_id}/{row_key} is too contended")


def _exists(table: Any, partition: str, row: str) -> bool:
    try:
        table.get_entity(partition, row, select=["RowKey"])
        return True
    except ResourceNotFoundError:
        return False


def percentile(histogram: list[int], fraction: float) -> float | None:
    total = sum(histogram)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for index, value in enumerate(histogram):
        seen += value
        if seen >= rank:
            return bucket_value(index)
    return bucket_value(BUCKETS - 1)  # pragma: no cover


def summarize(storage: JobStorage, tenant_id: str, window_hours: int, at: datetime | None = None) -> JobStats:
    """The tenant's job statistics for the ``window_hours`` before ``at`` (now by default)."""
    to = (at or now()).astimezone(UTC)
    start = to - timedelta(hours=window_hours)
    by_status = dict.fromkeys(JOB_STATUSES, 0)
    by_type: dict[str, dict[str, int]] = {}
    histogram = [0] * BUCKETS

    def count(job_type: str, status: str, value: int) -> None:
        if value:
            by_status[status] = by_status.get(status, 0) + value
            statuses = by_type.setdefault(job_type, {})
            statuses[status] = statuses.get(status, 0) + value

    rows: Iterable[Any] = storage.table(STATS).query_entities(
        "PartitionKey eq @pk and RowKey ge @low and RowKey lt @high",
        parameters={"pk": tenant_id, "low": hour_key(start), "high": f"{hour_key(to)};"},
    )
    for row in rows:
        for status in TERMINAL:
            count(str(row.get("type", "")), status, int(row.get(f"c_{status}", 0)))
        for index in range(BUCKETS):
            histogram[index] += int(row.get(f"h{index:02d}", 0))

    filters = " or ".join(f"status eq '{status}'" for status in ACTIVE_STATUSES)
    active = storage.table(JOBS).query_entities(
        f"PartitionKey eq @pk and RowKey ge @before and RowKey lt @after and ({filters})",
        parameters={"pk": tenant_id, "before": f"job_{time_prefix(to)}", "after": f"job_{time_prefix(start)}~"},
        select=["type", "status"],
    )
    for job in active:
        count(str(job.get("type", "")), str(job["status"]), 1)

    finished = sum(by_status[status] for status in FINISHED)
    return JobStats.model_validate(
        {
            "window_hours": window_hours,
            "from": start,
            "to": to,
            "total": sum(by_status.values()),
            "by_status": by_status,
            "by_type": by_type,
            "success_rate": round(by_status["completed"] / finished, 4) if finished else None,
            "duration_seconds": DurationPercentiles(
                p50=percentile(histogram, 0.50), p90=percentile(histogram, 0.90), p99=percentile(histogram, 0.99)
            ),
        }
    )
