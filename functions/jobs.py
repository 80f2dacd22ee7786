"""The jobs API (tenant keys) and the queue triggers that run jobs."""

from __future__ import annotations

import json
import logging

import azure.functions as func

from functions._http import endpoint, idempotency_key
from shared import deps
from shared.api.http import ApiResponse, Result
from shared.api.pipeline import RequestContext
from shared.config import job_account_connection, job_account_count, work_queue_count
from shared.jobs.shards import MAX_WORK_QUEUES, WORK_QUEUE, queue_name, trigger_account
from shared.logs import log_event
from shared.models.common import Page, PageQuery
from shared.models.jobs import (
    Job,
    JobCreate,
    JobEvent,
    JobListQuery,
    JobStats,
    ResultsQuery,
    RetryRequest,
    StatsQuery,
)

bp = func.Blueprint()
logger = logging.getLogger("cloudplane.jobs")


@endpoint(
    bp,
    "POST",
    "v1/jobs",
    summary="Submit a job",
    tag="jobs",
    rate_class="jobs",
    body=JobCreate,
    response=Job,
    status=202,
    responses=((200, "application/json"),),
    errors=(400,),
)
def submit_job(ctx: RequestContext) -> Result:
    """202 with Location and Retry-After. Honours Idempotency-Key for 24 hours: the same key and body
    return the first job (200), the same key with another body is 422."""
    return deps.jobs_service().submit(ctx.caller.tenant_id, ctx.body, ctx.trace.trace_id, idempotency_key(ctx))


@endpoint(bp, "GET", "v1/jobs", summary="List jobs, newest first", tag="jobs", query=JobListQuery, response=Page[Job])
def list_jobs(ctx: RequestContext) -> Page[Job]:
    return deps.jobs_service().page(ctx.caller.tenant_id, ctx.query)


@endpoint(bp, "GET", "v1/jobs/{job_id}", summary="Get a job", tag="jobs", response=Job, errors=(404,))
def get_job(ctx: RequestContext) -> Job:
    return deps.jobs_service().get(ctx.caller.tenant_id, ctx.path["job_id"])


@endpoint(
    bp,
    "DELETE",
    "v1/jobs/{job_id}",
    summary="Cancel a job",
    tag="jobs",
    response=Job,
    status=202,
    responses=((200, "application/json"),),
    errors=(404, 409),
)
def cancel_job(ctx: RequestContext) -> Result:
    """A queued job ends cancelled at once (200); a running one goes cancelling (202) and stops at its
    next checkpoint; a finished one is 409."""
    return deps.jobs_service().cancel(ctx.caller.tenant_id, ctx.path["job_id"])


@endpoint(
    bp,
    "POST",
    "v1/jobs/{job_id}/retry",
    summary="Retry a job's failed batches",
    tag="jobs",
    rate_class="jobs",
    body=RetryRequest,
    body_required=False,
    response=Job,
    status=202,
    errors=(404, 409),
)
def retry_job(ctx: RequestContext) -> Result:
    """The body is optional: without one, only the failed batches run again."""
    return deps.jobs_service().retry(ctx.caller.tenant_id, ctx.path["job_id"], ctx.body.failed_only)


@endpoint(
    bp,
    "GET",
    "v1/jobs/{job_id}/logs",
    summary="The job's events (JobMessages) in order",
    tag="jobs",
    query=PageQuery,
    response=Page[JobEvent],
    errors=(404,),
)
def get_job_logs(ctx: RequestContext) -> Page[JobEvent]:
    return deps.jobs_service().logs(ctx.caller.tenant_id, ctx.path["job_id"], ctx.query)


@endpoint(
    bp,
    "GET",
    "v1/jobs/{job_id}/results",
    summary="Download a finished job's results (json or csv)",
    tag="jobs",
    query=ResultsQuery,
    responses=((200, "text/csv"), (303, "")),
    errors=(404, 409),
)
def get_job_results(ctx: RequestContext) -> ApiResponse:
    """Inline up to CLOUDPLANE_RESULTS_INLINE_MAX_BYTES; larger results redirect (303) to a
    short-lived read-only SAS URL, so they are never loaded whole into memory."""
    return deps.jobs_service().results(
        ctx.caller.tenant_id, ctx.path["job_id"], ctx.query.format, ctx.settings.results_inline_max_bytes
    )


