"""Backup and restore: ``GET /api/v1/servers:export`` and ``POST /api/v1/servers:import``.

``servers:export`` is one literal path segment (AIP-136 style custom method). Both the
Functions host (ASP.NET route templates treat ``:`` as special only inside ``{...}``) and
this app's route table match it literally, so it never reaches ``v1/servers/{server_id}``.
"""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.backup import ExportQuery, ImportResult, ServerExport

bp = func.Blueprint()


@endpoint(
    bp,
    "GET",
    "v1/servers:export",
    summary="Export the tenant's servers and templates",
    tag="servers",
    query=ExportQuery,
    response=ServerExport,
    errors=(503,),
)
def export_servers(ctx: RequestContext) -> ServerExport:
    """Credentials are left out unless ``include_credentials=true``; then they are the sealed ciphertext
    (base64 and key id), which only this deployment's key opens, and only for the same tenant and server id.
    Built-in templates are not exported."""
    return deps.backup_service().export(ctx.caller.require_tenant(), ctx.query.include_credentials)


@endpoint(
    bp,
    "POST",
    "v1/servers:import",
    summary="Restore servers and templates from an export",
    tag="servers",
    body=ServerExport,
    response=ImportResult,
    errors=(422, 503),
)
def import_servers(ctx: RequestContext) -> ImportResult:
    """By id: missing ones are created, changed ones updated, identical ones skipped. Items that cannot be
    imported (a taken name, an endpoint that breaks the address rules) are listed in ``errors``; credentials
    that do not open here for this tenant and server are not restored (``CREDENTIALS_NOT_RESTORED``) and the
    server is imported without them."""
    return deps.backup_service().restore(ctx.caller.require_tenant(), ctx.body)
