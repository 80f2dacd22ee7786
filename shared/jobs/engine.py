"""The job engine: submission, the queue worker's steps, fan-out and fan-in, cancel, retry.

Delivery is at least once, so every step is idempotent and every status change is an
ETag-conditional write of the job entity:
- ``start`` plans the batches (deterministic), records them, moves queued -> running and
  fans out one ``batch`` message per batch; a redelivered ``start`` re-sends the batches
  not yet counted, and duplicates of those are harmless.
- ``batch`` runs one batch, stages its result rows as blocks of the final result blobs
  (``results``: block ids are the batch index, so a re-run replaces, never appends), then counts the
  batch in the job's ``done`` mask with a conditional write: a batch is counted once
  however often it runs. The write that counts the last batch finalizes the job by
  committing the block lists, so results are assembled without being read back.
- A handler error is retried by the queue; on the last attempt the batch is recorded as
  failed instead, so the job ends ``completed_with_errors`` and ``retry`` can re-run it.
- A job that plans one batch (or none), of a type that says it is quick (``JobType.inline``),
  runs inside its ``start`` step: its result rows go in the job's partition when they fit
  in one entity, and it ends queued -> completed in one transaction. Most jobs are small;
  this is what makes them cheap (see bench/jobs_throughput.py). If the handler raises, the
  job takes the fan-out path instead, with the queue's retries and poison handling.

Every status change is one entity-group transaction on the tenant's partition (see
``store``): the job, the JobMessages it emits, its unfinished-jobs index row and its end
for the statistics. The JobMessages are published on the events queue after it commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import TableTransactionError, UpdateMode
from pydantic import BaseModel, ValidationError

from shared.errors import BadRequest, Conflict, NotFound, ValidationFailed, validation_details
from shared.jobs import idempotency, registry, results, stats, sweeper
from shared.jobs.messages import fits_in_queue
from shared.jobs.registry import BatchOutcome, JobType
from shared.jobs.results import TABLE_TEXT_LIMIT, blob_reference
from shared.jobs.store import (
    BATCHES,
    EVENTS_QUEUE,
    IDEMPOTENCY,
    JOB_ROWS,
    JOBS,
    PAYLOADS_CONTAINER,
    RESULTS_CONTAINER,
    ROW_RANGE,
    WORK_QUEUE,
    JobStorage,
    active_row,
    created_at_of,
    dumps,
    event_row,
    event_rows,
    new_job_id,
    now,
    outbox_row,
    progress_of,
    result_row,
    rows_between,
    time_prefix,
)
from shared.logs import log_event
from shared.models.common import Page
from shared.models.jobs import TERMINAL, JobCreate, JobListQuery
from shared.storage.clients import StorageClients

logger = logging.getLogger("cloudplane.jobs")

MAX_BATCHES = 20_000
_ATTEMPTS = 12
Operation = tuple[Any, ...]  # one operation of an entity-group transaction
_AS_OF = "$as_of"  # an event payload key: job fields as the message should show them (a step done in one go)


class CancelledError(Exception):
    """Raised inside a handler's checkpoint when the job was cancelled."""


@dataclass
class _BatchContext:
    engine: Engine
    tenant_id: str
    job_id: str
    batch_index: int
    trace_id: str
    attempt: int
    round: int

    def cancelled(self) -> bool:
        return self.engine.load(self.tenant_id, self.job_id)["status"] in ("cancelling", "cancelled")

    def log(self, message: str) -> None:
        log_event(
            logger, "job_log", job_id=self.job_id, batch=self.batch_index, trace_id=self.trace_id, message=message
        )


