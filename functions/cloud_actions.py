"""Power actions on an OpenStack cloud: a device (Nova server) or a rack (Heat stack), as jobs."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import Result
from shared.api.pipeline import RequestContext
from shared.models.cloud_actions import DeviceActionRequest, RackActionRequest
from shared.models.jobs import Job

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/clouds/{cloud_id}/devices/{server_id}/actions",
    summary="Power a server on or off, suspend, resume or destroy it: a job that ends at the target state",
    tag="clouds",
    rate_class="jobs",
    body=DeviceActionRequest,
    response=Job,
    status=202,
    errors=(404, 409, 422, 503),
)
def device_action(ctx: RequestContext) -> Result:
    """``on`` (os-start), ``off`` (os-stop), ``suspend``, ``resume``, ``destroy`` (delete). The server
    is looked at first: an action its state does not allow (start an ACTIVE server, anything while
    Nova is busy with it) is ``409 ACTION_NOT_ALLOWED`` with that state. Otherwise ``202`` with an
    ``openstack.power_action`` job, which completes when the server is ACTIVE, SHUTOFF, SUSPENDED
    or gone, and fails with Nova's fault and the last state seen, or with ``ACTION_TIMEOUT``."""
    return deps.cloud_actions_service().device_action(
        ctx.caller.require_tenant().id, ctx.path["cloud_id"], ctx.path["server_id"], ctx.body, ctx.trace.trace_id
    )


@endpoint(
    bp,
    "POST",
    "v1/clouds/{cloud_id}/racks/{stack_id}/actions",
    summary="Suspend, resume or destroy a rack (a Heat stack): a job that ends at the target state",
    tag="clouds",
    rate_class="jobs",
    body=RackActionRequest,
    response=Job,
    status=202,
    errors=(404, 409, 422, 503),
)
def rack_action(ctx: RequestContext) -> Result:
    """The job completes at SUSPEND_COMPLETE, RESUME_COMPLETE or when the stack is gone, and fails
    with Heat's ``stack_status_reason`` (a ``*_FAILED`` stack) or ``ACTION_TIMEOUT``; an action the
    stack's state does not allow is ``409 ACTION_NOT_ALLOWED`` with that state."""
    return deps.cloud_actions_service().rack_action(
        ctx.caller.require_tenant().id, ctx.path["cloud_id"], ctx.path["stack_id"], ctx.body, ctx.trace.trace_id
    )
