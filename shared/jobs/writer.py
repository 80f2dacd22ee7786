"""The step writer: every change of a job is one ETag-conditional transaction, then its outbox.

A step changes the job and names the JobMessages that announce the change. The writer records
both whole in one entity-group transaction on the tenant's partition of table ``jobs``: the
job, a log row per message, an outbox row, the unfinished-jobs index row (``act:``) kept in
step with the status, and the job's end for the statistics. After the commit it publishes
the messages on the events queue and deletes the outbox row; if that fails, the step is still
done and the sweeper republishes from the outbox, so subscribers get every message at least
once and never a message for a change that did not happen.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableTransactionError, UpdateMode

from shared import telemetry
from shared.errors import Conflict
from shared.jobs import stats
from shared.jobs.messages import MessageType, fits_in_queue
from shared.jobs.record import JobRecord
from shared.jobs.results import TABLE_TEXT_LIMIT, blob_reference
from shared.jobs.shards import job_partition
from shared.jobs.store import (
    PAYLOADS_CONTAINER,
    JobStorage,
    active_row,
    dumps,
    event_payload_blob,
    event_row,
    now,
    outbox_row,
    rows_between,
)
from shared.logs import log_event

logger = logging.getLogger("cloudplane.jobs")

ATTEMPTS = 12
Operation = tuple[Any, ...]
"""One operation of an entity-group transaction, as ``TableClient.submit_transaction`` takes it."""
NO_TRACE = "0" * 31 + "1"  # a valid W3C trace id for jobs recorded without one


@dataclass
class Event:
    """A JobMessage to emit with a change: its type and payload, and how it shows the job.

    ``view`` is the job as this message should show it when that differs from the job as
    written (a job run inside its start step announces its start as it was, then its end).
    """

    kind: MessageType
    payload: dict[str, Any] = field(default_factory=dict)
    references: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    view: JobRecord | None = None


Change = Callable[[JobRecord], list[Event] | None]
"""Edits the job in place and returns the messages that announce it; None: nothing to do."""


def active_entity(tenant_id: str, job_id: str, at: datetime) -> dict[str, Any]:
    """The job's row in the unfinished-jobs index (``act:``), kept by the same transactions as its status."""
    partition = job_partition(tenant_id, job_id)
    return {"PartitionKey": partition, "RowKey": active_row(job_id), "job_id": job_id, "indexed_at": at}


def job_message(job: JobRecord, event: Event, sequence: int) -> dict[str, Any]:
    """The JobMessage (shared/jobs/job-message.schema.json) that ``event`` makes of ``job``.

    Stamped with the time of the write that emits it; status and progress are the view's.
    """
    shown = event.view or job
    return {
        "schema_version": "1.0",
        "message_id": str(uuid.uuid4()),
        "message_type": event.kind.value,
        "job_id": job.job_id,
        "tenant_id": job.tenant_id,
        "job_type": job.type,
        "sequence": sequence,
        "trace_id": job.trace_id or NO_TRACE,
        "timestamp": job.updated_at.isoformat().replace("+00:00", "Z"),
        "status": shown.status.value,
        "progress": shown.progress(),
        "payload": event.payload,
        "error": event.error,
        "blob_references": list(event.references),
    }


