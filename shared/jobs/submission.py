"""Submitting a job: validate its configuration, honour an Idempotency-Key, record it, queue it.

A submission costs four storage round trips when the tenant was marked lately: the key's
claim (with a key), the job's creating transaction (job, index row, ``job_created`` log and
outbox rows), the ``job_created`` message, and the ``start`` work message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode
from pydantic import BaseModel, ValidationError

from shared import telemetry
from shared.errors import BadRequest, Conflict, NotFound, ValidationFailed, validation_details
from shared.jobs import idempotency, registry, work
from shared.jobs.activity import TenantActivity
from shared.jobs.messages import MessageType
from shared.jobs.queries import BLOB_REFERENCE, JobQueries
from shared.jobs.record import JobRecord
from shared.jobs.registry import JobType
from shared.jobs.store import (
    IDEMPOTENCY,
    PAYLOADS_CONTAINER,
    JobStorage,
    configuration_blob,
    created_at_of,
    dumps,
    idempotency_partition,
    idempotency_row,
    new_job_id,
    now,
)
from shared.jobs.writer import ATTEMPTS, Event, StepWriter
from shared.models.jobs import JobCreate, JobStatus

INLINE_CONFIGURATION_BYTES = 30_000  # a Table property holds 64 KiB of UTF-16


def job_type_of(name: str) -> JobType:
    job_type = registry.get(name)
    if job_type is None:
        raise BadRequest(  # the caller's value is never echoed; the known types are ours to list
            "Unknown job type in body.type; see details.known_types.",
            code="UNKNOWN_JOB_TYPE",
            details={"field": "body.type", "known_types": registry.names()},
        )
    return job_type


class Submission:
    def __init__(
        self,
        storage: JobStorage,
        queries: JobQueries,
        writer: StepWriter,
        activity: TenantActivity,
        idempotency_hours: int,
    ) -> None:
        self.storage = storage
        self.queries = queries
        self.writer = writer
        self.activity = activity
        self.idempotency_hours = idempotency_hours

    def submit(
        self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None = None
    ) -> tuple[JobRecord, bool]:
        """Validate and record a job, then queue it. Returns (the job, created now)."""
        job_type = job_type_of(request.type)
        try:
            config = job_type.config_model.model_validate(request.configuration)
        except ValidationError as error:
            raise ValidationFailed(
                "The job configuration is not valid.",
                details=validation_details(error.errors(), ("body", "configuration")),
            ) from None
        if job_type.validate is not None:
            config = job_type.validate(tenant_id, config)

        created = now()
        # The id's clock is created_at's: the created_after/before RowKey range is exact.
        job_id = new_job_id(created, self.storage.layout.partitions)
        if idempotency_key is not None:
            claimed, existing = self._claim_key(tenant_id, idempotency_key, request, config, job_id)
            if existing is not None:
                return existing, False
            if claimed != job_id:  # a first attempt claimed the key, then stopped before recording its job
                job_id, created = claimed, created_at_of(claimed)
        self.activity.note(tenant_id)
        job = JobRecord(
            tenant_id=tenant_id,
            job_id=job_id,
            type=request.type,
            name=request.name,
            description=request.description,
            status=JobStatus.QUEUED,
            configuration=self._store_configuration(tenant_id, job_id, config),
            created_at=created,
            updated_at=created,
            trace_id=trace_id,
            message="Queued",
        )
        if not self.writer.create(job, [Event(MessageType.JOB_CREATED)]):
            return self.queries.load(tenant_id, job_id), False  # a retry with this Idempotency-Key got here first
        work.send(self.storage, work.Work.start(tenant_id, job_id, trace_id))
        telemetry.count("cloudplane.jobs.submitted", attributes={"job_type": request.type})
        return job, True

    def _store_configuration(self, tenant_id: str, job_id: str, config: BaseModel) -> str:
        """Inline when small; otherwise claim-checked to a blob."""
        text = config.model_dump_json()
        if len(text.encode()) <= INLINE_CONFIGURATION_BYTES:
            return text
        name = configuration_blob(tenant_id, job_id)
        self.storage.container(PAYLOADS_CONTAINER).upload_blob(name, text.encode(), overwrite=True)
        return dumps({BLOB_REFERENCE: name})

    def _claim_key(
        self, tenant_id: str, key: str, request: JobCreate, config: BaseModel, job_id: str
    ) -> tuple[str, JobRecord | None]:
        """The job id this key stands for, and the job itself when it was already made.

        Requests are compared by ``idempotency.fingerprint`` (validated, defaults applied), so a
        retry that only spells out a default or reorders keys is the same request.
        """
        partition = idempotency_partition(tenant_id, key, self.storage.layout.partitions)
        table = self.storage.table(IDEMPOTENCY, partition)
        row = idempotency_row(key)
        body_hash = idempotency.fingerprint(request, config)
        record: dict[str, Any] = {
            "PartitionKey": partition,
            "RowKey": row,
            "body_hash": body_hash,
            "fingerprint": 2,
            "job_id": job_id,
            "at": now(),
        }
        for _ in range(ATTEMPTS):
            try:
                table.create_entity(record)
                return job_id, None
            except ResourceExistsError:
                pass
            try:
                existing = table.get_entity(partition, row)
            except ResourceNotFoundError:
                continue
            if self._expired(existing["at"]):
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
                return existing["job_id"], self.queries.load(tenant_id, existing["job_id"])
            except NotFound:
                return existing["job_id"], None  # the first attempt stopped before recording the job
        raise Conflict("The Idempotency-Key is contended; retry.", code="IDEMPOTENCY_CONFLICT")

    def _expired(self, at: datetime) -> bool:
        return (now() - at).total_seconds() > self.idempotency_hours * 3600
