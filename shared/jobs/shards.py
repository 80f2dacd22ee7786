"""The sharded layout of the jobs engine: which queue, partition and account a job's traffic uses.

Three settings spread the load a job makes over more of storage's units of scale (the
reasoning and figures are in ``docs/capacity.md``); their defaults keep the layout of one
queue ``jobs``, one events queue ``job-events``, one partition per tenant and one account:

- ``work_queues`` (N): a job's work messages go to work queue ``stable_hash(job_id) mod N``,
  named ``jobs`` for 0 and ``jobs-<i>`` after. ``event_queues`` (E) does the same for its
  JobMessages (``job-events``, ``job-events-<i>``), so one job's messages stay in order on one
  queue. Any queue may carry any job's work (steps are idempotent and find the job by its id),
  so changing N strands nothing as long as every queue keeps a consumer.
- ``partitions`` (P): a job's rows go to partition ``k`` of its tenant, ``k`` chosen by the
  stable hash of the job's id when it is made, and *written into the id* (``job_...-<k>``;
  ``k = 0`` keeps today's id and the tenant's own partition, ``<tenant>``). A job's partition
  is read from its id alone, so raising P later never loses a job; lowering it hides the
  jobs of the partitions it drops from listings, statistics and the sweeper (never lower it).
- ``accounts`` (A): a partition lives in account ``stable_hash(partition) mod A`` and queue
  ``i`` in account ``i mod A``. Account 0 is the app's own (tenants, keys, blobs, ...).

The hash is BLAKE2b of the text's UTF-8, so every process, host and Python version agrees
(Python's ``hash()`` is salted per process).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

MAX_WORK_QUEUES = 40
"""Work queues with a declared trigger (``functions/jobs.py``): the most ``work_queues`` may be."""

WORK_QUEUE = "jobs"
EVENTS_QUEUE = "job-events"
_SHARD_MARK = "-"  # job_<clock><random>-<k>: the id of a job in partition k > 0


def stable_hash(text: str) -> int:
    """A 64-bit hash of ``text`` that is the same in every process (BLAKE2b, not ``hash()``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def shard(text: str, count: int) -> int:
    """Which of ``count`` shards ``text`` falls in (0 when there is one)."""
    return stable_hash(text) % count if count > 1 else 0


def queue_name(base: str, index: int) -> str:
    """Queue ``index`` of a sharded family: the base name for 0 (today's queue), ``<base>-<i>`` after."""
    return base if index == 0 else f"{base}-{index}"


def work_queue_names(count: int = MAX_WORK_QUEUES) -> list[str]:
    return [queue_name(WORK_QUEUE, index) for index in range(count)]


def with_partition(job_id: str, partitions: int) -> str:
    """A new job id placed in one of ``partitions``: unchanged for partition 0, ``-<k>`` added otherwise."""
    k = shard(job_id, partitions)
    return job_id if k == 0 else f"{job_id}{_SHARD_MARK}{k}"


def partition_index(job_id: str) -> int:
    """The partition a job id names (0 for an id without a mark, as every id made with P = 1)."""
    head, mark, tail = job_id.rpartition(_SHARD_MARK)
    return int(tail) if mark and head and tail.isdigit() and tail[0] != "0" else 0


def partition_name(tenant_id: str, index: int) -> str:
    """The PartitionKey of a tenant's partition ``index`` in table ``jobs`` (the tenant id for 0)."""
    return tenant_id if index == 0 else f"{tenant_id}:{index}"


def job_partition(tenant_id: str, job_id: str) -> str:
    return partition_name(tenant_id, partition_index(job_id))


def tenant_of(partition: str, job_id: str) -> str:
    """The tenant of a job row, from its PartitionKey and its id (the inverse of ``job_partition``)."""
    index = partition_index(job_id)
    suffix = f":{index}"
    return partition[: -len(suffix)] if index and partition.endswith(suffix) else partition


@dataclass(frozen=True)
class Layout:
    """How many work queues, events queues, partitions per tenant and accounts the jobs use."""

    work_queues: int = 1
    event_queues: int = 1
    partitions: int = 1
    accounts: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.work_queues <= MAX_WORK_QUEUES:
            raise ValueError(f"work_queues must be 1 to {MAX_WORK_QUEUES}")
        if min(self.event_queues, self.partitions, self.accounts) < 1:
            raise ValueError("every count of the layout is at least 1")

    @property
    def sharded(self) -> bool:
        return (self.work_queues, self.event_queues, self.partitions, self.accounts) != (1, 1, 1, 1)

    def work_queue(self, job_id: str) -> str:
        return queue_name(WORK_QUEUE, shard(job_id, self.work_queues))

    def events_queue(self, job_id: str) -> str:
        return queue_name(EVENTS_QUEUE, shard(job_id, self.event_queues))

    def partitions_of(self, tenant_id: str) -> list[str]:
        """Every partition of the tenant that may hold jobs, the tenant's own first."""
        return [partition_name(tenant_id, index) for index in range(self.partitions)]

    def partition_account(self, partition: str) -> int:
        return shard(partition, self.accounts)

    def queue_account(self, name: str) -> int:
        """The account of a queue of either family (its poison queue's too): ``index mod A``."""
        base = name.removesuffix("-poison")
        head, _, tail = base.rpartition("-")
        index = int(tail) if head in (WORK_QUEUE, EVENTS_QUEUE) and tail.isdigit() else 0
        return index % self.accounts


def trigger_account(index: int, accounts: int) -> int:
    """The account of work queue ``index`` (what its trigger's connection must name)."""
    return index % accounts
