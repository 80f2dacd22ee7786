"""Per-tenant job statistics that cost a job's end no extra storage round trip.

Everything lives in the job's partition of table ``jobs`` (PartitionKey = tenant id, or one
of the tenant's P partitions when sharded, ``shards``; each is summed on its own), next to
the job rows, so a job's end row can ride in the job's own terminal entity-group
transaction (one round trip, no hot row to contend on):

- ``end:{yyyymmddHH}:{job id}`` (UTC hour the job *ended* in), built by :func:`end_entity`:
  the job's ``type``, terminal ``status`` and, for finished jobs, ``duration`` in seconds.
  The engine *upserts* it, so a job retried and ending again in the same hour overwrites
  its own row and counts once, under its latest status; a job that ends again in a later
  hour has one row per hour and counts in both (each end is a real event in its hour).
- ``agg:{yyyymmddHH}:{job type}``: counts per terminal status (``c_<status>``) and a fixed
  log-scale histogram of run durations (``h00``..``h39``).

:func:`roll_up` (the sweeper timer, every minute) folds the end rows of hours that closed
a grace period ago into their aggregate row. Each fold is one transaction that deletes up
to 99 end rows *and* writes the ETag-checked aggregate, so either both land or neither
does: a crash or a concurrent roll-up can never count an end twice or lose it. That keeps
:func:`summarize` bounded: it reads hours x types aggregate rows plus the end rows of the
last open hour(s), never one row per job of the whole window.

Jobs still queued, running or cancelling come from the job rows themselves, as a RowKey
range read of the jobs *created* in the window (ids sort newest first). Every query is a
RowKey range, so it never reads the partition's other row kinds (``ev:``, ``act:``, ...).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableTransactionError, UpdateMode

from shared.jobs.store import JOBS, ROW_RANGE, JobStorage, now, rows_between, time_prefix
from shared.models.jobs import ACTIVE, FINISHED, JOB_STATUSES, TERMINAL, DurationPercentiles, JobStats, JobStatus

BUCKETS = 40
_LOW = 0.1  # seconds: bucket 0 holds everything below _LOW * _RATIO
_HIGH = 86_400.0 * 1.5  # the last bucket holds everything from about a day up
_RATIO = (_HIGH / _LOW) ** (1 / BUCKETS)
_ATTEMPTS = 12
_FOLD_BATCH = 99  # an entity-group transaction holds at most 100 operations: 99 deletes + the aggregate
END_PREFIX = "end:"
AGG_PREFIX = "agg:"


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
    """The UTC hour of ``at`` as ``yyyymmddHH``: sorts like time, so hours are RowKey ranges."""
    return at.astimezone(UTC).strftime("%Y%m%d%H")


def _duration(job: Mapping[str, Any]) -> float | None:
    started, completed = job.get("started_at"), job.get("completed_at")
    if not isinstance(started, datetime) or not isinstance(completed, datetime):
        return None
    return max(0.0, (completed - started).total_seconds())


def end_entity(job: Mapping[str, Any]) -> dict[str, Any]:
    """The end row of a job that just reached a terminal status, for the engine to upsert in
    the job's terminal transaction (same partition). Pure: no I/O, so it adds no round trip."""
    status = str(job["status"])
    if status not in TERMINAL:
        raise ValueError(f"job {job['RowKey']} is {status}, not in a terminal status")
    completed = job.get("completed_at")
    ended = completed if isinstance(completed, datetime) else now()
    row: dict[str, Any] = {
        "PartitionKey": job["PartitionKey"],
        "RowKey": f"{END_PREFIX}{hour_key(ended)}:{job['RowKey']}",
        "type": str(job["type"]),
        "status": status,
    }
    duration = _duration(job) if status in FINISHED else None
    if duration is not None:
        row["duration"] = float(duration)
    return row


def _end_duration(row: Mapping[str, Any]) -> float | None:
    value = row.get("duration")
    return float(value) if isinstance(value, int | float) else None


def _agg_key(hour: str, job_type: str) -> str:
    return f"{AGG_PREFIX}{hour}:{job_type}"


