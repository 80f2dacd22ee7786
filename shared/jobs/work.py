"""Work messages: what the ``jobs`` queue (or its shard, ``shards``) carries to the worker, built and read in one place.

Two kinds: ``start`` plans a job (or finishes its cancel) and ``batch`` runs one batch. Both
are idempotent at the receiving end, so anyone may send one again (the sweeper does); a
message names its job and never carries data, so it always fits the queue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from shared import telemetry
from shared.jobs.store import JobStorage, dumps

_TRACEPARENT_LENGTH = 55  # "00-" + 32 + "-" + 16 + "-" + 2


@dataclass(frozen=True)
class Work:
    kind: Literal["start", "batch"]
    tenant_id: str
    job_id: str
    trace_id: str = ""
    batch: int | None = None
    traceparent: str = ""

    def text(self) -> str:
        body = asdict(self)
        if self.batch is None:
            del body["batch"]
        if not self.traceparent:
            del body["traceparent"]
        return dumps(body)

    @classmethod
    def start(cls, tenant_id: str, job_id: str, trace_id: str) -> Work:
        return cls("start", tenant_id, job_id, trace_id)

    @classmethod
    def run_batch(cls, tenant_id: str, job_id: str, index: int, trace_id: str) -> Work:
        return cls("batch", tenant_id, job_id, trace_id, index)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> Work | None:
        """The message a queue delivered, or None for one this app does not send (logged by the caller)."""
        kind, batch, parent = body.get("kind"), body.get("batch"), body.get("traceparent")
        traceparent = parent if isinstance(parent, str) and len(parent) <= _TRACEPARENT_LENGTH else ""
        tenant_id, job_id, trace_id = (str(body.get(key, "")) for key in ("tenant_id", "job_id", "trace_id"))
        if kind == "start":
            return cls("start", tenant_id, job_id, trace_id, traceparent=traceparent)
        if kind == "batch" and isinstance(batch, int) and not isinstance(batch, bool) and batch >= 0:
            return cls("batch", tenant_id, job_id, trace_id, batch, traceparent)
        return None


def send(storage: JobStorage, work: Work) -> None:
    """Queue ``work``, carrying the current span's trace context when it names none."""
    if not work.traceparent:
        work = replace(work, traceparent=telemetry.current_traceparent())
    storage.work_queue(work.job_id).send_message(work.text())