@endpoint(
    bp, "GET", "v1/stats", summary="Job statistics over a window", tag="jobs", query=StatsQuery, response=JobStats
)
def get_job_stats(ctx: RequestContext) -> JobStats:
    """Counts by status and type, success rate and run-time percentiles over the last ``window_hours``
    (1 to 720, default 24), from hourly aggregates. success_rate = completed / (completed +
    completed_with_errors + failed); cancelled jobs are not counted as finished. Terminal counts go by
    the hour a job ended (the window's first hour is counted whole); queued, running and cancelling
    counts are jobs created in the window that are still in that state."""
    return deps.jobs_service().statistics(ctx.caller.tenant_id, ctx.query.window_hours)


# ---- the queue triggers
#
# Azure Functions learns a function's triggers when it indexes the app, not per message, so a
# queue is consumed only if a trigger on it is declared. The work queues are a family (``jobs``,
# ``jobs-1`` .. ``jobs-39``, shared/jobs/shards.py). With CLOUDPLANE_WORK_QUEUES at 1 (the
# default) only ``jobs`` has a trigger, exactly as before sharding: a small deployment, the local
# host and the benchmarks poll two queues, not eighty. Set above 1, a trigger is declared on
# every one of the 40, whatever the setting says, and the setting only chooses how many the
# engine *sends* to:
# - changing it (8 to 3, say) never strands work: a queue taken out of use keeps its consumer,
#   so what it holds runs (any message may sit on any queue: a step finds its job by id);
# - the set of functions stays the same while it changes, so the names the platform keeps
#   (always-ready instances, the scale controller's per-function state) do not depend on it;
# - an idle trigger costs a poll that backs off to host.json maxPollingInterval and no instance:
#   Flex Consumption scales each queue-triggered function on its own queue's length.
# Going back to 1 drops the other triggers; what their queues still hold is not lost, since
# the sweeper re-sends a stale job's work to its queue of the moment (shared/jobs/sweeper.py).
# 40 carry 20,000 jobs/s with the busiest queue near 60% of its 2,000 messages/s, room for the
# random peaks of a second (32 would be at 70% on average, over it at a peak; docs/capacity.md).
# Each queue's trigger connects to the account that holds it (queue i in account i mod
# CLOUDPLANE_JOB_ACCOUNTS), read here when the host indexes the app; changing either setting
# restarts the app, so triggers and senders agree.


def _run_step(msg: func.QueueMessage) -> None:
    deps.jobs().process(json.loads(msg.get_body()), msg.dequeue_count or 1)


def _fail_poisoned(msg: func.QueueMessage) -> None:
    try:
        message = json.loads(msg.get_body())
    except ValueError:
        log_event(logger, "poison_message_unreadable", logging.ERROR, id=msg.id)
        return
    deps.jobs().fail_from_poison(message)


@bp.function_name("run_job_step")
@bp.queue_trigger(arg_name="msg", queue_name=WORK_QUEUE, connection="AzureWebJobsStorage")
def run_job_step(msg: func.QueueMessage) -> None:
    """One step of a job; an exception makes the host retry it, then move it to jobs-poison."""
    _run_step(msg)


@bp.function_name("fail_poisoned_job_step")
@bp.queue_trigger(arg_name="msg", queue_name=f"{WORK_QUEUE}-poison", connection="AzureWebJobsStorage")
def fail_poisoned_job_step(msg: func.QueueMessage) -> None:
    """A step that kept failing: its job ends failed with the reason, never stuck running."""
    _fail_poisoned(msg)


def _declare_work_queue(index: int, accounts: int) -> None:
    """The step trigger and the poison trigger of work queue ``index`` >= 1 (``jobs-<index>``)."""
    name = queue_name(WORK_QUEUE, index)
    connection = job_account_connection(trigger_account(index, accounts))

    @bp.function_name(f"run_job_step_{index}")
    @bp.queue_trigger(arg_name="msg", queue_name=name, connection=connection)
    def run_sharded_step(msg: func.QueueMessage) -> None:
        _run_step(msg)

    @bp.function_name(f"fail_poisoned_job_step_{index}")
    @bp.queue_trigger(arg_name="msg", queue_name=f"{name}-poison", connection=connection)
    def fail_sharded_poisoned(msg: func.QueueMessage) -> None:
        _fail_poisoned(msg)


if work_queue_count() > 1:
    for _index in range(1, MAX_WORK_QUEUES):
        _declare_work_queue(_index, job_account_count())