def _aggregate_write(
    table: Any, tenant_id: str, hour: str, job_type: str, statuses: Counter[str], buckets: Counter[int]
) -> tuple[Any, ...]:
    """Read the hour's aggregate row and return the transaction operation that adds the counts
    to it: a create if it does not exist, else a REPLACE conditional on the ETag just read, so a
    concurrent writer makes the whole transaction fail (and the caller re-reads) instead of one
    write silently overwriting the other."""
    row_key = _agg_key(hour, job_type)
    try:
        current: Any = table.get_entity(tenant_id, row_key)
        row, etag = dict(current), current.metadata["etag"]
    except ResourceNotFoundError:
        row, etag = {"PartitionKey": tenant_id, "RowKey": row_key, "hour": hour, "type": job_type}, None
    for status, value in statuses.items():
        row[f"c_{status}"] = int(row.get(f"c_{status}", 0)) + value
    for index, value in buckets.items():
        name = f"h{index:02d}"
        row[name] = int(row.get(name, 0)) + value
    if etag is None:
        return ("create", row)
    return (
        "update",
        row,
        {"mode": UpdateMode.REPLACE, "etag": etag, "match_condition": MatchConditions.IfNotModified},
    )


def add_aggregate(
    storage: JobStorage,
    tenant_id: str,
    at: datetime,
    job_type: str,
    status: str,
    duration: float | None,
    count: int = 1,
) -> None:
    """Add ``count`` job ends directly to the ``at`` hour's aggregate row (ETag loop): for
    seeding or back-filling history, without going through end rows."""
    table = storage.table(JOBS, tenant_id)
    hour = hour_key(at)
    buckets: Counter[int] = Counter({bucket_of(duration): count} if duration is not None else {})
    for _ in range(_ATTEMPTS):
        try:
            table.submit_transaction(
                [_aggregate_write(table, tenant_id, hour, job_type, Counter({status: count}), buckets)]
            )
            return
        except TableTransactionError:
            continue  # the aggregate row changed (or appeared) under us: read it again
    raise RuntimeError(f"job stats row {tenant_id}/{_agg_key(hour, job_type)} is too contended")


def _end_rows(table: Any, tenant_id: str, low: str, high: str, job_type: str | None = None) -> list[Any]:
    """The end rows with ``low <= RowKey < high`` (optionally of one job type)."""
    if job_type is None:
        return rows_between(table, tenant_id, low, high)
    parameters = {"pk": tenant_id, "low": low, "high": high, "type": job_type}
    return list(table.query_entities(f"{ROW_RANGE} and type eq @type", parameters=parameters))


def _fold(table: Any, tenant_id: str, hour: str, job_type: str, rows: list[Any]) -> None:
    """One transaction: delete ``rows`` (ETag-checked, so an end row rewritten since it was read
    is not lost) and add their counts to the aggregate row. All of it lands, or none does."""
    statuses: Counter[str] = Counter()
    buckets: Counter[int] = Counter()
    for row in rows:
        statuses[str(row["status"])] += 1
        duration = _end_duration(row)
        if duration is not None:
            buckets[bucket_of(duration)] += 1
    operations: list[tuple[Any, ...]] = [
        (
            "delete",
            {"PartitionKey": tenant_id, "RowKey": row["RowKey"]},
            {"etag": row.metadata["etag"], "match_condition": MatchConditions.IfNotModified},
        )
        for row in rows
    ]
    operations.append(_aggregate_write(table, tenant_id, hour, job_type, statuses, buckets))
    table.submit_transaction(operations)


def _fold_group(table: Any, tenant_id: str, hour: str, job_type: str, rows: list[Any]) -> int:
    """Fold one (hour, type) group, 99 end rows per transaction; on a failed transaction (the
    aggregate or an end row changed, or another roll-up folded some) re-read what is left."""
    folded, failures = 0, 0
    while rows:
        chunk = rows[:_FOLD_BATCH]
        try:
            _fold(table, tenant_id, hour, job_type, chunk)
        except TableTransactionError:
            failures += 1
            if failures >= _ATTEMPTS:
                raise RuntimeError(f"job stats {tenant_id}/{_agg_key(hour, job_type)} is too contended") from None
            rows = _end_rows(table, tenant_id, f"{END_PREFIX}{hour}:", f"{END_PREFIX}{hour};", job_type)
            continue
        folded += len(chunk)
        rows = rows[_FOLD_BATCH:]
        failures = 0
    return folded


