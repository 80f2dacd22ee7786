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
from shared.api.http import ApiResponse, Result
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.models.concertim import (
    ConcertimBody,
    CreditsRequest,
    InvoicePageRequest,
    InvoiceRequest,
    KeyPairCreate,
    KeyPairDelete,
    OptionalCloudEnv,
    OrderRequest,
    StatusUpdate,
    TagRequest,
    TeamCreate,
    TeamDelete,
    TeamRole,
    TeamRoleUpdate,
    UserCreate,
    UserDelete,
    UserUpdate,
)
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


# ---------------------------------------------------------------- billing

BILLING_PATHS: tuple[tuple[str, str, Any, int], ...] = (
    ("get_draft_invoice", "a team's draft invoice (the open period so far)", InvoiceRequest, 200),
    ("list_paginated_invoices", "a team's closed invoices, a page at a time", InvoicePageRequest, 200),
    ("get_account_invoice", "one invoice of a team", InvoiceRequest, 200),
    ("credits", "add credits to a team's account (major units)", CreditsRequest, 200),
    ("get_credits", "a team's credit balance (major units)", CreditsRequest, 200),
    ("create_order", "open an order (a monthly plan) for a cluster", OrderRequest, 201),
    ("delete_order", "end a cluster's order", OrderRequest, 200),
    ("add_order_tag", "tag a cluster's order", TagRequest, 200),
)
"""Path, summary, body model and status. ``add_credits`` is the service's name for ``/credits``."""


def _billing_endpoint(path: str, what: str, model: Any, status: int) -> None:
    method_name = "add_credits" if path == "credits" else path

    def handler(ctx: RequestContext) -> dict[str, Any]:
        """Seed 004's billing body over the billing service (``shared/services/billing_concertim.py``), for
        the configured tenant's accounts only: another tenant's account is a 404 as a missing one is."""
        body = ctx.body.model_dump(mode="json", exclude_none=True)
        answer: dict[str, Any] = getattr(deps.concertim_billing(), method_name)(ctx.caller.tenant_id, body)
        return answer

    handler.__name__ = handler.__qualname__ = f"concertim_{path}"
    endpoint(
        bp,
        "POST",
        f"concertim/{path}",
        summary=f"Concertim: {what}",
        body=model,
        status=status,
        errors=(404, 409),
        **_SECURED,
    )(handler)


for _path, _what, _model, _status in BILLING_PATHS:
    _billing_endpoint(_path, _what, _model, _status)


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


# ---------------------------------------------------------------- users


