"""The jobs engine: one small facade over the modules that do the work.

- ``submission``: validate, honour an Idempotency-Key, record and queue a job;
- ``queries``: one job, a page of jobs, a job's log, configuration and results;
- ``control``: cancel, retry, fail a poisoned or stalled job;
- ``steps``: the queue worker's steps (start, batch, finalize);
- ``writer``: every change as one ETag-conditional transaction, then its JobMessages;
- ``store``, ``record``, ``work``: where jobs live, the typed job, the work messages.

Callers (the jobs service, the triggers, the sweeper) use this class and nothing below it,
so the modules can change without them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from shared import telemetry
from shared.jobs.activity import TenantActivity
from shared.jobs.control import JobControl, failure
from shared.jobs.queries import JobQueries
from shared.jobs.record import JobRecord
from shared.jobs.shards import Layout
from shared.jobs.steps import Worker
from shared.jobs.store import JobStorage
from shared.jobs.submission import Submission
from shared.jobs.work import Work, send
from shared.jobs.writer import StepWriter
from shared.logs import log_event
from shared.models.common import Page, PageQuery
from shared.models.jobs import JobCreate, JobListQuery, JobStatus
from shared.storage.clients import StorageClients

logger = logging.getLogger("cloudplane.jobs")


class Engine:
    def __init__(
        self,
        clients: StorageClients,
        *,
        max_attempts: int = 5,
        idempotency_hours: int = 24,
        layout: Layout | None = None,
        accounts: Sequence[StorageClients] = (),
    ) -> None:
        """``layout`` and ``accounts`` (the clients of jobs accounts 1..) spread the jobs' storage
        (``shards``); without them it is one queue, one partition per tenant, one account."""
        self.storage = JobStorage(clients, layout, accounts)
        self.max_attempts = max_attempts
        self.activity = TenantActivity(self.storage)
        self.queries = JobQueries(self.storage)
        self.writer = StepWriter(self.storage, self.queries.load)
        self.submission = Submission(self.storage, self.queries, self.writer, self.activity, idempotency_hours)
        self.control = JobControl(self.storage, self.queries, self.writer, self.activity, max_attempts)
        self.worker = Worker(self.storage, self.queries, self.writer, max_attempts)

    # ---- the API's use cases

    def submit(
        self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None = None
    ) -> tuple[JobRecord, bool]:
        return self.submission.submit(tenant_id, request, trace_id, idempotency_key)

    def load(self, tenant_id: str, job_id: str) -> JobRecord:
        return self.queries.load(tenant_id, job_id)

    def page(self, tenant_id: str, query: JobListQuery) -> Page[JobRecord]:
        return self.queries.page(tenant_id, query)

    def events(self, tenant_id: str, job_id: str, query: PageQuery) -> Page[dict[str, Any]]:
        return self.queries.events(tenant_id, job_id, query)

    def configuration(self, job: JobRecord) -> dict[str, Any]:
        return self.queries.configuration(job)

    def inline_results(self, job: JobRecord, fmt: str) -> bytes | None:
        return self.queries.inline_results(job, fmt)

    def result_file(self, job: JobRecord, fmt: str) -> tuple[Any, int] | None:
        return self.queries.result_file(job, fmt)

    def cancel(self, tenant_id: str, job_id: str) -> JobRecord:
        return self.control.cancel(tenant_id, job_id)

    def retry(self, tenant_id: str, job_id: str, failed_only: bool) -> tuple[JobRecord, int]:
        return self.control.retry(tenant_id, job_id, failed_only)

    # ---- the queue triggers

    def process(self, message: dict[str, Any], dequeue_count: int = 1) -> None:
        """Run one work message as the queue delivered it; raising lets the queue retry it."""
        work = Work.parse(message)
        if work is None:
            job_id, kind = str(message.get("job_id", "")), message.get("kind")
            log_event(logger, "job_message_unknown", logging.WARNING, job_id=job_id, kind=kind)
            return
        self.worker.process(work, dequeue_count)

    def fail_from_poison(self, message: dict[str, Any]) -> None:
        """Fail the job of a work message that exhausted its attempts, in a span of the job's trace."""
        work = Work.parse(message)
        parent = telemetry.remote_parent(work.traceparent, work.trace_id) if work is not None else ""
        attributes = {"cloudplane.job.id": str(message.get("job_id", "")), "cloudplane.job.step": "poisoned"}
        with telemetry.span("job poisoned", kind="consumer", traceparent=parent, attributes=attributes):
            self.control.fail_poisoned(message)

    # ---- the sweeper's repairs

    def requeue(self, job: JobRecord) -> None:
        """Send a job's ``start`` again: it starts a queued job, re-sends a running one's batches
        not yet counted, and finishes a cancel."""
        send(self.storage, Work.start(job.tenant_id, job.job_id, job.trace_id))

    def redrive(self, job: JobRecord) -> None:
        """Run a job's start step here and now (re-sends a running job's batches not yet counted)."""
        self.worker.start(job)

    def fail_stalled(self, job: JobRecord, still: Callable[[JobRecord], bool], seconds: float) -> bool:
        error = failure(
            "JOB_STALLED",
            f"The job made no progress for over {int(seconds)} seconds ({job.status.value}).",
            status=job.status.value,
        )
        return self.control.fail_if(job.tenant_id, job.job_id, error, still, "Failed: stalled")

    def republish(self, tenant_id: str, outbox: dict[str, Any]) -> int:
        return self.writer.republish(tenant_id, outbox)


__all__ = ["Engine", "JobRecord", "JobStatus"]
