"""Changing a job from outside its steps: cancel, retry, and failing it (poisoned or stalled).

Each is one conditional write through the step writer, so it emits its JobMessages like any
step, and a race with a running step ends in one of the two, never in a mix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from shared.errors import Conflict, NotFound
from shared.jobs import work
from shared.jobs.activity import TenantActivity
from shared.jobs.messages import MessageType
from shared.jobs.queries import JobQueries
from shared.jobs.record import JobRecord
from shared.jobs.store import BatchStatus, JobStorage, batch_index, batch_partition, dumps, now
from shared.jobs.writer import Event, StepWriter
from shared.logs import log_event
from shared.models.jobs import RETRYABLE, TERMINAL, JobStatus

logger = logging.getLogger("cloudplane.jobs")


def failure(code: str, message: str, **details: Any) -> dict[str, Any]:
    """A job's error, in the API's error shape."""
    return {"code": code, "message": message, "details": details}


def fail(job: JobRecord, error: dict[str, Any], message: str = "Failed") -> list[Event]:
    """Edit ``job`` to failed with ``error``; the event that announces it."""
    job.status = JobStatus.FAILED
    job.completed_at = now()
    job.error = dumps(error)
    job.message = message
    return [Event(MessageType.JOB_FAILED, error=error)]


class JobControl:
    def __init__(
        self,
        storage: JobStorage,
        queries: JobQueries,
        writer: StepWriter,
        activity: TenantActivity,
        max_attempts: int,
    ) -> None:
        self.storage = storage
        self.queries = queries
        self.writer = writer
        self.activity = activity
        self.max_attempts = max_attempts

    def cancel(self, tenant_id: str, job_id: str) -> JobRecord:
        def change(job: JobRecord) -> list[Event] | None:
            if job.terminal:
                raise Conflict(
                    f"Job {job_id} already ended ({job.status.value}).",
                    code="JOB_FINISHED",
                    details={"status": job.status.value},
                )
            if job.status is JobStatus.CANCELLING:
                return None
            if job.status is JobStatus.QUEUED:
                job.status, job.completed_at, job.message = JobStatus.CANCELLED, now(), "Cancelled before it started"
                return [Event(MessageType.JOB_CANCELLED)]
            job.status, job.message = JobStatus.CANCELLING, "Cancelling at the next checkpoint"
            return []

        return self.writer.update(tenant_id, job_id, change)

    def retry(self, tenant_id: str, job_id: str, failed_only: bool) -> tuple[JobRecord, int]:
        """Re-run the failed batches (or all) of a failed or completed_with_errors job."""
        job = self.queries.load(tenant_id, job_id)
        if job.status not in RETRYABLE:
            raise Conflict(
                f"Only failed or completed_with_errors jobs can be retried; this one is {job.status.value}.",
                code="JOB_NOT_RETRYABLE",
                details={"status": job.status.value},
            )
        batches = list(
            self.storage.batches_table(tenant_id, job_id).query_entities(
                "PartitionKey eq @pk", parameters={"pk": batch_partition(tenant_id, job_id)}
            )
        )
        chosen = {
            batch_index(b["RowKey"]): b
            for b in batches
            if not failed_only or b.get("status") == BatchStatus.FAILED or b.get("failed", 0) > 0
        }
        # never planned, ran inline (no batch records), or failed as a whole: run it all again
        restart = job.batches_total <= 0 or not batches or (not chosen and job.status is JobStatus.FAILED)
        indexes = [] if restart else sorted(chosen)

        def change(current: JobRecord) -> list[Event] | None:
            if current.status not in RETRYABLE:
                raise Conflict("The job changed state; fetch it again.", code="JOB_STATE_CHANGED")
            if restart:
                current.status, current.batches_total, current.done_mask = JobStatus.QUEUED, -1, ""
                current.batches_done = current.processed = current.failed = 0
            else:
                mask = list(current.done_mask)
                for index in indexes:
                    if mask[index] != "0":
                        mask[index] = "0"
                        current.batches_done -= 1
                        current.processed -= int(chosen[index].get("processed", 0))
                        current.failed -= int(chosen[index].get("failed", 0))
                current.status, current.done_mask = JobStatus.RUNNING, "".join(mask)
            current.retries += 1
            current.completed_at = current.error = None
            current.message = f"Retrying {len(indexes) or 'all'} batches"
            return [Event(MessageType.JOB_STARTED, {"retry": True, "batches": indexes})]

        self.activity.note(tenant_id)
        job = self.writer.update(tenant_id, job_id, change)
        if restart:
            work.send(self.storage, work.Work.start(tenant_id, job_id, job.trace_id))
        for index in indexes:
            work.send(self.storage, work.Work.run_batch(tenant_id, job_id, index, job.trace_id))
        return job, len(indexes)

    def fail_poisoned(self, message: dict[str, Any]) -> None:
        """A work message exhausted its attempts: its job ends ``failed`` with the reason.

        It takes the raw message, not ``Work``: a message can be poisoned because it does not parse.
        """
        kind, batch = message.get("kind"), message.get("batch")
        tenant_id, job_id = str(message.get("tenant_id", "")), str(message.get("job_id", ""))
        error = failure(
            "JOB_MESSAGE_POISONED", f"A '{kind}' step failed {self.max_attempts} times and was abandoned.", batch=batch
        )
        try:
            self.fail_if(tenant_id, job_id, error, lambda job: not job.terminal)
        except NotFound:
            log_event(logger, "job_poison_orphaned", logging.WARNING, job_id=job_id)

    def fail_if(
        self,
        tenant_id: str,
        job_id: str,
        error: dict[str, Any],
        still: Callable[[JobRecord], bool],
        message: str = "Failed",
    ) -> bool:
        """Fail the job with ``error`` if ``still(job)`` holds when it is written; True when it was failed."""
        failed = False

        def change(job: JobRecord) -> list[Event] | None:
            nonlocal failed
            failed = False
            if job.status in TERMINAL or not still(job):
                return None  # it moved on since the caller looked
            failed = True
            return fail(job, error, message)

        self.writer.update(tenant_id, job_id, change)
        return failed
