"""The jobs API's use cases: submit, read, list, cancel, retry, logs, statistics and results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.api.http import ApiResponse, Result
from shared.errors import Conflict
from shared.jobs import stats
from shared.jobs.engine import Engine
from shared.jobs.queries import stored_configuration
from shared.jobs.record import JobRecord
from shared.models.common import Page, PageQuery
from shared.models.jobs import (
    FINISHED,
    Job,
    JobCreate,
    JobErrorInfo,
    JobLinks,
    JobListQuery,
    JobProgress,
    JobStats,
    JobStatus,
)

RETRY_AFTER_SECONDS = "2"
CONFIGURATION_OMITTED = "$omitted"
"""In a listing, the configuration of a job whose configuration is too big to keep in its row
stands as ``{"$omitted": "<the job's URL>"}``: a listing page reads no blob."""


def _links(job_id: str) -> JobLinks:
    base = f"/api/v1/jobs/{job_id}"
    return JobLinks(self=base, results=f"{base}/results", logs=f"{base}/logs", cancel=base)


def to_job(job: JobRecord, configuration: dict[str, Any]) -> Job:
    error = job.error_value()
    return Job(
        id=job.job_id,
        type=job.type,
        name=job.name,
        description=job.description,
        status=job.status,
        configuration=configuration,
        progress=JobProgress(**job.progress()),
        created_at=job.created_at,
        started_at=job.started_at,
        completed_at=job.completed_at,
        error=JobErrorInfo(**error) if error else None,
        summary=job.summary_value(),
        links=_links(job.job_id),
    )


class JobsService:
    def __init__(self, engine: Engine, blob_sas: Callable[[Any], str]) -> None:
        self._engine = engine
        self._blob_sas = blob_sas

    def _job(self, job: JobRecord) -> Job:
        return to_job(job, self._engine.configuration(job))

    def _accepted(self, job: Job, status: int) -> Result:
        headers = {"Location": job.links.self}
        if not job.status.is_terminal:
            headers["Retry-After"] = RETRY_AFTER_SECONDS
        return Result(body=job, status=status, headers=headers)

    def submit(self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None) -> Result:
        job, created = self._engine.submit(tenant_id, request, trace_id, idempotency_key)
        return self._accepted(self._job(job), 202 if created else 200)

    def get(self, tenant_id: str, job_id: str) -> Job:
        return self._job(self._engine.load(tenant_id, job_id))

    def page(self, tenant_id: str, query: JobListQuery) -> Page[Job]:
        found = self._engine.page(tenant_id, query)
        items = [
            to_job(job, stored_configuration(job) or {CONFIGURATION_OMITTED: _links(job.job_id).self})
            for job in found.items
        ]
        return Page[Job](items=items, next_cursor=found.next_cursor, has_more=found.has_more)

    def cancel(self, tenant_id: str, job_id: str) -> Result:
        job = self._job(self._engine.cancel(tenant_id, job_id))
        return self._accepted(job, 202 if job.status is JobStatus.CANCELLING else 200)

    def retry(self, tenant_id: str, job_id: str, failed_only: bool) -> Result:
        job, count = self._engine.retry(tenant_id, job_id, failed_only)
        result = self._accepted(self._job(job), 202)
        result.headers["X-Batches-Retried"] = str(count)
        return result

    def statistics(self, tenant_id: str, window_hours: int) -> JobStats:
        return stats.summarize(self._engine.storage, tenant_id, window_hours)

    def logs(self, tenant_id: str, job_id: str, query: PageQuery) -> Page[dict[str, Any]]:
        return self._engine.events(tenant_id, job_id, query)

    def results(self, tenant_id: str, job_id: str, fmt: str, inline_max: int) -> ApiResponse:
        """Small results in the body; larger ones by ``303`` to a short-lived read-only SAS URL."""
        job = self._engine.load(tenant_id, job_id)
        if job.status not in FINISHED:
            raise Conflict(
                f"Job {job_id} has no results yet ({job.status.value}).",
                code="JOB_NOT_FINISHED",
                details={"status": job.status.value},
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
        inline = self._engine.inline_results(job, fmt)
        if inline is not None:  # a small job's rows live beside it in Table storage
            return ApiResponse(200, inline, content_type)
        found = self._engine.result_file(job, fmt)
        if found is None:
            empty = b'{"job_id":"%s","rows":[]}' % job_id.encode() if fmt == "json" else b""
            return ApiResponse(200, empty, content_type)
        blob, size = found
        if size <= inline_max:
            return ApiResponse(200, blob.download_blob().readall(), content_type)
        return ApiResponse(303, b"", None, {"Location": self._blob_sas(blob)})


def read_sas_url(blob: Any, user_delegation_key: Callable[[datetime, datetime], Any]) -> str:
    """A read-only SAS URL for ``blob`` valid 15 minutes: signed with the account key when the client
    has one (Azurite, connection strings), else with a user delegation key (managed identity)."""
    from azure.storage.blob import BlobSasPermissions, generate_blob_sas

    expiry = datetime.now(UTC) + timedelta(minutes=15)
    credential = blob.credential
    signing: dict[str, Any]
    if getattr(credential, "account_key", None):
        signing = {"account_key": credential.account_key}
    else:
        signing = {"user_delegation_key": user_delegation_key(datetime.now(UTC) - timedelta(minutes=5), expiry)}
    token = generate_blob_sas(
        blob.account_name,
        blob.container_name,
        blob.blob_name,
        permission=BlobSasPermissions(read=True),
        expiry=expiry,
        **signing,
    )
    return f"{blob.url}?{token}"
