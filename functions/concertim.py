"""Concertim's OpenStack-service paths (seed 004) under ``/api/concertim/``, over the cloud services.

Concertim's UI works unchanged when its OpenStack-service base URL points here. Every path is off
(a plain 404, as for a path no route matches) while ``CLOUDPLANE_CONCERTIM_JWT_SECRET`` is empty;
with it set, each one takes Concertim's HS256 bearer token (``Auth.CONCERTIM``) and acts for the
tenant ``CLOUDPLANE_CONCERTIM_TENANT`` names. Bodies carry the cloud credentials as ``cloud_env``
(some of them on a GET). Failures answer in seed 004's ``{"success": false, "error", "message"}``
shape with the right status (``error_style="concertim"``). The mapping: docs/compat.md.
"""

from __future__ import annotations

from typing import Any

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import ApiResponse
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.errors import NotImplementedHere
from shared.models.concertim import StatusUpdate
from shared.services import concertim_shapes as shapes

bp = func.Blueprint()

CONCERTIM_TAG = "concertim"
CONCERTIM_SWITCH = "concertim_enabled"
_COMMON = {"tag": CONCERTIM_TAG, "switch": CONCERTIM_SWITCH, "error_style": "concertim"}
_SECURED: dict[str, Any] = {**_COMMON, "auth": Auth.CONCERTIM}


@endpoint(
    bp,
    "GET",
    "concertim",
    summary="Concertim: is the service running",
    auth=Auth.NONE,
    media_type="text/plain",
    **_COMMON,
)
def concertim_running(ctx: RequestContext) -> ApiResponse:
    """``Running`` as text, as Concertim's service answers its ``GET /``; no token needed (it says nothing else)."""
    return ApiResponse(200, b"Running\n", "text/plain; charset=utf-8")


# ---------------------------------------------------------------- billing (not served yet)

BILLING_PATHS = (
    ("get_draft_invoice", "a team's draft invoice"),
    ("list_paginated_invoices", "a team's invoices, a page at a time"),
    ("get_account_invoice", "one invoice of a team"),
    ("credits", "add credits to a team's account"),
    ("get_credits", "a team's remaining credits"),
    ("create_order", "open an order for a cluster"),
    ("delete_order", "close a cluster's order"),
    ("add_order_tag", "tag a cluster's order"),
)


def _billing_not_served(ctx: RequestContext) -> None:
    """Answers 501: billing (invoices, credits, orders) is not mapped onto Cloudplane yet."""
    path = ctx.request.path.rstrip("/").rsplit("/", 1)[-1]
    raise NotImplementedHere(
        f"Concertim's billing path /{path} is not served by Cloudplane yet: billing accounts are created and"
        " closed with teams (POST and DELETE /team), invoices, credits and orders are not available.",
        details={"path": f"/{path}"},
    )


def _billing_endpoint(path: str, what: str) -> None:
    def handler(ctx: RequestContext) -> None:
        _billing_not_served(ctx)

    handler.__name__ = handler.__qualname__ = f"concertim_{path}"
    handler.__doc__ = _billing_not_served.__doc__
    endpoint(
        bp, "POST", f"concertim/{path}", summary=f"Concertim: {what} (501, not served yet)", errors=(501,), **_SECURED
    )(handler)


for _path, _what in BILLING_PATHS:
    _billing_endpoint(_path, _what)


# ---------------------------------------------------------------- power actions


@endpoint(
    bp,
    "POST",
    "concertim/update_status/{object_type}/{object_id}",
    summary="Concertim: a power action on a device (server) or rack (Heat stack) (the v1 actions' check and send)",
    body=StatusUpdate,
    status=202,
    errors=(404, 409, 501, 503),
    **_SECURED,
)
def concertim_update_status(ctx: RequestContext) -> dict[str, Any]:
    """``devices`` (or ``instances``): on, off, suspend, resume, destroy; ``racks``: suspend, resume, destroy.
    An action the state does not allow is a 409 naming the state; otherwise OpenStack takes it (it runs it
    asynchronously) and the answer is 202 ``{"cloud_response": {...}}``."""
    body: StatusUpdate = ctx.body
    change = deps.concertim_service().update_status(
        ctx.caller.tenant_id, body.cloud_env, ctx.path["object_type"], ctx.path["object_id"], body.action
    )
    return shapes.status_response(change)
