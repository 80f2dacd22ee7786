"""Pods: containers on the tenant's servers, listed across all of them at once."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import Result
from shared.api.pipeline import RequestContext
from shared.models.jobs import Job
from shared.models.pods import Pod, PodCreate, PodListQuery, PodPage, PodUpdate

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/pods",
    summary='Create a pod on a server (or on the one with most free GPUs: server_id "auto")',
    tag="pods",
    body=PodCreate,
    response=Pod,
    status=201,
    errors=(404, 409, 422, 503),
)
def create_pod(ctx: RequestContext) -> Pod:
    """Requests equal limits for ``nvidia.com/gpu``, ``cpu``, ``memory`` and ``ephemeral-storage``.

    ``template_id`` starts from a template; the request's non-null fields override it.
    More than any node of the server can hold is ``422 POD_TOO_LARGE``; more than is free
    now is ``409 INSUFFICIENT_RESOURCES`` with what is free.
    """
    return deps.pods_service().create_pod(ctx.caller.require_tenant().id, ctx.body)


@endpoint(
    bp,
    "GET",
    "v1/pods",
    summary="List pods across all servers",
    tag="pods",
    query=PodListQuery,
    response=PodPage,
    errors=(400, 404),
)
def list_pods(ctx: RequestContext) -> PodPage:
    """Every server is asked at once; one that is down or slow is an ``errors`` entry, not a failure."""
    return deps.pods_service().list_pods(ctx.caller.require_tenant().id, ctx.query)


@endpoint(bp, "GET", "v1/pods/{pod_id}", summary="Get a pod", tag="pods", response=Pod, errors=(404, 503))
def get_pod(ctx: RequestContext) -> Pod:
    return deps.pods_service().get_pod(ctx.caller.require_tenant().id, ctx.path["pod_id"])


@endpoint(
    bp,
    "PUT",
    "v1/pods/{pod_id}",
    summary="Change a pod: replaced by a job (same id, name and server)",
    tag="pods",
    rate_class="jobs",
    body=PodUpdate,
    response=Job,
    status=202,
    errors=(404, 409, 422, 503),
)
def replace_pod(ctx: RequestContext) -> Result:
    """Kubernetes cannot change a running pod's resources, so a change replaces the pod (delete,
    then create with the new spec). The pod, the fields and the capacity are checked at once
    (404, 422, 409); the replacement itself is a ``pods.replace`` job: 202 with the job and its
    Location. Fields left out keep their value; a partial ``resources`` changes only what it gives."""
    return deps.pod_replacements_service().request_replace(
        ctx.caller.require_tenant().id, ctx.path["pod_id"], ctx.body, ctx.trace.trace_id
    )


@endpoint(bp, "DELETE", "v1/pods/{pod_id}", summary="Delete a pod", tag="pods", status=204, errors=(404, 503))
def delete_pod(ctx: RequestContext) -> None:
    deps.pods_service().delete_pod(ctx.caller.require_tenant().id, ctx.path["pod_id"])
