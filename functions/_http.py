"""How an HTTP operation becomes an Azure Function.

``endpoint`` declares the operation once: it goes into the route table (for the pipeline,
the OpenAPI document and 405 detection) and onto the blueprint as one HTTP-triggered
function whose body is a single call into the shared pipeline. Handlers reach the services
through ``shared.deps`` (``deps.pods_service().create_pod(...)``): typed factories that import
an area on its first request, so indexing the app stays cheap and every call can be followed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import azure.functions as func
from pydantic import BaseModel

from shared import deps
from shared.api import pipeline
from shared.api.http import ApiRequest, ApiResponse
from shared.api.router import ROUTES, Auth, ErrorStyle, Operation, path_params_of
from shared.errors import BadRequest

Handler = Callable[[pipeline.RequestContext], Any]
Trigger = Callable[[func.HttpRequest], func.HttpResponse]


GUARDS = pipeline.Guards(authenticator=deps.authenticator, rate_limiter=deps.rate_limiter)
"""The pipeline's authenticator and rate limiter: the composition root's, built on first use."""


def serve(operation: Operation, request: ApiRequest) -> ApiResponse:
    """The pipeline with this app's guards: what every HTTP trigger (and an in-process benchmark) calls."""
    return pipeline.handle(operation, request, GUARDS)


def to_api_request(req: func.HttpRequest) -> ApiRequest:
    return ApiRequest.build(
        req.method,
        urlsplit(req.url).path,
        headers=dict(req.headers.items()),
        query=dict(req.params.items()),
        route_params=dict(req.route_params.items()),
        body=req.get_body() or b"",
    )


def to_http_response(response: ApiResponse) -> func.HttpResponse:
    headers = dict(response.headers)
    if response.content_type:
        headers["Content-Type"] = response.content_type
    return func.HttpResponse(body=response.body, status_code=response.status, headers=headers)


def endpoint(
    bp: func.Blueprint,
    method: str,
    route: str,
    *,
    summary: str,
    tag: str,
    auth: Auth = Auth.TENANT,
    rate_class: str | None = "default",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    media_type: str = "application/json",
    errors: tuple[int, ...] = (),
    body_limit: str = "max_body_bytes",
    legacy_errors: bool = False,
    error_style: ErrorStyle = "envelope",
    body_required: bool = True,
    responses: tuple[tuple[int, str], ...] = (),
    request_media_types: tuple[str, ...] = (),
    switch: str | None = None,
) -> Callable[[Handler], Trigger]:
    """Declare ``method route`` (relative to the ``api`` prefix) served by the decorated handler.

    ``legacy_errors`` answers failures in seed 000's ``{"success": false, ...}`` shape
    (the compatibility paths) instead of the error envelope; ``error_style="evaluation"`` answers them
    in seed 002's shape. ``body_required=False`` lets a
    ``body`` operation be called without one (the model's defaults apply); ``responses``
    documents further successes as (status, media type); ``request_media_types`` documents
    the body of an operation that reads it raw; ``switch`` names a Settings attribute without which
    the operation answers as a path no route matches (a surface that is off). A GET is served for
    HEAD too (the host drops the body of a HEAD answer and keeps its headers).
    """

    def register(handler: Handler) -> Trigger:
        operation = ROUTES.add(
            Operation(
                name=handler.__name__,
                method=method,
                route=route,
                handler=handler,
                summary=summary,
                tag=tag,
                auth=auth,
                rate_class=rate_class if auth is not Auth.NONE else None,
                body=body,
                query=query,
                response=response,
                status=status,
                media_type=media_type,
                description=(handler.__doc__ or "").strip() or None,
                errors=errors,
                path_params=path_params_of(route),
                body_limit=body_limit,
                error_style="legacy" if legacy_errors else error_style,
                body_required=body_required,
                responses=responses,
                request_media_types=request_media_types,
                switch=switch,
            )
        )

        def trigger(req: func.HttpRequest) -> func.HttpResponse:
            return to_http_response(serve(operation, to_api_request(req)))

        trigger.__name__ = trigger.__qualname__ = handler.__name__
        trigger.__doc__ = handler.__doc__
        # The function's name is the trigger's __name__ (the handler's): no function_name
        # decorator, whose signature inspection costs every cold start ~0.2 ms a function.
        methods = [method, "HEAD"] if method == "GET" else [method]
        decorated: Trigger = bp.route(route=route, methods=methods, auth_level=func.AuthLevel.ANONYMOUS)(trigger)
        return decorated

    return register


def idempotency_key(ctx: pipeline.RequestContext) -> str | None:
    """The request's ``Idempotency-Key``, checked once for every route that honours it."""
    key = ctx.request.header("idempotency-key")
    if key is not None and not 1 <= len(key) <= 255:
        raise BadRequest("Idempotency-Key must be 1 to 255 characters.", code="INVALID_IDEMPOTENCY_KEY")
    return key
