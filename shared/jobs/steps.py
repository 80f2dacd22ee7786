"""The queue worker's steps: start (plan and fan out, or run a small job whole), batch, finalize.

Delivery is at least once, so every step is idempotent:
- ``start`` plans the batches (deterministic), records them, moves queued -> running and
  fans out one ``batch`` message per batch; a redelivered ``start`` re-sends the batches not
  yet counted, and duplicates of those are harmless.
- ``batch`` runs one batch, stages its result rows as blocks of the final result blobs
  (block ids are the batch index, so a re-run replaces, never appends), then counts the
  batch in the job's ``done_mask`` with a conditional write: a batch is counted once however
  often it runs. The write that counts the last batch finalizes the job by committing the
  block lists, so results are assembled without being read back.
- A handler error is retried by the queue; on the last attempt the batch is recorded as
  failed instead, so the job ends ``completed_with_errors`` and ``retry`` can re-run it.
- A batch that waits on something outside (``registry.Waiting``: an OpenStack server reaching a
  state) saves its progress, numbers its next re-check and sends it with a visibility delay,
  so no worker is held while it waits; a delivery of an older re-check is dropped. A batch
  that fails for a reason worth showing (``registry.BatchFailed``) is recorded failed at once,
  and a job of that one batch fails with that reason.
- A job that plans one batch (or none), of a type that says it is quick (``JobType.inline``),
  runs inside its ``start`` step: its result rows go in the job's partition when they fit in
  one entity, and it ends queued -> completed in one transaction. Most jobs are small; this
  is what makes them cheap (bench/jobs_throughput.py). If the handler raises, the job takes
  the fan-out path instead, with the queue's retries and poison handling.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError
from azure.data.tables import UpdateMode
from pydantic import BaseModel

from shared import telemetry
from shared.errors import NotFound
from shared.jobs import registry, results, work
from shared.jobs.control import failure
from shared.jobs.messages import MessageType
from shared.jobs.queries import JobQueries
from shared.jobs.record import JobRecord
from shared.jobs.registry import BatchFailed, BatchOutcome, JobType, Waiting
from shared.jobs.results import TABLE_TEXT_LIMIT
from shared.jobs.store import (
    BATCHES,
    RESULTS_CONTAINER,
    BatchStatus,
    JobStorage,
    batch_partition,
    batch_row,
    dumps,
    now,
    result_row,
)
from shared.jobs.writer import Event, Operation, StepWriter
from shared.logs import log_event
from shared.models.jobs import JobStatus

logger = logging.getLogger("cloudplane.jobs")

MAX_BATCHES = 20_000


class CancelledError(Exception):
    """Raised inside a handler's checkpoint when the job was cancelled."""


@dataclass
class _BatchContext:
    queries: JobQueries
    tenant_id: str
    job_id: str
    batch_index: int
    trace_id: str
    attempt: int
    round: int
    progress: dict[str, Any] = field(default_factory=dict)

    def cancelled(self) -> bool:
        status = self.queries.load(self.tenant_id, self.job_id).status
        return status in (JobStatus.CANCELLING, JobStatus.CANCELLED)

    def log(self, message: str) -> None:
        log_event(
            logger, "job_log", job_id=self.job_id, batch=self.batch_index, trace_id=self.trace_id, message=message
        )


