"""Work messages: what the ``jobs`` queue carries to the worker, built and read in one place.

Two kinds: ``start`` plans a job (or finishes its cancel) and ``batch`` runs one batch. Both
are idempotent at the receiving end, so anyone may send one again (the sweeper does); a
message names its job and never carries data, so it always fits the queue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from shared.jobs.store import WORK_QUEUE, JobStorage, dumps


@dataclass(frozen=True)
class Work:
    kind: Literal["start", "batch"]
    tenant_id: str
    job_id: str
    trace_id: str = ""
    batch: int | None = None

    def text(self) -> str:
        body = asdict(self)
        if self.batch is None:
            del body["batch"]
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
        kind, batch = body.get("kind"), body.get("batch")
        if kind == "start":
            return cls(
                "start", str(body.get("tenant_id", "")), str(body.get("job_id", "")), str(body.get("trace_id", ""))
            )
        if kind == "batch" and isinstance(batch, int) and not isinstance(batch, bool) and batch >= 0:
            return cls(
                "batch",
                str(body.get("tenant_id", "")),
                str(body.get("job_id", "")),
                str(body.get("trace_id", "")),
                batch,
            )
        return None


def send(storage: JobStorage, work: Work) -> None:
    storage.queue(WORK_QUEUE).send_message(work.text())
