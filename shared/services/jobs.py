"""The jobs API's use cases: submit, read, list, cancel, retry, logs and results."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from shared import deps
from shared.api.http import ApiResponse, Result
from shared.errors import Conflict
from shared.jobs import stats
from shared.jobs.store import RESULTS_CONTAINER, progress_of
from shared.models.common import Page, PageQuery
from shared.models.jobs import TERMINAL, Job, JobCreate, JobErrorInfo, JobLinks, JobListQuery, JobProgress, JobStats

RETRY_AFTER_SECONDS = "2"


def to_job(entity: Any) -> Job:
    job_id = entity["RowKey"]
    base = f"/api/v1/jobs/{job_id}"
    error = entity.get("error")
    summary = entity.get("summary")
    return Job(
        id=job_id,
        type=entity["type"],
        name=entity["name"],
        description=entity.get("description"),
        status=entity["status"],
        configuration=deps.jobs().configuration(entity),
        progress=JobProgress(**progress_of(entity)),
        created_at=entity["created_at"],
        started_at=entity.get("started_at"),
        completed_at=entity.get("completed_at"),
        error=JobErrorInfo(**json.loads(error)) if error else None,
        summary=json.loads(summary) if summary else None,
        links=JobLinks(self=base, results=f"{base}/results", logs=f"{base}/logs", cancel=base),
    )


def _accepted(job: Job, status: int) -> Result:
    headers = {"Location": job.links.self}
    if job.status not in TERMINAL:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    return Result(body=job, status=status, headers=headers)


def submit(tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None) -> Result:
    entity, created = deps.jobs().submit(tenant_id, request, trace_id, idempotency_key)
    return _accepted(to_job(entity), 202 if created else 200)


def get(tenant_id: str, job_id: str) -> Job:
    return to_job(deps.jobs().load(tenant_id, job_id))


def page(tenant_id: str, query: JobListQuery) -> Page[Job]:
    return deps.jobs().page(tenant_id, query, to_job)


def cancel(tenant_id: str, job_id: str) -> Result:
    job = to_job(deps.jobs().cancel(tenant_id, job_id))
    return _accepted(job, 202 if job.status == "cancelling" else 200)


def retry(tenant_id: str, job_id: str, failed_only: bool) -> Result:
    entity, count = deps.jobs().retry(tenant_id, job_id, failed_only)
    result = _accepted(to_job(entity), 202)
    result.headers["X-Batches-Retried"] = str(count)
    return result


def statistics(tenant_id: str, window_hours: int) -> JobStats:
    return stats.summarize(deps.jobs().storage, tenant_id, window_hours)


def logs(tenant_id: str, job_id: str, query: PageQuery) -> Page[Any]:
    return deps.jobs().events(tenant_id, job_id, query)


def results(tenant_id: str, job_id: str, fmt: str, inline_max: int) -> ApiResponse:
    """Small results in the body; larger ones by ``303`` to a short-lived read-only SAS URL."""
    entity = deps.jobs().load(tenant_id, job_id)
    if entity["status"] not in ("completed", "completed_with_errors", "failed"):
        raise Conflict(
            f"Job {job_id} has no results yet ({entity['status']}).",
            code="JOB_NOT_FINISHED",
            details={"status": entity["status"]},
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    inline = deps.jobs().inline_results(entity, fmt)
    if inline is not None:  # a small job's rows live beside it in Table storage
        return ApiResponse(200, inline, content_type)
    container = deps.jobs().storage.container(RESULTS_CONTAINER)
    blob = container.get_blob_client(f"{tenant_id}/{job_id}/results.{fmt}")
    try:
        size = blob.get_blob_properties().size
    except Exception as error:
        if type(error).__name__ != "ResourceNotFoundError":
            raise
        empty = b'{"job_id":"%s","rows":[]}' % job_id.encode() if fmt == "json" else b""
        return ApiResponse(200, empty, content_type)
    if size <= inline_max:
        return ApiResponse(200, blob.download_blob().readall(), content_type)
    return ApiResponse(303, b"", None, {"Location": _read_sas_url(blob)})


def _read_sas_url(blob: Any) -> str:
    from azure.storage.blob import BlobSasPermissions, generate_blob_sas

    expiry = datetime.now(UTC) + timedelta(minutes=15)
    credential = blob.credential
    if getattr(credential, "account_key", None):
        token = generate_blob_sas(
            blob.account_name,
            blob.container_name,
            blob.blob_name,
            account_key=credential.account_key,
            permission=BlobSasPermissions(read=True),
            expiry=expiry,
        )
    else:
        service = deps.storage().blobs
        key = service.get_user_delegation_key(datetime.now(UTC) - timedelta(minutes=5), expiry)
        token = generate_blob_sas(
            blob.account_name,
            blob.container_name,
            blob.blob_name,
            user_delegation_key=key,
            permission=BlobSasPermissions(read=True),
            expiry=expiry,
        )
    return f"{blob.url}?{token}"
