"""Work messages: what the ``jobs`` queue carries to the worker, built and read in one place.

Two kinds: ``start`` plans a job (or finishes its cancel) and ``batch`` runs one batch. Both
are idempotent at the receiving end, so anyone may send one again (the sweeper does); a
message names its job and never carries data, so it always fits the queue. A ``batch``
message that re-checks a waiting batch (``registry.Waiting``) carries the number of its
re-check, ``check``, and is sent with a visibility delay.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, TypeGuard

from shared import telemetry
from shared.jobs.store import WORK_QUEUE, JobStorage, dumps

_TRACEPARENT_LENGTH = 55  # "00-" + 32 + "-" + 16 + "-" + 2


@dataclass(frozen=True)
class Work:
    kind: Literal["start", "batch"]
    tenant_id: str
    job_id: str
    trace_id: str = ""
    batch: int | None = None
    traceparent: str = ""
    check: int | None = None
    """The re-check of a waiting batch this message is (None: an ordinary run of the batch)."""

    def text(self) -> str:
        body = asdict(self)
        if self.batch is None:
            del body["batch"]
        if not self.traceparent:
            del body["traceparent"]
        if self.check is None:
            del body["check"]
        return dumps(body)

    @classmethod
    def start(cls, tenant_id: str, job_id: str, trace_id: str) -> Work:
        return cls("start", tenant_id, job_id, trace_id)

    @classmethod
    def run_batch(cls, tenant_id: str, job_id: str, index: int, trace_id: str) -> Work:
        return cls("batch", tenant_id, job_id, trace_id, index)

    @classmethod
    def recheck(cls, tenant_id: str, job_id: str, index: int, trace_id: str, check: int) -> Work:
        return cls("batch", tenant_id, job_id, trace_id, index, check=check)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> Work | None:
        """The message a queue delivered, or None for one this app does not send (logged by the caller)."""
        kind, batch, parent = body.get("kind"), body.get("batch"), body.get("traceparent")
        traceparent = parent if isinstance(parent, str) and len(parent) <= _TRACEPARENT_LENGTH else ""
        tenant_id, job_id, trace_id = (str(body.get(key, "")) for key in ("tenant_id", "job_id", "trace_id"))
        if kind == "start":
            return cls("start", tenant_id, job_id, trace_id, traceparent=traceparent)
        if kind == "batch" and _count(batch):
            check = body.get("check")
            return cls("batch", tenant_id, job_id, trace_id, batch, traceparent, check if _count(check) else None)
        return None


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def send(storage: JobStorage, work: Work, delay: int = 0) -> None:
    """Queue ``work``, carrying the current span's trace context when it names none; ``delay``:
    seconds before the queue shows it (its visibility timeout)."""
    if not work.traceparent:
        work = replace(work, traceparent=telemetry.current_traceparent())
    if delay > 0:
        storage.queue(WORK_QUEUE).send_message(work.text(), visibility_timeout=delay)
    else:
        storage.queue(WORK_QUEUE).send_message(work.text())
