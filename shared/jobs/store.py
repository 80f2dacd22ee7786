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
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from azure.core.exceptions import ResourceExistsError

from shared.jobs.shards import EVENTS_QUEUE as EVENTS_QUEUE
from shared.jobs.shards import WORK_QUEUE as WORK_QUEUE
from shared.jobs.shards import Layout, job_partition, shard, with_partition
from shared.storage.clients import StorageClients

JOBS = "jobs"
BATCHES = "jobbatches"
IDEMPOTENCY = "idempotency"
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


def idempotency_partition(tenant_id: str, key: str, partitions: int) -> str:
    """Table ``idempotency``: the tenant's partition, or with P partitions one chosen by the key's hash.

    A retry names the same key, so it finds the same partition while P stays as it was.
    """
    index = shard(idempotency_row(key), partitions)
    return tenant_id if index == 0 else f"{tenant_id}:{index}"


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


def new_job_id(at: datetime | None = None, partitions: int = 1) -> str:
    """A new job id; with ``partitions`` > 1 it names the tenant partition it lives in (``shards``)."""
    job_id = f"job_{time_prefix(at or now())}{secrets.token_hex(5)}"
    return with_partition(job_id, partitions) if partitions > 1 else job_id


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
    """Clients for the jobs' tables, queues and containers, each created on first use.

    With the default ``Layout`` everything is in the one account of ``clients`` and a tenant's
    rows in its one partition. Otherwise (``shards``) a job's rows are in its partition's
    account, its work and JobMessages on its queues in theirs; ``accounts`` are the clients of
    accounts 1.. (account 0 is ``clients``, which also keeps every blob and the other tables).
    """

    def __init__(
        self, clients: StorageClients, layout: Layout | None = None, accounts: Sequence[StorageClients] = ()
    ) -> None:
        self.clients = clients
        self.layout = layout or Layout(accounts=1 + len(accounts))
        self.accounts = [clients, *accounts]
        if len(self.accounts) != self.layout.accounts:
            raise ValueError(f"the layout names {self.layout.accounts} accounts, {len(self.accounts)} are configured")
        self._queues: dict[tuple[int, str], Any] = {}
        self._containers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def table(self, name: str, partition: str | None = None) -> Any:
        """Table ``name`` in the account that holds ``partition`` (account 0 without one)."""
        account = 0 if partition is None else self.layout.partition_account(partition)
        return self.accounts[account].table(name)

    def partition(self, tenant_id: str, job_id: str) -> str:
        """The PartitionKey of a job's rows in table ``jobs`` (the tenant id unless sharded)."""
        return job_partition(tenant_id, job_id)

    def jobs_table(self, tenant_id: str, job_id: str) -> tuple[Any, str]:
        """Table ``jobs`` in the account of the job's partition, and that partition."""
        partition = job_partition(tenant_id, job_id)
        return self.table(JOBS, partition), partition

    def batches_table(self, tenant_id: str, job_id: str) -> Any:
        """Table ``jobbatches`` in the account of the job's partition, so a job's rows share an account."""
        return self.table(BATCHES, job_partition(tenant_id, job_id))

    def partitions(self, tenant_id: str) -> list[str]:
        return self.layout.partitions_of(tenant_id)

    def work_queue(self, job_id: str) -> Any:
        """The work queue of a job (``jobs`` unless sharded)."""
        return self.queue(self.layout.work_queue(job_id))

    def events_queue(self, job_id: str) -> Any:
        """The queue of a job's JobMessages (``job-events`` unless sharded)."""
        return self.queue(self.layout.events_queue(job_id))

    def queue(self, name: str) -> Any:
        """A queue client that base64-encodes, as the Functions host expects by default, in the
        account that holds the queue (``Layout.queue_account``)."""
        account = self.layout.queue_account(name)
        client = self._queues.get((account, name))
        if client is None:
            from azure.storage.queue import TextBase64DecodePolicy, TextBase64EncodePolicy

            with self._lock:
                client = self.accounts[account].queues.get_queue_client(
                    name, message_encode_policy=TextBase64EncodePolicy(), message_decode_policy=TextBase64DecodePolicy()
                )
                try:
                    client.create_queue()
                except ResourceExistsError:
                    pass
                self._queues[(account, name)] = client
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