def roll_up(
    storage: JobStorage, tenant_id: str, at: datetime | None = None, grace_seconds: float = 300
) -> tuple[int, int]:
    """Fold the end rows of hours that closed more than ``grace_seconds`` before ``at`` (now by
    default) into their aggregate rows; returns (rows folded, end rows still pending).

    The grace period lets a terminal transaction whose ``completed_at`` was taken just before
    the hour turned land before the hour is folded. Idempotent and crash-safe: every fold
    deletes exactly the end rows it counts in the same transaction, so a rerun finds only
    rows that were never counted. (An end row that lands in an hour *after* it was folded is
    still folded on the next run, into the same aggregate.)"""
    closed_before = hour_key((at or now()) - timedelta(seconds=grace_seconds))
    folded = pending = 0
    for partition in storage.partitions(tenant_id):  # each partition folds into its own aggregates
        table = storage.table(JOBS, partition)
        groups: dict[tuple[str, str], list[Any]] = {}
        for row in _end_rows(table, partition, END_PREFIX, f"{END_PREFIX[:-1]};"):
            hour = str(row["RowKey"])[len(END_PREFIX) :].split(":", 1)[0]
            if hour < closed_before:
                groups.setdefault((hour, str(row.get("type", ""))), []).append(row)
            else:
                pending += 1
        for (hour, job_type), rows in sorted(groups.items()):
            folded += _fold_group(table, partition, hour, job_type, rows)
    return folded, pending


def percentile(histogram: list[int], fraction: float) -> float | None:
    """The bucket value under which ``fraction`` of the histogram's counts fall (None if empty)."""
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
    """The tenant's job statistics for the ``window_hours`` before ``at`` (now by default), hour
    granular: aggregate rows + end rows not rolled up yet + still-active jobs. No end can be in
    both an aggregate and an end row, since a fold deletes the rows it counts atomically."""
    to = (at or now()).astimezone(UTC)
    start = to - timedelta(hours=window_hours)
    first, last = hour_key(start), hour_key(to)
    by_status: dict[str, int] = {status.value: 0 for status in JOB_STATUSES}
    by_type: dict[str, dict[str, int]] = {}
    histogram = [0] * BUCKETS

    def count(job_type: str, status: str, value: int) -> None:
        if value:
            by_status[status] = by_status.get(status, 0) + value
            statuses = by_type.setdefault(job_type, {})
            statuses[status] = statuses.get(status, 0) + value

    filters = " or ".join(f"status eq '{status}'" for status in sorted(ACTIVE))
    # A job's rows (its end, the aggregate it is folded into, the job itself) are all in one
    # partition, so summing the partitions counts each job once.
    for partition in storage.partitions(tenant_id):
        table = storage.table(JOBS, partition)
        aggregates = rows_between(table, partition, f"{AGG_PREFIX}{first}", f"{AGG_PREFIX}{last};")
        for row in aggregates:
            for status in TERMINAL:
                count(str(row.get("type", "")), status, int(row.get(f"c_{status}", 0)))
            for index in range(BUCKETS):
                histogram[index] += int(row.get(f"h{index:02d}", 0))

        ends = rows_between(
            table, partition, f"{END_PREFIX}{first}", f"{END_PREFIX}{last};", select=["type", "status", "duration"]
        )
        for row in ends:
            count(str(row.get("type", "")), str(row["status"]), 1)
            duration = _end_duration(row)
            if duration is not None:
                histogram[bucket_of(duration)] += 1

        active = table.query_entities(
            f"PartitionKey eq @pk and RowKey ge @before and RowKey lt @after and ({filters})",
            parameters={"pk": partition, "before": f"job_{time_prefix(to)}", "after": f"job_{time_prefix(start)}~"},
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
            "success_rate": round(by_status[JobStatus.COMPLETED] / finished, 4) if finished else None,
            "duration_seconds": DurationPercentiles(
                p50=percentile(histogram, 0.50), p90=percentile(histogram, 0.90), p99=percentile(histogram, 0.99)
            ),
        }
    )
