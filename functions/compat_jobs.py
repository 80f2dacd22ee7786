"""Seed 002's paths (``/api/jobs...``, ``/api/health``) over the /api/v1 services (docs/compat.md).

Authenticated (API keys or Microsoft identity platform tokens) and rate-limited like every
operation; failures answer in seed 002's ``{"error": {"code", "message", "details"}}`` shape
with its codes (``error_style="evaluation"``).
"""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint, idempotency_key
from shared import deps
from shared.api.http import ApiResponse, Result
from shared.api.pipeline import RequestContext
from shared.api.router import Auth, ErrorStyle
from shared.models.common import Page
from shared.models.compat_jobs import EvaluationJob
from shared.models.jobs import JobCreate, JobListQuery, ResultsQuery
from shared.services.health import Health

bp = func.Blueprint()

TAG = "compat"
STYLE: ErrorStyle = "evaluation"


@endpoint(
    bp,
    "POST",
    "jobs",
    summary="Seed 002: submit a job (POST /api/v1/jobs)",
    tag=TAG,
    rate_class="jobs",
    body=JobCreate,
    response=EvaluationJob,
    status=202,
    responses=((200, "application/json"),),
    errors=(400, 409),
    error_style=STYLE,
)
def seed_submit_job(ctx: RequestContext) -> Result:
    """202 with Location (this path) and Retry-After; Idempotency-Key as in /api/v1. ``data_source`` is a
    dataset's id or file name (a file name two datasets share is a 409 that lists them)."""
    return deps.compat_jobs_service().submit(ctx.caller.tenant_id, ctx.body, ctx.trace.trace_id, idempotency_key(ctx))


@endpoint(
    bp,
    "GET",
    "jobs",
    summary="Seed 002: list jobs, newest first (GET /api/v1/jobs)",
    tag=TAG,
    query=JobListQuery,
    response=Page[EvaluationJob],
    error_style=STYLE,
)
def seed_list_jobs(ctx: RequestContext) -> Page[EvaluationJob]:
    return deps.compat_jobs_service().page(ctx.caller.tenant_id, ctx.query)


@endpoint(
    bp,
    "GET",
    "jobs/{job_id}",
    summary="Seed 002: get a job (GET /api/v1/jobs/{id})",
    tag=TAG,
    response=EvaluationJob,
    errors=(404,),
    error_style=STYLE,
)
def seed_get_job(ctx: RequestContext) -> EvaluationJob:
    return deps.compat_jobs_service().get(ctx.caller.tenant_id, ctx.path["job_id"])


@endpoint(
    bp,
    "DELETE",
    "jobs/{job_id}",
    summary="Seed 002: cancel a job (DELETE /api/v1/jobs/{id})",
    tag=TAG,
    response=EvaluationJob,
    status=202,
    responses=((200, "application/json"),),
    errors=(404, 409),
    error_style=STYLE,
)
def seed_cancel_job(ctx: RequestContext) -> Result:
    """A queued job ends cancelled at once (200); a running one goes cancelling (202); a finished one is 409."""
    return deps.compat_jobs_service().cancel(ctx.caller.tenant_id, ctx.path["job_id"])


@endpoint(
    bp,
    "GET",
    "jobs/{job_id}/results",
    summary="Seed 002: download a finished job's results (GET /api/v1/jobs/{id}/results)",
    tag=TAG,
    query=ResultsQuery,
    responses=((200, "text/csv"), (303, "")),
    errors=(404, 409),
    error_style=STYLE,
)
def seed_get_job_results(ctx: RequestContext) -> ApiResponse:
    """``format=json`` (default) or ``csv``; larger results redirect (303) to a short-lived read-only URL."""
    return deps.compat_jobs_service().results(
        ctx.caller.tenant_id, ctx.path["job_id"], ctx.query.format, ctx.settings.results_inline_max_bytes
    )


@endpoint(
    bp,
    "GET",
    "health",
    summary="Seed 002: liveness (GET /api/v1/health)",
    tag=TAG,
    auth=Auth.NONE,
    response=Health,
    error_style=STYLE,
)
def seed_health(ctx: RequestContext) -> Health:
    return deps.health_service().health()
