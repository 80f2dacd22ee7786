"""Seed 002's job API over the /api/v1 jobs service: no second implementation.

Each function calls the same use case as its /api/v1 operation and reshapes the answer: the job
gains ``tenant_id`` and its links (and ``Location``) name the seed's paths. docs/compat.md has the
mapping.
"""

from __future__ import annotations

from shared.api.http import ApiResponse, Result
from shared.models.common import Page
from shared.models.compat_jobs import EvaluationJob
from shared.models.jobs import Job, JobCreate, JobLinks, JobListQuery
from shared.services.jobs import JobsService

SEED_JOBS = "/api/jobs"
V1_JOBS = "/api/v1/jobs"


def evaluation_job(job: Job, tenant_id: str) -> EvaluationJob:
    """The job with ``tenant_id`` and the seed's links; ``logs`` stays /api/v1's (the seed has no such path)."""
    base = f"{SEED_JOBS}/{job.id}"
    links = JobLinks(self=base, results=f"{base}/results", logs=f"{V1_JOBS}/{job.id}/logs", cancel=base)
    return EvaluationJob(**{**dict(job), "links": links, "tenant_id": tenant_id})


def _reshaped(result: Result, tenant_id: str) -> Result:
    job = evaluation_job(result.body, tenant_id)
    headers = dict(result.headers)
    if "Location" in headers:
        headers["Location"] = job.links.self
    return Result(body=job, status=result.status, headers=headers)


class CompatJobsService:
    """Seed 002's job use cases: each one the /api/v1 use case, reshaped."""

    def __init__(self, jobs: JobsService) -> None:
        self._jobs = jobs

    def submit(self, tenant_id: str, request: JobCreate, trace_id: str, idempotency_key: str | None) -> Result:
        return _reshaped(self._jobs.submit(tenant_id, request, trace_id, idempotency_key), tenant_id)

    def get(self, tenant_id: str, job_id: str) -> EvaluationJob:
        return evaluation_job(self._jobs.get(tenant_id, job_id), tenant_id)

    def page(self, tenant_id: str, query: JobListQuery) -> Page[EvaluationJob]:
        found = self._jobs.page(tenant_id, query)
        return Page[EvaluationJob](
            items=[evaluation_job(job, tenant_id) for job in found.items],
            next_cursor=found.next_cursor,
            has_more=found.has_more,
        )

    def cancel(self, tenant_id: str, job_id: str) -> Result:
        return _reshaped(self._jobs.cancel(tenant_id, job_id), tenant_id)

    def results(self, tenant_id: str, job_id: str, fmt: str, inline_max: int) -> ApiResponse:
        """The same bytes (or ``303`` to the same short-lived URL) as /api/v1's results."""
        return self._jobs.results(tenant_id, job_id, fmt, inline_max)