class Worker:
    def __init__(self, storage: JobStorage, queries: JobQueries, writer: StepWriter, max_attempts: int) -> None:
        self.storage = storage
        self.queries = queries
        self.writer = writer
        self.max_attempts = max_attempts

    def process(self, message: work.Work, dequeue_count: int = 1) -> None:
        """Run one work message in its step's span (a child of the span that sent it); raising
        lets the queue retry it."""
        attributes: dict[str, str | int] = {
            "cloudplane.job.id": message.job_id,
            "cloudplane.tenant_id": message.tenant_id,
            "cloudplane.job.step": message.kind,
            "cloudplane.job.attempt": dequeue_count,
        }
        if message.batch is not None:
            attributes["cloudplane.job.batch"] = message.batch
        parent = telemetry.remote_parent(message.traceparent, message.trace_id)
        started = time.perf_counter()
        job_type, outcome = "", "error"
        try:
            with telemetry.span(
                f"job {message.kind}", kind="consumer", traceparent=parent, attributes=attributes
            ) as span:
                try:
                    job = self.queries.load(message.tenant_id, message.job_id)
                except NotFound:
                    log_event(logger, "job_message_orphaned", logging.WARNING, job_id=message.job_id, kind=message.kind)
                    outcome = "orphaned"
                    return
                job_type = job.type
                span.set("cloudplane.job.type", job_type)
                if message.kind == "start":
                    self.start(job)
                elif message.batch is not None:
                    self._run_batch(job, message.batch, dequeue_count, message.check)
                outcome = "ok"
        finally:
            telemetry.record(
                "cloudplane.jobs.step_duration",
                time.perf_counter() - started,
                {"step": message.kind, "job_type": job_type, "outcome": outcome},
            )

    def _job_type(self, job: JobRecord) -> tuple[JobType, BaseModel]:
        job_type = registry.get(job.type)
        if job_type is None:
            raise RuntimeError(f"job type {job.type!r} is not registered in this app")
        return job_type, job_type.config_model.model_validate(self.queries.configuration(job))

    def _context(
        self, job: JobRecord, index: int, attempt: int, progress: dict[str, Any] | None = None
    ) -> _BatchContext:
        return _BatchContext(
            self.queries, job.tenant_id, job.job_id, index, job.trace_id, attempt, job.retries, progress or {}
        )

    def start(self, job: JobRecord) -> None:
        """Plan and fan out a queued job, or re-send the batches of a running one not yet counted."""
        if job.status is JobStatus.CANCELLING:
            self._finish_cancel(job)
            return
        if job.terminal:
            return
        if not job.planned:
            job_type, config = self._job_type(job)
            plans = job_type.plan(job.tenant_id, config)
            if len(plans) <= 1 and job_type.inline is not None and job_type.inline(config):
                if self._run_inline(job, job_type, config, plans[0] if plans else None):
                    return
            job = self._record_plan(job, plans)
        if job.status is not JobStatus.RUNNING:
            return
        if job.all_counted:  # nothing to run, or a step counted the last batch and stopped before finalizing
            self._finalize(job)
            return
        for index, flag in enumerate(job.done_mask):
            if flag == "0":
                work.send(self.storage, work.Work.run_batch(job.tenant_id, job.job_id, index, job.trace_id))

    def _record_plan(self, job: JobRecord, plans: list[dict[str, Any]]) -> JobRecord:
        if len(plans) > MAX_BATCHES:
            raise RuntimeError(f"{len(plans)} batches is over the limit of {MAX_BATCHES}")
        table = self.storage.table(BATCHES)
        partition = batch_partition(job.tenant_id, job.job_id)
        for index, plan in enumerate(plans):
            table.upsert_entity(
                {
                    "PartitionKey": partition,
                    "RowKey": batch_row(index),
                    "plan": dumps(plan),
                    "status": BatchStatus.PENDING.value,
                },
                mode=UpdateMode.MERGE,
            )
        total_rows = sum(int(p.get("rows", 0)) for p in plans)

        def change(current: JobRecord) -> list[Event] | None:
            if current.status is not JobStatus.QUEUED:
                return None
            current.status, current.started_at, current.message = JobStatus.RUNNING, now(), "Running"
            current.batches_total, current.done_mask = len(plans), "0" * len(plans)
            current.total = total_rows or -1
            return [Event(MessageType.JOB_STARTED, {"batches": len(plans)})]

        return self.writer.update(job.tenant_id, job.job_id, change, current=job)

    def _run_inline(self, job: JobRecord, job_type: JobType, config: BaseModel, plan: dict[str, Any] | None) -> bool:
        """Run a job of one batch (or none) inside its start step; False sends it down the fan-out path instead."""
        started = now()
        try:
            outcome = BatchOutcome(0, 0) if plan is None else job_type.run_batch(self._context(job, 0, 1), config, plan)
        except CancelledError:
            return True  # a queued job's cancel already ended it
        except Exception as exc:  # noqa: BLE001 - the fan-out path retries it with the queue's attempts
            log_event(logger, "job_inline_failed", logging.WARNING, job_id=job.job_id, error=type(exc).__name__)
            return False
        summary = job_type.summarize([] if plan is None else [outcome.state])
        rows_text = results.json_rows(outcome.rows)
        extra: list[Operation] = []
        references: list[dict[str, Any]] = []
        if len(rows_text) <= TABLE_TEXT_LIMIT:
            row = {"PartitionKey": job.tenant_id, "RowKey": result_row(job.job_id), "rows": rows_text}
            extra.append(("upsert", row))
            kept = "inline"
        else:
            container = self.storage.container(RESULTS_CONTAINER)
            columns = job_type.result_columns
            sizes = results.stage(container, job.tenant_id, job.job_id, 0, columns, outcome.rows)
            record = {"RowKey": batch_row(0), "rows": len(outcome.rows), **sizes}
            references = results.commit(container, job.tenant_id, job.job_id, columns, [record], summary)
            kept = "blob"

        def change(current: JobRecord) -> list[Event] | None:
            if current.status is not JobStatus.QUEUED or current.planned:
                return None  # cancelled meanwhile, or another delivery of this step got there first
            batches = 0 if plan is None else 1
            # Announce the start as it happened (running, nothing done yet), then the end.
            as_started = current.copy()
            as_started.status, as_started.message = JobStatus.RUNNING, "Running"
            status = JobStatus.COMPLETED_WITH_ERRORS if outcome.failed else JobStatus.COMPLETED
            current.status, current.started_at, current.completed_at = status, started, now()
            current.batches_total = current.batches_done = batches
            current.done_mask = "1" * batches
            current.processed, current.failed = outcome.processed, outcome.failed
            current.total = int((plan or {}).get("rows", 0)) or -1
            current.summary, current.results, current.message = dumps(summary), kept, status.value.capitalize()
            completed = Event(MessageType.JOB_COMPLETED, {"summary": summary}, references)
            return [Event(MessageType.JOB_STARTED, {"batches": batches}, view=as_started), completed]

        self.writer.update(job.tenant_id, job.job_id, change, current=job, extra=extra)
        return True

    def _run_batch(self, job: JobRecord, index: int, dequeue_count: int, check: int | None = None) -> None:
        if job.status is JobStatus.CANCELLING:
            self._finish_cancel(job)
            return
        if job.all_counted:
            self._finalize(job)  # a step counted the last batch, then stopped before finalizing
            return
        if job.status is not JobStatus.RUNNING or index >= len(job.done_mask) or job.done_mask[index] != "0":
            return  # finished, cancelled, or this batch was already counted: a duplicate delivery
        job_type, config = self._job_type(job)
        batches = self.storage.table(BATCHES)
        partition = batch_partition(job.tenant_id, job.job_id)
        entity = batches.get_entity(partition, batch_row(index))
        if check is not None and int(entity.get("check") or 0) != check:
            return  # a re-check that a newer one superseded (a duplicate delivery of a wait)
        plan = json.loads(entity["plan"])
        progress = json.loads(entity.get("progress") or "{}")
        reason: dict[str, Any] | None = None
        try:
            outcome = job_type.run_batch(self._context(job, index, dequeue_count, progress), config, plan)
            status, error = BatchStatus.DONE, None
        except CancelledError:
            self._finish_cancel(job)
            return
        except Waiting as waiting:
            self._wait(job, index, entity, waiting)
            return
        except BatchFailed as failed:
            outcome = BatchOutcome(processed=0, failed=max(1, int(plan.get("rows", 0))), rows=failed.rows)
            status, error = BatchStatus.FAILED, failed.message
            reason = failure(failed.code, failed.message, **failed.details)
        except Exception as exc:
            if dequeue_count < self.max_attempts:
                raise
            log_event(
                logger,
                "job_batch_failed",
                logging.ERROR,
                job_id=job.job_id,
                batch=index,
                error=type(exc).__name__,
                attempts=dequeue_count,
            )
            outcome = BatchOutcome(processed=0, failed=int(plan.get("rows", 0)))
            status, error = BatchStatus.FAILED, f"{type(exc).__name__} after {dequeue_count} attempts"
        container = self.storage.container(RESULTS_CONTAINER)
        sizes = results.stage(container, job.tenant_id, job.job_id, index, job_type.result_columns, outcome.rows)
        batches.upsert_entity(
            {
                "PartitionKey": partition,
                "RowKey": batch_row(index),
                "status": status.value,
                "processed": outcome.processed,
                "failed": outcome.failed,
                "rows": len(outcome.rows),
                "state": dumps(outcome.state),
                "error": error,
                "failure": dumps(reason) if reason else "",  # "", not None: a merge keeps what None leaves out
                **sizes,
            },
            mode=UpdateMode.MERGE,
        )

        def count(current: JobRecord) -> list[Event] | None:
            mask = current.done_mask
            if current.status is not JobStatus.RUNNING or index >= len(mask) or mask[index] != "0":
                return None
            current.done_mask = mask[:index] + ("F" if status is BatchStatus.FAILED else "1") + mask[index + 1 :]
            current.batches_done += 1
            current.processed += outcome.processed
            current.failed += outcome.failed
            current.message = f"{current.batches_done} of {current.batches_total} batches done"
            return [Event(MessageType.JOB_PROGRESS)]

        job = self.writer.update(job.tenant_id, job.job_id, count, current=job)
        if job.status is JobStatus.CANCELLING:
            self._finish_cancel(job)
        elif job.all_counted:
            self._finalize(job)

    def _wait(self, job: JobRecord, index: int, entity: Any, waiting: Waiting) -> None:
        """Keep a waiting batch's progress and send its next re-check with a visibility delay.

        The job's message shows what it waits for, and the write refreshes its ``updated_at``,
        so the sweeper leaves a live wait alone and re-drives one whose re-check was lost.
        """
        message = (waiting.message or "Waiting")[:500]

        def change(current: JobRecord) -> list[Event] | None:
            if current.status is not JobStatus.RUNNING:
                return None
            announce = current.message != message
            current.message = message
            return [Event(MessageType.JOB_PROGRESS)] if announce else []

        job = self.writer.update(job.tenant_id, job.job_id, change, current=job)
        if job.status is JobStatus.CANCELLING:
            self._finish_cancel(job)
            return
        if job.status is not JobStatus.RUNNING:
            return
        check = int(entity.get("check") or 0) + 1
        try:
            self.storage.table(BATCHES).update_entity(
                {
                    "PartitionKey": entity["PartitionKey"],
                    "RowKey": entity["RowKey"],
                    "progress": dumps(waiting.progress),
                    "check": check,
                },
                mode=UpdateMode.MERGE,
                etag=entity.metadata["etag"],
                match_condition=MatchConditions.IfNotModified,
            )
        except ResourceModifiedError:
            return  # another delivery of this batch ran meanwhile; its re-check carries the wait on
        delay = max(1, math.ceil(waiting.after))
        work.send(self.storage, work.Work.recheck(job.tenant_id, job.job_id, index, job.trace_id, check), delay)

    def _finalize(self, job: JobRecord) -> None:
        with telemetry.span("job finalize", attributes={"cloudplane.job.id": job.job_id}):
            self._finalize_in_span(job)

    def _finalize_in_span(self, job: JobRecord) -> None:
        job_type, _ = self._job_type(job)
        batches = sorted(
            self.storage.table(BATCHES).query_entities(
                "PartitionKey eq @pk", parameters={"pk": batch_partition(job.tenant_id, job.job_id)}
            ),
            key=lambda b: b["RowKey"],
        )
        states = [json.loads(b["state"]) for b in batches if b.get("status") == BatchStatus.DONE]
        summary = job_type.summarize(states)
        container = self.storage.container(RESULTS_CONTAINER)
        references = results.commit(container, job.tenant_id, job.job_id, job_type.result_columns, batches, summary)
        failed_batches = sum(1 for b in batches if b.get("status") == BatchStatus.FAILED)

        def change(current: JobRecord) -> list[Event] | None:
            if current.status is not JobStatus.RUNNING:
                return None
            current.summary, current.results = dumps(summary), "blob"
            if batches and failed_batches == len(batches):
                reason = batches[0].get("failure") if len(batches) == 1 else None
                error = (
                    json.loads(reason) if reason else failure("ALL_BATCHES_FAILED", "Every batch of the job failed.")
                )
                current.status, current.completed_at, current.error = JobStatus.FAILED, now(), dumps(error)
                current.message = "Failed"
                return [Event(MessageType.JOB_FAILED, {"summary": summary}, references, error=error)]
            failed = failed_batches or current.failed
            current.status = JobStatus.COMPLETED_WITH_ERRORS if failed else JobStatus.COMPLETED
            current.completed_at, current.message = now(), current.status.value.capitalize()
            return [Event(MessageType.JOB_COMPLETED, {"summary": summary}, references)]

        self.writer.update(job.tenant_id, job.job_id, change, current=job)

    def _finish_cancel(self, job: JobRecord) -> None:
        def change(current: JobRecord) -> list[Event] | None:
            if current.status is not JobStatus.CANCELLING:
                return None
            current.status, current.completed_at, current.message = JobStatus.CANCELLED, now(), "Cancelled"
            return [Event(MessageType.JOB_CANCELLED)]

        self.writer.update(job.tenant_id, job.job_id, change)
