"""The job as the engine handles it: a typed record over the Table entity it is stored as.

Why a record rather than the entity dict: every step reads a job, changes a few fields and
writes it back under its ETag, and a typo in a dict key or a status string fails silently
there. The record names every field once, carries the ETag the next conditional write
needs, and converts to and from the stored entity in one place (the stored shape is
unchanged, so jobs written before keep loading).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.jobs.shards import job_partition, tenant_of
from shared.models.jobs import JobStatus

_OPTIONAL_TEXT = ("description", "message", "summary", "results", "error")
_OPTIONAL_TIMES = ("started_at", "completed_at")
_COUNTS = ("processed", "failed", "total", "batches_total", "batches_done", "seq", "retries")


@dataclass
class JobRecord:
    tenant_id: str
    job_id: str
    type: str
    name: str
    status: JobStatus
    configuration: str
    """As stored: the configuration's JSON, or ``{"$blob": name}`` when claim-checked."""
    created_at: datetime
    updated_at: datetime
    trace_id: str = ""
    description: str | None = None
    processed: int = 0
    failed: int = 0
    total: int = -1
    """Items in the job; -1 until the plan counts them."""
    batches_total: int = -1
    """-1 until the job is planned (queued); 0 for a job with nothing to do."""
    batches_done: int = 0
    done_mask: str = ""
    """One character per batch: ``0`` to run, ``1`` done, ``F`` failed; counts each batch once."""
    message: str | None = None
    seq: int = 0
    """The sequence number of the next JobMessage."""
    retries: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None
    summary: str | None = None
    results: str | None = None
    """Where the results are: ``inline`` (a Table row beside the job) or ``blob``."""
    error: str | None = None
    etag: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_entity(cls, entity: Any) -> JobRecord:
        metadata = getattr(entity, "metadata", None) or {}
        values: dict[str, Any] = {
            "tenant_id": tenant_of(str(entity["PartitionKey"]), str(entity["RowKey"])),
            "job_id": str(entity["RowKey"]),
            "type": str(entity["type"]),
            "name": str(entity["name"]),
            "status": JobStatus(entity["status"]),
            "configuration": str(entity.get("configuration") or "{}"),
            "created_at": entity["created_at"],
            "updated_at": entity.get("updated_at") or entity["created_at"],
            "trace_id": str(entity.get("trace_id") or ""),
            "etag": metadata.get("etag") or getattr(entity, "etag", None),
        }
        for name in _COUNTS:
            if entity.get(name) is not None:
                values[name] = int(entity[name])
        for name in (*_OPTIONAL_TEXT, *_OPTIONAL_TIMES):
            if entity.get(name) is not None:
                values[name] = entity[name]
        values["done_mask"] = str(entity.get("done_mask") or "")
        return cls(**values)

    def to_entity(self) -> dict[str, Any]:
        """The Table entity; None fields are left out (a REPLACE write then removes them)."""
        entity: dict[str, Any] = {"PartitionKey": self.partition, "RowKey": self.job_id}
        for item in dataclasses.fields(self):
            if item.name in ("tenant_id", "job_id", "etag"):
                continue
            value = getattr(self, item.name)
            if value is not None:
                entity[item.name] = value.value if isinstance(value, JobStatus) else value
        return entity

    @property
    def partition(self) -> str:
        """The PartitionKey of the job's rows in table ``jobs`` (the tenant id unless sharded)."""
        return job_partition(self.tenant_id, self.job_id)

    def copy(self) -> JobRecord:
        return dataclasses.replace(self)

    @property
    def terminal(self) -> bool:
        return self.status.is_terminal

    @property
    def planned(self) -> bool:
        return self.batches_total >= 0

    @property
    def all_counted(self) -> bool:
        return self.status is JobStatus.RUNNING and self.batches_done == self.batches_total

    def summary_value(self) -> dict[str, Any] | None:
        return json.loads(self.summary) if self.summary else None

    def error_value(self) -> dict[str, Any] | None:
        return json.loads(self.error) if self.error else None

    def progress(self) -> dict[str, Any]:
        """The job's progress as the API and every JobMessage show it (one definition for both)."""
        if self.status in (JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS):
            percent = 100.0
        elif self.batches_total > 0:
            percent = round(100.0 * self.batches_done / self.batches_total, 2)
        else:
            percent = 0.0
        return {
            "percent": percent,
            "processed": self.processed,
            "failed": self.failed,
            "total": self.total if self.total >= 0 else None,
            "message": self.message,
        }