@endpoint(
    bp,
    "POST",
    "concertim/user",
    summary="Concertim: create a user (POST /api/v1/clouds/{id}/users)",
    body=UserCreate,
    status=201,
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_create_user(ctx: RequestContext) -> dict[str, Any]:
    """The Keystone user is named ``CM_<username>`` (Concertim's mark of the users it manages);
    ``{"success": true, "username", "user_cloud_id"}``."""
    body: UserCreate = ctx.body
    user_id = deps.concertim_service().create_user(ctx.caller.tenant_id, body)
    return shapes.user_created(body.username, user_id)


@endpoint(
    bp,
    "PATCH",
    "concertim/user",
    summary="Concertim: change a user's email or password (PATCH /api/v1/clouds/{id}/users/{user_id})",
    body=UserUpdate,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_update_user(ctx: RequestContext) -> dict[str, Any]:
    """``{"success": true, "updated": [["cloud_user", id, "email"], ...]}``, as Concertim's service answered."""
    body: UserUpdate = ctx.body
    changed = deps.concertim_service().update_user(ctx.caller.tenant_id, body)
    return shapes.user_updated(body.user_info.cloud_user_id, changed)


@endpoint(
    bp,
    "DELETE",
    "concertim/user",
    summary="Concertim: delete a user (DELETE /api/v1/clouds/{id}/users/{user_id})",
    body=UserDelete,
    errors=(403, 404, 503),
    **_SECURED,
)
def concertim_delete_user(ctx: RequestContext) -> dict[str, Any]:
    body: UserDelete = ctx.body
    deps.concertim_service().delete_user(ctx.caller.tenant_id, body)
    return shapes.done()


# ---------------------------------------------------------------- teams


@endpoint(
    bp,
    "POST",
    "concertim/team",
    summary="Concertim: create a team: a project and its billing account (POST /api/v1/clouds/{id}/teams)",
    body=TeamCreate,
    status=201,
    responses=((200, "application/json"),),
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_create_team(ctx: RequestContext) -> Result:
    """The project is named ``CM_<name>``; its billing account is the tenant's. If a step fails, the steps
    done are undone. ``{"success": true, "project_id", "billing_acct_id"}``; a retry that names the team
    made before (``project_id``) gets it again with 200."""
    body: TeamCreate = ctx.body
    team, created = deps.concertim_service().create_team(ctx.caller.tenant_id, body)
    return Result(shapes.team_created(team), status=201 if created else 200)


@endpoint(
    bp,
    "DELETE",
    "concertim/team",
    summary="Concertim: delete a team's project and close its account (DELETE /api/v1/clouds/{id}/teams/{team_id})",
    body=TeamDelete,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_delete_team(ctx: RequestContext) -> dict[str, Any]:
    body: TeamDelete = ctx.body
    deps.concertim_service().delete_team(ctx.caller.tenant_id, body)
    return shapes.done()


@endpoint(
    bp,
    "GET",
    "concertim/team/{project_id}/quotas",
    summary="Concertim: a team's compute, volume and network quotas (GET /api/v1/clouds/{id}/teams/{team_id}/quotas)",
    body=OptionalCloudEnv,
    body_required=False,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_team_quotas(ctx: RequestContext) -> dict[str, Any]:
    """``cloud_env`` in the body is optional here: Concertim's UI sends none (its service used its own
    admin credentials), and then the tenant's registered OpenStack cloud answers (there must be one)."""
    body: OptionalCloudEnv = ctx.body
    quotas = deps.concertim_service().team_quotas(ctx.caller.tenant_id, body.cloud_env, ctx.path["project_id"])
    return shapes.quotas(quotas)


@endpoint(
    bp,
    "GET",
    "concertim/team/limits",
    summary="Concertim: the credential's project's limits and usage (GET /api/v1/clouds/{id}/limits)",
    body=ConcertimBody,
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_team_limits(ctx: RequestContext) -> dict[str, Any]:
    """A ``GET`` with a JSON body, as Concertim's UI sends it; the project is the credentials' own."""
    body: ConcertimBody = ctx.body
    return shapes.limits(deps.concertim_service().team_limits(ctx.caller.tenant_id, body.cloud_env))


@endpoint(
    bp,
    "GET",
    "concertim/statistics",
    summary="Concertim: counts of what the credential sees (GET /api/v1/clouds/{id}/statistics)",
    body=OptionalCloudEnv,
    body_required=False,
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_statistics(ctx: RequestContext) -> dict[str, Any]:
    """Servers, stacks, users and projects; ``running_vms`` is the servers' count. Without ``cloud_env``
    (Concertim's UI sends none) the tenant's registered OpenStack cloud answers."""
    body: OptionalCloudEnv = ctx.body
    return shapes.statistics(deps.concertim_service().statistics(ctx.caller.tenant_id, body.cloud_env))


# ---------------------------------------------------------------- team roles


@endpoint(
    bp,
    "POST",
    "concertim/team_role",
    summary="Concertim: give a user a role in a team (POST /api/v1/clouds/{id}/teams/{team_id}/roles)",
    body=TeamRole,
    status=201,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_create_team_role(ctx: RequestContext) -> dict[str, Any]:
    body: TeamRole = ctx.body
    deps.concertim_service().assign_role(ctx.caller.tenant_id, body)
    return shapes.done()


@endpoint(
    bp,
    "PATCH",
    "concertim/team_role",
    summary="Concertim: replace a user's role in a team (PATCH /api/v1/clouds/{id}/teams/{team_id}/roles)",
    body=TeamRoleUpdate,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_update_team_role(ctx: RequestContext) -> dict[str, Any]:
    body: TeamRoleUpdate = ctx.body
    deps.concertim_service().change_role(ctx.caller.tenant_id, body)
    return shapes.done()


@endpoint(
    bp,
    "DELETE",
    "concertim/team_role",
    summary="Concertim: take a role in a team from a user (DELETE /api/v1/clouds/{id}/teams/{team_id}/roles)",
    body=TeamRole,
    errors=(403, 404, 409, 503),
    **_SECURED,
)
def concertim_delete_team_role(ctx: RequestContext) -> dict[str, Any]:
    body: TeamRole = ctx.body
    deps.concertim_service().revoke_role(ctx.caller.tenant_id, body)
    return shapes.done()


# ---------------------------------------------------------------- key pairs


@endpoint(
    bp,
    "GET",
    "concertim/key_pairs",
    summary="Concertim: the credential's key pairs (GET /api/v1/clouds/{id}/key-pairs)",
    body=ConcertimBody,
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_list_key_pairs(ctx: RequestContext) -> dict[str, Any]:
    """A ``GET`` with a JSON body, as Concertim's UI sends it."""
    body: ConcertimBody = ctx.body
    return shapes.key_pairs(deps.concertim_service().list_key_pairs(ctx.caller.tenant_id, body.cloud_env))


@endpoint(
    bp,
    "POST",
    "concertim/key_pairs",
    summary="Concertim: generate or import a key pair (POST /api/v1/clouds/{id}/key-pairs)",
    body=KeyPairCreate,
    status=201,
    errors=(403, 409, 503),
    **_SECURED,
)
def concertim_create_key_pair(ctx: RequestContext) -> dict[str, Any]:
    """Without ``public_key`` one is generated and its ``private_key`` is in this answer only."""
    body: KeyPairCreate = ctx.body
    return shapes.key_pair_created(deps.concertim_service().create_key_pair(ctx.caller.tenant_id, body))


@endpoint(
    bp,
    "DELETE",
    "concertim/key_pairs",
    summary="Concertim: delete a key pair by name (DELETE /api/v1/clouds/{id}/key-pairs/{name})",
    body=KeyPairDelete,
    errors=(403, 404, 503),
    **_SECURED,
)
def concertim_delete_key_pair(ctx: RequestContext) -> dict[str, Any]:
    body: KeyPairDelete = ctx.body
    deps.concertim_service().delete_key_pair(ctx.caller.tenant_id, body)
    return shapes.key_pair_deleted(body.keypair_name)
