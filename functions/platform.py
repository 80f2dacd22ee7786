"""Health, readiness, the OpenAPI document and its docs page."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import ApiResponse
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.services.health import Health, Readiness

bp = func.Blueprint()


@endpoint(
    bp,
    "GET",
    "v1/health",
    summary="Liveness: the app answers (no dependency is called)",
    tag="platform",
    auth=Auth.NONE,
    response=Health,
)
def get_health(ctx: RequestContext) -> Health:
    return deps.health_service().health()


@endpoint(
    bp,
    "GET",
    "v1/ready",
    summary="Readiness: Table, Queue and Blob storage answer",
    tag="platform",
    auth=Auth.NONE,
    response=Readiness,
    errors=(503,),
)
def get_ready(ctx: RequestContext) -> Readiness:
    return deps.health_service().readiness()


@endpoint(bp, "GET", "v1/openapi.json", summary="This API's OpenAPI 3.1 document", tag="platform", auth=Auth.NONE)
def get_openapi(ctx: RequestContext) -> ApiResponse:
    return deps.docs_service().openapi_response()


@endpoint(
    bp,
    "GET",
    "docs",
    summary="Interactive API documentation (Swagger UI)",
    tag="platform",
    auth=Auth.NONE,
    media_type="text/html",
)
def get_docs(ctx: RequestContext) -> ApiResponse:
    return deps.docs_service().docs_page()


@endpoint(
    bp,
    "GET",
    "docs/assets/{asset}",
    summary="A static asset of the docs page",
    tag="platform",
    auth=Auth.NONE,
    media_type="application/octet-stream",
    responses=tuple((200, media) for media in ("text/css", "text/javascript", "text/html", "image/png")),
    errors=(404,),
)
def get_docs_asset(ctx: RequestContext) -> ApiResponse:
    return deps.docs_service().docs_asset(ctx.path["asset"])