class Engine:
    def __init__(self, clients: StorageClients, *, max_attempts: int = 5, idempotency_hours: int = 24) -> None:
        self.storage = JobStorage(clients)
        self.max_attempts = max_attempts
        self.idempotency_hours = idempotency_hours
        self._tenants_marked: dict[str, float] = {}

    # ---- submission and queries -------------------------------------------------------

    def submit(
        self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None = None
    ) -> tuple[dict[str, Any], bool]:
        """Validate and record a job, then queue it. Returns (job entity, created now)."""
        job_type = registry.get(request.type)
        if job_type is None:
            raise BadRequest(  # the caller's value is never echoed; the known types are ours to list
                "Unknown job type in body.type; see details.known_types.",
                code="UNKNOWN_JOB_TYPE",
                details={"field": "body.type", "known_types": registry.names()},
            )
        try:
            config = job_type.config_model.model_validate(request.configuration)
        except ValidationError as error:
            raise ValidationFailed(
                "The job configuration is not valid.",
                details=validation_details(error.errors(), ("body", "configuration")),
            ) from None
        if job_type.validate is not None:
            job_type.validate(tenant_id, config)

        created = now()
        job_id = new_job_id(created)  # the id's clock is created_at's: the created_after/before RowKey range is exact
        if idempotency_key is not None:
            claimed, existing = self._claim_idempotency_key(tenant_id, idempotency_key, request, config, job_id)
            if existing is not None:
                return existing, False
            if claimed != job_id:  # a first attempt claimed the key, then stopped before recording its job
                job_id, created = claimed, created_at_of(claimed)
        self._note_tenant(tenant_id)
        entity = {
            "PartitionKey": tenant_id,
            "RowKey": job_id,
            "type": request.type,
            "name": request.name,
            "description": request.description,
            "status": "queued",
            "configuration": self._store_configuration(tenant_id, job_id, config),
            "created_at": created,
            "updated_at": created,
            "trace_id": trace_id,
            "processed": 0,
            "failed": 0,
            "total": -1,
            "batches_total": -1,
            "batches_done": 0,
            "done_mask": "",
            "message": "Queued",
            "seq": 1,
        }
        event_ops, texts = self._event_operations(entity, [("job_created", {})], 0)
        try:
            self.storage.table(JOBS).submit_transaction(
                [("create", entity), ("upsert", _active_entity(tenant_id, job_id, created)), *event_ops]
            )
        except TableTransactionError as error:
            if error.status_code != 409:
                raise
            return self.load(tenant_id, job_id), False  # a retried submission with this Idempotency-Key got here first
        self._publish(tenant_id, job_id, 0, texts)
        self._send_work({"kind": "start", "tenant_id": tenant_id, "job_id": job_id, "trace_id": trace_id})
        return entity, True

    def _note_tenant(self, tenant_id: str) -> None:
        """Keep the tenant in the sweeper's list; written at most every few minutes per instance."""
        at = time.monotonic()
        last = self._tenants_marked.get(tenant_id)
        if last is not None and at - last < sweeper.MARK_EVERY_SECONDS:
            return
        sweeper.note_tenant(self.storage, tenant_id)
        self._tenants_marked[tenant_id] = at

    def _store_configuration(self, tenant_id: str, job_id: str, config: BaseModel) -> str:
        """Inline when small; otherwise claim-checked to a blob (a Table property holds 64 KiB)."""
        text = config.model_dump_json()
        if len(text.encode()) <= 30_000:
            return text
        name = f"{tenant_id}/{job_id}/configuration.json"
        self.storage.container(PAYLOADS_CONTAINER).upload_blob(name, text.encode(), overwrite=True)
        return dumps({"$blob": name})

    def configuration(self, entity: dict[str, Any]) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(entity["configuration"])
        if set(value) == {"$blob"}:
            blob = self.storage.container(PAYLOADS_CONTAINER).download_blob(value["$blob"]).readall()
            value = json.loads(blob)
        return value

    def _claim_idempotency_key(
        self, tenant_id: str, key: str, request: JobCreate, config: BaseModel, job_id: str
    ) -> tuple[str, dict[str, Any] | None]:
        """The job id this key stands for, and the job itself when it was already made.

        Requests are compared by ``idempotency.fingerprint`` (validated, defaults applied), so a
        retry that only spells out a default or reorders keys is the same request.
        """
        table = self.storage.table(IDEMPOTENCY)
        row = hashlib.sha256(key.encode()).hexdigest()
        body_hash = idempotency.fingerprint(request, config)
        record = {
            "PartitionKey": tenant_id,
            "RowKey": row,
            "body_hash": body_hash,
            "fingerprint": 2,
            "job_id": job_id,
            "at": now(),
        }
        for _ in range(_ATTEMPTS):
            try:
                table.create_entity(record)
                return job_id, None
            except ResourceExistsError:
                pass
            try:
                existing = table.get_entity(tenant_id, row)
            except ResourceNotFoundError:
                continue
            age = (now() - existing["at"]).total_seconds()
            if age > self.idempotency_hours * 3600:
                try:
                    table.update_entity(
                        record,
                        mode=UpdateMode.REPLACE,
                        etag=existing.metadata["etag"],
                        match_condition=MatchConditions.IfNotModified,
                    )
                    return job_id, None
                except (ResourceModifiedError, ResourceNotFoundError):
                    continue
            same = (
                existing["body_hash"] == body_hash
                if existing.get("fingerprint") == 2
                else existing["body_hash"] == idempotency.legacy_fingerprint(request)
            )
            if not same:
                raise ValidationFailed(
                    "This Idempotency-Key was used with a different request body.",
                    code="IDEMPOTENCY_KEY_REUSED",
                    details={"job_id": existing["job_id"]},
                )
            try:
                return existing["job_id"], self.load(tenant_id, existing["job_id"])
            except NotFound:
                return existing["job_id"], None  # the first attempt stopped before recording the job
        raise Conflict("The Idempotency-Key is contended; retry.", code="IDEMPOTENCY_CONFLICT")

    def load(self, tenant_id: str, job_id: str) -> dict[str, Any]:
        try:
            if not job_id.startswith(JOB_ROWS[0]):  # the partition's other rows (act:, ev:, ...) are not jobs
                raise ResourceNotFoundError("not a job id")
            entity: dict[str, Any] = self.storage.table(JOBS).get_entity(tenant_id, job_id)
            return entity
        except ResourceNotFoundError:
            raise NotFound(f"Job {job_id} not found.", code="JOB_NOT_FOUND", details={"job_id": job_id}) from None

    def page(self, tenant_id: str, query: JobListQuery, convert: Callable[[Any], Any]) -> Page[Any]:
        from shared.storage.pagination import query_page

        # Newer jobs have smaller ids. The RowKey range keeps the bounds' milliseconds (a job id
        # counts whole milliseconds) and created_at decides within them, so the filter is exact and
        # a page still reads one range. JobListQuery refuses bounds before 1970 (no RowKey).
        clauses = ["PartitionKey eq @pk", "RowKey ge @first", "RowKey lt @last"]
        parameters: dict[str, Any] = {"pk": tenant_id, "first": JOB_ROWS[0], "last": JOB_ROWS[1]}
        if query.created_after is not None:
            clauses += ["RowKey lt @after", "created_at gt @after_at"]
            parameters.update(after=f"job_{time_prefix(query.created_after)}~", after_at=query.created_after)
        if query.created_before is not None:
            clauses += ["RowKey ge @before", "created_at lt @before_at"]
            parameters.update(before=f"job_{time_prefix(query.created_before)}", before_at=query.created_before)
        if query.status is not None:
            clauses.append("status eq @status")
            parameters["status"] = query.status
        if query.type is not None:
            clauses.append("type eq @type")
            parameters["type"] = query.type
        return query_page(self.storage.table(JOBS), " and ".join(clauses), parameters, query, convert)

    def events(self, tenant_id: str, job_id: str, query: Any) -> Page[Any]:
        from shared.storage.pagination import query_page

        self.load(tenant_id, job_id)
        low, high = event_rows(job_id)
        return query_page(
            self.storage.table(JOBS),
            ROW_RANGE,
            {"pk": tenant_id, "low": low, "high": high},
            query,
            lambda e: {"sequence": int(e["RowKey"].rsplit(":", 1)[1]), "message": json.loads(e["message"])},
        )

    # ---- cancel and retry ---------------------------------------------------------------

    def cancel(self, tenant_id: str, job_id: str) -> dict[str, Any]:
        def change(job: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if job["status"] in TERMINAL:
                raise Conflict(
                    f"Job {job_id} already ended ({job['status']}).",
                    code="JOB_FINISHED",
                    details={"status": job["status"]},
                )
            if job["status"] == "cancelling":
                return None
            if job["status"] == "queued":
                job.update(status="cancelled", completed_at=now(), message="Cancelled before it started")
                return [("job_cancelled", {})]
            job.update(status="cancelling", message="Cancelling at the next checkpoint")
            return []

        return self._update(tenant_id, job_id, change)

    def retry(self, tenant_id: str, job_id: str, failed_only: bool) -> tuple[dict[str, Any], int]:
        """Re-run the failed batches (or all) of a failed or completed_with_errors job."""
        job = self.load(tenant_id, job_id)
        if job["status"] not in ("failed", "completed_with_errors"):
            raise Conflict(
                f"Only failed or completed_with_errors jobs can be retried; this one is {job['status']}.",
                code="JOB_NOT_RETRYABLE",
                details={"status": job["status"]},
            )
        batches = list(
            self.storage.table(BATCHES).query_entities(
                "PartitionKey eq @pk", parameters={"pk": f"{tenant_id}:{job_id}"}
            )
        )
        chosen = [b for b in batches if not failed_only or b.get("status") == "failed" or b.get("failed", 0) > 0]
        if job["batches_total"] <= 0 or not batches or (not chosen and job["status"] == "failed"):
            # never planned, ran inline (no batch records), or failed as a whole: run it all again
            chosen_indexes: list[int] = []
            restart = True
        else:
            chosen_indexes = [int(b["RowKey"]) for b in chosen]
            restart = False

        def change(current: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if current["status"] not in ("failed", "completed_with_errors"):
                raise Conflict("The job changed state; fetch it again.", code="JOB_STATE_CHANGED")
            if restart:
                current.update(status="queued", batches_total=-1, batches_done=0, done_mask="", processed=0, failed=0)
            else:
                mask = list(current["done_mask"])
                by_index = {int(b["RowKey"]): b for b in chosen}
                for index in chosen_indexes:
                    if mask[index] != "0":
                        mask[index] = "0"
                        current["batches_done"] -= 1
                        current["processed"] -= by_index[index].get("processed", 0)
                        current["failed"] -= by_index[index].get("failed", 0)
                current.update(status="running", done_mask="".join(mask))
            current["retries"] = int(current.get("retries", 0)) + 1
            current.update(completed_at=None, error=None, message=f"Retrying {len(chosen_indexes) or 'all'} batches")
            return [("job_started", {"retry": True, "batches": chosen_indexes})]

        self._note_tenant(tenant_id)
        job = self._update(tenant_id, job_id, change)
        trace_id = job.get("trace_id", "")
        if restart:
            self._send_work({"kind": "start", "tenant_id": tenant_id, "job_id": job_id, "trace_id": trace_id})
        for index in chosen_indexes:
            self._send_work(
                {"kind": "batch", "tenant_id": tenant_id, "job_id": job_id, "batch": index, "trace_id": trace_id}
            )
        return job, len(chosen_indexes)

    # ---- the worker ---------------------------------------------------------------------

    def process(self, message: dict[str, Any], dequeue_count: int = 1) -> None:
        """Run one work message; raising lets the queue retry it."""
        kind = message.get("kind")
        tenant_id, job_id = str(message.get("tenant_id", "")), str(message.get("job_id", ""))
        try:
            job = self.load(tenant_id, job_id)
        except NotFound:
            log_event(logger, "job_message_orphaned", logging.WARNING, job_id=job_id, kind=kind)
            return
        if kind == "start":
            self._start(job)
        elif kind == "batch":
            self._run_batch(job, int(message["batch"]), dequeue_count)
        else:
            log_event(logger, "job_message_unknown", logging.WARNING, job_id=job_id, kind=kind)

    def fail_from_poison(self, message: dict[str, Any]) -> None:
        """A work message exhausted its attempts: its job ends ``failed`` with the reason."""
        tenant_id, job_id = str(message.get("tenant_id", "")), str(message.get("job_id", ""))

        def change(job: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if job["status"] in TERMINAL:
                return None
            error = {
                "code": "JOB_MESSAGE_POISONED",
                "message": f"A '{message.get('kind')}' step failed {self.max_attempts} times and was abandoned.",
                "details": {"batch": message.get("batch")},
            }
            job.update(status="failed", completed_at=now(), error=dumps(error), message="Failed")
            return [("job_failed", {"error": error})]

        try:
            self._update(tenant_id, job_id, change)
        except NotFound:
            log_event(logger, "job_poison_orphaned", logging.WARNING, job_id=job_id)

    def _job_type(self, job: dict[str, Any]) -> tuple[JobType, BaseModel]:
        job_type = registry.get(job["type"])
        if job_type is None:
            raise RuntimeError(f"job type {job['type']!r} is not registered in this app")
        return job_type, job_type.config_model.model_validate(self.configuration(job))

    def _start(self, job: dict[str, Any]) -> None:
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        if job["status"] in TERMINAL or job["status"] == "cancelling":
            if job["status"] == "cancelling":
                self._finish_cancel(tenant_id, job_id)
            return
        job_type, config = self._job_type(job)
        if job["batches_total"] < 0:
            plans = job_type.plan(tenant_id, config)
            if len(plans) <= 1 and job_type.inline is not None and job_type.inline(config):
                if self._run_inline(job, job_type, config, plans[0] if plans else None):
                    return
            if len(plans) > MAX_BATCHES:
                raise RuntimeError(f"{len(plans)} batches is over the limit of {MAX_BATCHES}")
            table = self.storage.table(BATCHES)
            for index, plan in enumerate(plans):
                table.upsert_entity(
                    {
                        "PartitionKey": f"{tenant_id}:{job_id}",
                        "RowKey": f"{index:06d}",
                        "plan": dumps(plan),
                        "status": "pending",
                    },
                    mode=UpdateMode.MERGE,
                )
            total_rows = sum(int(p.get("rows", 0)) for p in plans)

            def change(current: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
                if current["status"] != "queued":
                    return None
                current.update(
                    status="running",
                    started_at=now(),
                    batches_total=len(plans),
                    done_mask="0" * len(plans),
                    total=total_rows or -1,
                    message="Running",
                )
                return [("job_started", {"batches": len(plans)})]

            job = self._update(tenant_id, job_id, change, current=job)
        if job["status"] != "running":
            return
        if job["batches_total"] == 0:
            self._finalize(job)
            return
        for index, flag in enumerate(job["done_mask"]):
            if flag == "0":
                self._send_work(
                    {
                        "kind": "batch",
                        "tenant_id": tenant_id,
                        "job_id": job_id,
                        "batch": index,
                        "trace_id": job.get("trace_id", ""),
                    }
                )

    def _run_inline(
        self, job: dict[str, Any], job_type: JobType, config: BaseModel, plan: dict[str, Any] | None
    ) -> bool:
        """Run a job of one batch (or none) inside its start step; False sends it down the fan-out path instead."""
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        started = now()
        context = _BatchContext(self, tenant_id, job_id, 0, job.get("trace_id", ""), 1, int(job.get("retries", 0)))
        try:
            outcome = BatchOutcome(0, 0) if plan is None else job_type.run_batch(context, config, plan)
        except CancelledError:
            return True  # a queued job's cancel already ended it
        except Exception as exc:  # noqa: BLE001 - the fan-out path retries it with the queue's attempts
            log_event(logger, "job_inline_failed", logging.WARNING, job_id=job_id, error=type(exc).__name__)
            return False
        summary = job_type.summarize([] if plan is None else [outcome.state])
        rows_text = results.json_rows(outcome.rows)
        extra: list[Operation] = []
        references: list[dict[str, Any]] = []
        if len(rows_text) <= TABLE_TEXT_LIMIT:
            extra.append(("upsert", {"PartitionKey": tenant_id, "RowKey": result_row(job_id), "rows": rows_text}))
            kept = "inline"
        else:
            container = self.storage.container(RESULTS_CONTAINER)
            sizes = results.stage(container, tenant_id, job_id, 0, job_type.result_columns, outcome.rows)
            record = {"RowKey": f"{0:06d}", "rows": len(outcome.rows), **sizes}
            references = results.commit(container, tenant_id, job_id, job_type.result_columns, [record], summary)
            kept = "blob"

        def change(current: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if current["status"] != "queued" or current["batches_total"] >= 0:
                return None  # cancelled meanwhile, or another delivery of this step got there first
            status = "completed_with_errors" if outcome.failed else "completed"
            batches = 0 if plan is None else 1
            current.update(
                status=status,
                started_at=started,
                completed_at=now(),
                batches_total=batches,
                batches_done=batches,
                done_mask="1" * batches,
                processed=outcome.processed,
                failed=outcome.failed,
                total=int((plan or {}).get("rows", 0)) or -1,
                summary=dumps(summary),
                results=kept,
                message=status.capitalize(),
            )
            completed = {"summary": summary, "blob_references": references}
            # Announce the start as it happened (running, nothing done yet), then the end.
            as_started = {"status": "running", "batches_done": 0, "processed": 0, "failed": 0, "message": "Running"}
            return [("job_started", {"batches": batches, _AS_OF: as_started}), ("job_completed", completed)]

        self._update(tenant_id, job_id, change, current=job, extra=extra)
        return True

    def inline_results(self, job: dict[str, Any], fmt: str) -> bytes | None:
        """A small job's results, as the result blobs would hold them; None when they are in Blob."""
        if job.get("results") != "inline":
            return None
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        try:
            rows_text = str(self.storage.table(JOBS).get_entity(tenant_id, result_row(job_id))["rows"])
        except ResourceNotFoundError:
            rows_text = "[]"
        summary = json.loads(job["summary"]) if job.get("summary") else None
        job_type = registry.get(job["type"])  # only its columns: no need to read and validate the configuration
        columns = job_type.result_columns if job_type is not None else ()
        return results.small_file(job_id, summary, columns, rows_text, fmt)

    def _run_batch(self, job: dict[str, Any], index: int, dequeue_count: int) -> None:
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        if job["status"] == "cancelling":
            self._finish_cancel(tenant_id, job_id)
            return
        if job["status"] == "running" and job["batches_done"] == job["batches_total"]:
            self._finalize(job)  # a step counted the last batch, then stopped before finalizing
            return
        if job["status"] != "running" or index >= len(job["done_mask"]) or job["done_mask"][index] != "0":
            return  # finished, cancelled, or this batch was already counted: a duplicate delivery
        job_type, config = self._job_type(job)
        batches = self.storage.table(BATCHES)
        batch = batches.get_entity(f"{tenant_id}:{job_id}", f"{index:06d}")
        context = _BatchContext(
            self, tenant_id, job_id, index, job.get("trace_id", ""), dequeue_count, int(job.get("retries", 0))
        )
        try:
            outcome = job_type.run_batch(context, config, json.loads(batch["plan"]))
            status, error = "done", None
        except CancelledError:
            self._finish_cancel(tenant_id, job_id)
            return
        except Exception as exc:
            if dequeue_count < self.max_attempts:
                raise
            log_event(
                logger,
                "job_batch_failed",
                logging.ERROR,
                job_id=job_id,
                batch=index,
                error=type(exc).__name__,
                attempts=dequeue_count,
            )
            rows = int(json.loads(batch["plan"]).get("rows", 0))
            outcome = BatchOutcome(processed=0, failed=rows)
            status, error = "failed", f"{type(exc).__name__} after {dequeue_count} attempts"
        sizes = results.stage(
            self.storage.container(RESULTS_CONTAINER), tenant_id, job_id, index, job_type.result_columns, outcome.rows
        )
        batches.upsert_entity(
            {
                "PartitionKey": f"{tenant_id}:{job_id}",
                "RowKey": f"{index:06d}",
                "status": status,
                "processed": outcome.processed,
                "failed": outcome.failed,
                "rows": len(outcome.rows),
                "state": dumps(outcome.state),
                "error": error,
                **sizes,
            },
            mode=UpdateMode.MERGE,
        )

        def count(current: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            mask = current["done_mask"]
            if current["status"] != "running" or index >= len(mask) or mask[index] != "0":
                return None
            current["done_mask"] = mask[:index] + ("F" if status == "failed" else "1") + mask[index + 1 :]
            current["batches_done"] += 1
            current["processed"] += outcome.processed
            current["failed"] += outcome.failed
            current["message"] = f"{current['batches_done']} of {current['batches_total']} batches done"
            return [("job_progress", {})]

        job = self._update(tenant_id, job_id, count, current=job)
        if job["status"] == "cancelling":
            self._finish_cancel(tenant_id, job_id)
        elif job["status"] == "running" and job["batches_done"] == job["batches_total"]:
            self._finalize(job)

    def _finalize(self, job: dict[str, Any]) -> None:
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        job_type, _ = self._job_type(job)
        batches = sorted(
            self.storage.table(BATCHES).query_entities(
                "PartitionKey eq @pk", parameters={"pk": f"{tenant_id}:{job_id}"}
            ),
            key=lambda b: b["RowKey"],
        )
        states = [json.loads(b["state"]) for b in batches if b.get("status") == "done"]
        summary = job_type.summarize(states)
        references = results.commit(
            self.storage.container(RESULTS_CONTAINER), tenant_id, job_id, job_type.result_columns, batches, summary
        )
        failed_batches = sum(1 for b in batches if b.get("status") == "failed")

        def change(current: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if current["status"] != "running":
                return None
            if batches and failed_batches == len(batches):
                status = "failed"
                error = {"code": "ALL_BATCHES_FAILED", "message": "Every batch of the job failed.", "details": {}}
                current["error"] = dumps(error)
            elif failed_batches or current["failed"]:
                status = "completed_with_errors"
            else:
                status = "completed"
            current.update(
                status=status, completed_at=now(), summary=dumps(summary), results="blob", message=status.capitalize()
            )
            kind = "job_failed" if status == "failed" else "job_completed"
            payload: dict[str, Any] = {"summary": summary, "blob_references": references}
            if status == "failed":
                payload["error"] = json.loads(current["error"])
            return [(kind, payload)]

        self._update(tenant_id, job_id, change, current=job)

    def _finish_cancel(self, tenant_id: str, job_id: str) -> None:
        def change(job: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
            if job["status"] != "cancelling":
                return None
            job.update(status="cancelled", completed_at=now(), message="Cancelled")
            return [("job_cancelled", {})]

        self._update(tenant_id, job_id, change)

    # ---- writes and events -------------------------------------------------------------

    def _update(
        self,
        tenant_id: str,
        job_id: str,
        change: Callable[[dict[str, Any]], list[tuple[str, dict[str, Any]]] | None],
        current: dict[str, Any] | None = None,
        extra: list[Operation] | None = None,
    ) -> dict[str, Any]:
        """Apply ``change`` and record it whole in one ETag-conditional transaction, re-reading on a conflict.

        ``change`` edits the job and returns the JobMessages to emit (None: nothing to do).
        The transaction also writes those messages to the job's log, keeps the unfinished-jobs
        index (``act:`` row) in step with the status, and records a job's end for the stats;
        ``extra`` operations ride along. ``current`` is the caller's copy of the job, tried
        first so that a step which just read the job does not read it again.
        """
        table = self.storage.table(JOBS)
        index_present = True
        for attempt in range(_ATTEMPTS):
            stored: Any = current if attempt == 0 and current is not None and _etag_of(current) else None
            if stored is None:
                stored = self.load(tenant_id, job_id)
            etag = _etag_of(stored)
            job = dict(stored)
            before = job["status"]
            events = change(job)
            if events is None:
                return _with_etag(job, etag)
            first_sequence = int(job.get("seq", 0))
            job["seq"] = first_sequence + len(events)
            job["updated_at"] = now()
            event_ops, texts = self._event_operations(job, events, first_sequence)
            conditional = {"mode": UpdateMode.REPLACE, "etag": etag, "match_condition": MatchConditions.IfNotModified}
            operations: list[Operation] = [
                ("update", job, conditional),
                *event_ops,
                *(extra or []),
            ]
            if job["status"] in TERMINAL and before not in TERMINAL:
                if index_present:
                    operations.append(("delete", {"PartitionKey": tenant_id, "RowKey": active_row(job_id)}))
                operations.append(("upsert", stats.end_entity(job)))
            elif before in TERMINAL and job["status"] not in TERMINAL:
                operations.append(("upsert", _active_entity(tenant_id, job_id, job["updated_at"])))
            try:
                written = table.submit_transaction(operations)
            except TableTransactionError as error:
                if error.status_code == 404 and index_present:
                    index_present = False  # its act: row is gone (only a hand-edited table does that): finish anyway
                    continue
                if error.status_code in (409, 412):
                    continue  # the job changed since we read it
                raise
            self._publish(tenant_id, job_id, first_sequence, texts)
            return _with_etag(job, written[0]["etag"])
        raise Conflict("The job is too contended to update right now; retry.", code="JOB_CONTENDED")

    def _event_operations(
        self, job: dict[str, Any], events: list[tuple[str, dict[str, Any]]], first_sequence: int
    ) -> tuple[list[Operation], list[str]]:
        """The log rows of ``events`` (big payloads claim-checked), their outbox row, and their texts.

        The outbox row says these messages are committed but not yet known to be on the events
        queue; ``_publish`` deletes it once they are, and the sweeper re-sends what it finds left.
        """
        tenant_id, job_id = job["PartitionKey"], job["RowKey"]
        operations: list[Operation] = []
        texts: list[str] = []
        for offset, (kind, payload) in enumerate(events):
            sequence = first_sequence + offset
            payload = dict(payload)
            references = payload.pop("blob_references", [])
            message = job_message({**job, **payload.pop(_AS_OF, {})}, kind, sequence, payload)
            message["blob_references"] = references
            text = dumps(message)
            # The queue takes 64 KiB of base64 and a Table property 64 KiB of UTF-16: claim-check what won't fit.
            if not fits_in_queue(text) or len(text) > TABLE_TEXT_LIMIT:
                name = f"{tenant_id}/{job_id}/events/{sequence:08d}.json"
                body = json.dumps(message["payload"]).encode()
                container = self.storage.container(PAYLOADS_CONTAINER)
                container.upload_blob(name, body, overwrite=True)
                message["payload"] = {}
                message["blob_references"] = [*references, blob_reference(container, name, len(body), "payload")]
                text = dumps(message)
            operations.append(
                ("upsert", {"PartitionKey": tenant_id, "RowKey": event_row(job_id, sequence), "message": text})
            )
            texts.append(text)
        if events:
            outbox = {
                "PartitionKey": tenant_id,
                "RowKey": outbox_row(job_id, first_sequence),
                "job_id": job_id,
                "first": first_sequence,
                "count": len(events),
                "at": now(),
            }
            operations.append(("upsert", outbox))
        return operations, texts

    def _publish(self, tenant_id: str, job_id: str, first_sequence: int, texts: list[str]) -> None:
        """Announce committed JobMessages on the events queue, in sequence order, then clear their outbox row.

        A failure here does not fail the step (it is committed): the outbox row stays and the
        sweeper sends the messages again, so subscribers get every message at least once.
        """
        if not texts:
            return
        try:
            queue = self.storage.queue(EVENTS_QUEUE)
            for text in texts:
                queue.send_message(text)
            self.storage.table(JOBS).delete_entity(tenant_id, outbox_row(job_id, first_sequence))
        except Exception as exc:  # noqa: BLE001 - the sweeper re-sends from the outbox
            log_event(
                logger,
                "job_events_unpublished",
                logging.WARNING,
                job_id=job_id,
                first=first_sequence,
                error=type(exc).__name__,
            )

    def republish(self, tenant_id: str, outbox: dict[str, Any]) -> int:
        """Send again the JobMessages an outbox row stands for (the sweeper's repair); returns how many."""
        job_id, first, count = str(outbox["job_id"]), int(outbox["first"]), int(outbox["count"])
        low, high = event_row(job_id, first), event_row(job_id, first + count)
        rows = rows_between(self.storage.table(JOBS), tenant_id, low, high)
        texts = [str(row["message"]) for row in sorted(rows, key=lambda row: row["RowKey"])]
        queue = self.storage.queue(EVENTS_QUEUE)
        for text in texts:
            queue.send_message(text)
        try:
            self.storage.table(JOBS).delete_entity(tenant_id, outbox["RowKey"])
        except ResourceNotFoundError:
            pass
        return len(texts)

    def _send_work(self, message: dict[str, Any]) -> None:
        self.storage.queue(WORK_QUEUE).send_message(dumps(message))


class _Versioned(dict[str, Any]):
    """A job as last read or written, with the ETag the next conditional write needs."""

    etag: str | None = None


def _with_etag(job: dict[str, Any], etag: str | None) -> dict[str, Any]:
    versioned = _Versioned(job)
    versioned.etag = etag
    return versioned


def _etag_of(job: Any) -> str | None:
    metadata = getattr(job, "metadata", None)
    if metadata:
        return str(metadata["etag"])
    return getattr(job, "etag", None)


def _active_entity(tenant_id: str, job_id: str, at: datetime) -> dict[str, Any]:
    """The job's row in the unfinished-jobs index (``act:``), kept by the same transactions as its status."""
    return {"PartitionKey": tenant_id, "RowKey": active_row(job_id), "job_id": job_id, "indexed_at": at}


def job_message(job: dict[str, Any], kind: str, sequence: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The JobMessage (shared/jobs/job-message.schema.json) for one step of ``job``."""
    error = payload.pop("error", None) if kind == "job_failed" else None
    timestamp: datetime = job.get("updated_at") or now()
    return {
        "schema_version": "1.0",
        "message_id": str(uuid.uuid4()),
        "message_type": kind,
        "job_id": job["RowKey"],
        "tenant_id": job["PartitionKey"],
        "job_type": job["type"],
        "sequence": sequence,
        "trace_id": job.get("trace_id") or "0" * 31 + "1",
        "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
        "status": job["status"],
        "progress": progress_of(job),
        "payload": payload,
        "error": error,
        "blob_references": [],
    }
