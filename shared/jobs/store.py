"""Where jobs live: Table entities for jobs, batches, events and idempotency keys; Queues
for work and lifecycle events; Blobs for results and payloads too big for a message.

Job ids sort newest first (an inverted millisecond clock leads them), so a tenant's
listing is one partition read in RowKey order and a created-before/after filter is a
RowKey range: a page costs the same with 100 jobs or 100,000.

Everything written per job lives in the tenant's partition of table ``jobs``, so that one
entity-group transaction records a step whole (the job, its JobMessages, its small results,
its place in the unfinished-jobs index and its end for the statistics) in one round trip,
and a crash can never leave half a step behind. Each kind of row has its own RowKey prefix,
and every read is a RowKey range of one kind:

- ``job_<id>``: the job (``new_job_id``); ``act:<id>``: the job is unfinished (the sweeper's index);
- ``ev:<id>:<sequence>``: a JobMessage sent for the job (its logs);
- ``out:<id>:<sequence>``: JobMessages committed but not yet known to be on the events queue;
- ``res:<id>``: the result rows of a small job, when they fit in one entity;
- ``end:<hour>:<id>`` and ``agg:<hour>:<type>``: job ends and their hourly roll-ups (``stats``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from azure.core.exceptions import ResourceExistsError

from shared.storage.clients import StorageClients

JOBS = "jobs"
BATCHES = "jobbatches"
IDEMPOTENCY = "idempotency"
WORK_QUEUE = "jobs"
EVENTS_QUEUE = "job-events"
RESULTS_CONTAINER = "job-results"
PAYLOADS_CONTAINER = "job-payloads"

_CLOCK_MAX = (1 << 48) - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
JOB_ROWS = ("job_", "job`")  # the RowKey range of job entities ("`" sorts right after "_")


class BatchStatus(StrEnum):
    """A batch record's status in table ``jobbatches`` (the job's own status is ``JobStatus``)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


def batch_partition(tenant_id: str, job_id: str) -> str:
    """Table ``jobbatches``: one partition per job, so a job's batches are one query."""
    return f"{tenant_id}:{job_id}"


def batch_row(index: int) -> str:
    return f"{index:06d}"


def batch_index(row_key: str) -> int:
    return int(row_key)


def idempotency_row(key: str) -> str:
    """Table ``idempotency``: the key hashed, so any header text makes a valid RowKey."""
    return hashlib.sha256(key.encode()).hexdigest()


def result_blob(tenant_id: str, job_id: str, fmt: str) -> str:
    """The name of a job's result file (``fmt``: json or csv) in ``RESULTS_CONTAINER``."""
    return f"{tenant_id}/{job_id}/results.{fmt}"


def configuration_blob(tenant_id: str, job_id: str) -> str:
    """A configuration too big for a Table property, claim-checked to ``PAYLOADS_CONTAINER``."""
    return f"{tenant_id}/{job_id}/configuration.json"


def event_payload_blob(tenant_id: str, job_id: str, sequence: int) -> str:
    """A JobMessage payload too big for the queue, claim-checked to ``PAYLOADS_CONTAINER``."""
    return f"{tenant_id}/{job_id}/events/{sequence:08d}.json"


def event_row(job_id: str, sequence: int) -> str:
    return f"ev:{job_id}:{sequence:08d}"


def event_rows(job_id: str) -> tuple[str, str]:
    """The RowKey range of a job's events."""
    return f"ev:{job_id}:", f"ev:{job_id};"


def active_row(job_id: str) -> str:
    return f"act:{job_id}"


ACTIVE_ROWS = ("act:", "act;")


def result_row(job_id: str) -> str:
    return f"res:{job_id}"


def outbox_row(job_id: str, first_sequence: int) -> str:
    return f"out:{job_id}:{first_sequence:08d}"


OUTBOX_ROWS = ("out:", "out;")


ROW_RANGE = "PartitionKey eq @pk and RowKey ge @low and RowKey lt @high"


def rows_between(table: Any, partition: str, low: str, high: str, **options: Any) -> list[Any]:
    """The rows of one partition with ``low <= RowKey < high``: how every kind of row above is read."""
    return list(table.query_entities(ROW_RANGE, parameters={"pk": partition, "low": low, "high": high}, **options))


def now() -> datetime:
    return datetime.now(UTC)


def new_job_id(at: datetime | None = None) -> str:
    return f"job_{time_prefix(at or now())}{secrets.token_hex(5)}"


def time_prefix(at: datetime) -> str:
    """The id prefix of a job created at ``at``: later times give smaller prefixes.

    Only for times from 1970 on (a negative clock would break the order): ``JobListQuery``
    refuses earlier bounds, and ids are made from the current time.
    """
    milliseconds = _milliseconds(at)
    if not 0 <= milliseconds <= _CLOCK_MAX:
        raise ValueError("job ids encode times from 1970 on")
    return f"{_CLOCK_MAX - milliseconds:012x}"


def _milliseconds(at: datetime) -> int:
    """Whole milliseconds since 1970 (a naive time is UTC), computed exactly, without float rounding."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (at - _EPOCH) // timedelta(milliseconds=1)


def created_at_of(job_id: str) -> datetime:
    """The creation time a job id encodes (to the millisecond)."""
    milliseconds = _CLOCK_MAX - int(job_id[len(JOB_ROWS[0]) :][:12], 16)
    return _EPOCH + timedelta(milliseconds=milliseconds)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


class JobStorage:
    """Clients for the jobs' tables, queues and containers, each created on first use."""

    def __init__(self, clients: StorageClients) -> None:
        self.clients = clients
        self._queues: dict[str, Any] = {}
        self._containers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def table(self, name: str) -> Any:
        return self.clients.table(name)

    def queue(self, name: str) -> Any:
        """A queue client that base64-encodes, as the Functions host expects by default."""
        client = self._queues.get(name)
        if client is None:
            from azure.storage.queue import TextBase64DecodePolicy, TextBase64EncodePolicy

            with self._lock:
                client = self.clients.queues.get_queue_client(
                    name, message_encode_policy=TextBase64EncodePolicy(), message_decode_policy=TextBase64DecodePolicy()
                )
                try:
                    client.create_queue()
                except ResourceExistsError:
                    pass
                self._queues[name] = client
        return client

    def container(self, name: str) -> Any:
        client = self._containers.get(name)
        if client is None:
            with self._lock:
                client = self.clients.blobs.get_container_client(name)
                try:
                    client.create_container()
                except ResourceExistsError:
                    pass
                self._containers[name] = client
        return client
