"""The Azure Functions app: one blueprint per area, registered here and nowhere else."""

from __future__ import annotations

import logging

import azure.functions as func

from functions import (
    agents,
    backup,
    billing,
    cloud_actions,
    clouds,
    compat,
    compat_jobs,
    concertim,
    connections,
    console,
    datasets,
    fallback,
    identities,
    jobs,
    jobs_maintenance,
    platform,
    pods,
    servers,
    templates,
    tenants,
)

# The storage SDKs log every HTTP exchange at INFO; keep the app's own lines readable.
logging.getLogger("azure").setLevel(logging.WARNING)
# keystoneauth logs every request and response body at DEBUG, passwords included (a user's, on
# POST /v3/users or PATCH): never below INFO, whatever the root level is.
logging.getLogger("keystoneauth").setLevel(logging.INFO)

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

for blueprint in (
    platform.bp,
    tenants.bp,
    identities.bp,
    jobs.bp,
    jobs_maintenance.bp,
    datasets.bp,
    agents.bp,
    servers.bp,
    connections.bp,
    pods.bp,
    cloud_actions.bp,
    backup.bp,
    templates.bp,
    billing.bp,
    compat.bp,
    compat_jobs.bp,
    console.bp,
    clouds.bp,
    concertim.bp,
    fallback.bp,
):
    app.register_functions(blueprint)