class StepWriter:
    def __init__(self, storage: JobStorage, load: Callable[[str, str], JobRecord]) -> None:
        self.storage = storage
        self._load = load

    def create(self, job: JobRecord, events: Sequence[Event]) -> bool:
        """Record a new job, its index row and its first messages; False when it already exists."""
        operations, texts = self._event_operations(job, events, 0)
        job.seq = len(events)
        try:
            written = self.storage.jobs_table(job.tenant_id, job.job_id)[0].submit_transaction(
                [
                    ("create", job.to_entity()),
                    ("upsert", active_entity(job.tenant_id, job.job_id, job.created_at)),
                    *operations,
                ]
            )
        except TableTransactionError as error:
            if error.status_code != 409:
                raise
            return False
        job.etag = written[0]["etag"]
        self._publish(job, 0, texts)
        return True

    def update(
        self,
        tenant_id: str,
        job_id: str,
        change: Change,
        current: JobRecord | None = None,
        extra: Sequence[Operation] = (),
    ) -> JobRecord:
        """Apply ``change`` and record it whole in one ETag-conditional transaction, re-reading on a conflict.

        ``current`` is the caller's copy of the job, tried first so that a step which just read
        the job does not read it again; ``extra`` operations ride along in the transaction.
        """
        table, partition = self.storage.jobs_table(tenant_id, job_id)
        index_present = True
        for attempt in range(ATTEMPTS):
            stored = current if attempt == 0 and current is not None and current.etag else self._load(tenant_id, job_id)
            job = stored.copy()
            before = job.status
            events = change(job)
            if events is None:
                return job
            first_sequence = job.seq
            job.seq = first_sequence + len(events)
            job.updated_at = now()
            event_ops, texts = self._event_operations(job, events, first_sequence)
            conditional = {
                "mode": UpdateMode.REPLACE,
                "etag": stored.etag,
                "match_condition": MatchConditions.IfNotModified,
            }
            operations: list[Operation] = [("update", job.to_entity(), conditional), *event_ops, *extra]
            if job.terminal and not before.is_terminal:
                if index_present:
                    operations.append(("delete", {"PartitionKey": partition, "RowKey": active_row(job_id)}))
                operations.append(("upsert", stats.end_entity(job.to_entity())))
            elif before.is_terminal and not job.terminal:
                operations.append(("upsert", active_entity(tenant_id, job_id, job.updated_at)))
            try:
                written = table.submit_transaction(operations)
            except TableTransactionError as error:
                if error.status_code == 404 and index_present:
                    index_present = False  # its act: row is gone (only a hand-edited table does that): finish anyway
                    continue
                if error.status_code in (409, 412):
                    continue  # the job changed since we read it
                raise
            job.etag = written[0]["etag"]
            self._publish(job, first_sequence, texts)
            if job.terminal and not before.is_terminal:
                telemetry.count(
                    "cloudplane.jobs.finished", attributes={"status": job.status.value, "job_type": job.type}
                )
            return job
        raise Conflict("The job is too contended to update right now; retry.", code="JOB_CONTENDED")

    def _event_operations(
        self, job: JobRecord, events: Sequence[Event], first_sequence: int
    ) -> tuple[list[Operation], list[str]]:
        """The log rows of ``events`` (big payloads claim-checked), their outbox row, and their texts."""
        operations: list[Operation] = []
        texts: list[str] = []
        for offset, event in enumerate(events):
            sequence = first_sequence + offset
            message = job_message(job, event, sequence)
            text = dumps(message)
            # The queue takes 64 KiB of base64 and a Table property 64 KiB of UTF-16: claim-check what won't fit.
            if not fits_in_queue(text) or len(text) > TABLE_TEXT_LIMIT:
                name = event_payload_blob(job.tenant_id, job.job_id, sequence)
                body = json.dumps(message["payload"]).encode()
                container = self.storage.container(PAYLOADS_CONTAINER)
                container.upload_blob(name, body, overwrite=True)
                message["payload"] = {}
                message["blob_references"].append(blob_reference(container, name, len(body), "payload"))
                text = dumps(message)
            row = {"PartitionKey": job.partition, "RowKey": event_row(job.job_id, sequence), "message": text}
            operations.append(("upsert", row))
            texts.append(text)
        if events:
            outbox = {
                "PartitionKey": job.partition,
                "RowKey": outbox_row(job.job_id, first_sequence),
                "job_id": job.job_id,
                "first": first_sequence,
                "count": len(events),
                "at": now(),
            }
            operations.append(("upsert", outbox))
        return operations, texts

    def _publish(self, job: JobRecord, first_sequence: int, texts: list[str]) -> None:
        """Announce committed JobMessages in sequence order, then clear their outbox row.

        A failure here does not fail the step (it is committed): the outbox row stays and the
        sweeper sends the messages again.
        """
        if not texts:
            return
        try:
            queue = self.storage.events_queue(job.job_id)
            for text in texts:
                queue.send_message(text)
            table, partition = self.storage.jobs_table(job.tenant_id, job.job_id)
            table.delete_entity(partition, outbox_row(job.job_id, first_sequence))
        except Exception as exc:  # noqa: BLE001 - the sweeper re-sends from the outbox
            log_event(
                logger,
                "job_events_unpublished",
                logging.WARNING,
                job_id=job.job_id,
                first=first_sequence,
                error=type(exc).__name__,
            )

    def republish(self, tenant_id: str, outbox: dict[str, Any]) -> int:
        """Send again the JobMessages an outbox row stands for (the sweeper's repair); returns how many."""
        job_id, first, count = str(outbox["job_id"]), int(outbox["first"]), int(outbox["count"])
        low, high = event_row(job_id, first), event_row(job_id, first + count)
        table, partition = self.storage.jobs_table(tenant_id, job_id)
        rows = rows_between(table, partition, low, high)
        texts = [str(row["message"]) for row in sorted(rows, key=lambda row: row["RowKey"])]
        queue = self.storage.events_queue(job_id)
        for text in texts:
            queue.send_message(text)
        try:
            table.delete_entity(partition, outbox["RowKey"])
        except ResourceNotFoundError:
            pass
        return len(texts)
