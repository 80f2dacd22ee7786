"""The one path every HTTP request takes, and the one place that builds responses.

Request id and trace context, CORS, body limits, authentication, rate limiting, parsing
and validation, the handler, error mapping and the request log line all happen here, so
a trigger is a single call and no endpoint can forget a step. Who may call and how often are
``Guards`` handed in by the caller (``functions/_http.py`` takes them from ``shared.deps``), so
this module builds nothing and a test can hand in its own.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError
from pydantic import BaseModel, ValidationError

from shared import telemetry
from shared.api.auth import Principal
from shared.api.errors import MethodNotAllowed, headers_of, status_of
from shared.api.http import JSON, ApiRequest, ApiResponse, Result
from shared.api.ratelimit import RateDecision
from shared.api.router import ROUTES, Auth, ErrorStyle, Operation, path_resource
from shared.api.tracing import TraceContext, parse_traceparent, request_id_from
from shared.config import Settings, get_settings
from shared.errors import (
    BadRequest,
    DomainError,
    InternalError,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
    validation_details,
)
from shared.ids import is_addressable_id
from shared.jsontext import JsonTooDeep, loads_untrusted
from shared.logs import log_event

logger = logging.getLogger("cloudplane.request")

_EXPOSED_HEADERS = (
    "X-Request-ID, Location, Retry-After, RateLimit, RateLimit-Policy, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "(unmatched)"
_ALLOWED_HEADERS = "Authorization, Content-Type, X-API-Key, X-Request-ID, Idempotency-Key, traceparent, tracestate"


class Authenticating(Protocol):
    def authenticate(self, required: Auth, method: str, headers: Mapping[str, str]) -> Principal | None:
        """The caller allowed to run an operation that needs ``required``; raises 401/403."""
        ...


class RateLimiting(Protocol):
    def check(self, key: str, route_class: str) -> RateDecision:
        """Spend one request of ``key``'s budget for ``route_class``; raises 429 when none is left."""
        ...


@dataclass(frozen=True)
class Guards:
    """Providers of the authenticator and the rate limiter, asked per request: an operation that
    needs neither (health, docs) builds neither, and a rebuilt one (new settings) is used at once."""

    authenticator: Callable[[], Authenticating]
    rate_limiter: Callable[[], RateLimiting]


@dataclass
class RequestContext:
    """What a handler gets: the validated input and who is calling."""

    request: ApiRequest
    request_id: str
    trace: TraceContext
    settings: Settings
    principal: Principal | None = None
    body: Any = None
    query: Any = None
    path: Mapping[str, str] = field(default_factory=dict)

    @property
    def caller(self) -> Principal:
        """The authenticated caller (operations with ``Auth.NONE`` have none)."""
        if self.principal is None:
            raise InternalError("This operation has no authenticated caller.")
        return self.principal


def handle(operation: Operation, request: ApiRequest, guards: Guards) -> ApiResponse:
    """Run ``operation`` for ``request``; never raises, always answers."""
    with _server_span(request, operation.path) as span:
        started = time.perf_counter()
        settings = get_settings()
        request_id = request_id_from(request.header("x-request-id"))
        trace = _trace_of(span, request)
        context = RequestContext(request=request, request_id=request_id, trace=trace, settings=settings)
        rate: RateDecision | None = None
        try:
            if not operation.is_on(settings):  # a surface that is off: its paths do not exist
                response = error_response(_no_route(), request_id, trace.trace_id)
                return _finish(response, context, UNMATCHED, started, None, span)
            if operation.auth is not Auth.NONE:
                context.principal = guards.authenticator().authenticate(operation.auth, request.method, request.headers)
            if context.principal is not None and operation.rate_class:
                rate = guards.rate_limiter().check(context.principal.rate_key, operation.rate_class)
            context.path = _parse_path(operation, request)
            context.query = _parse_query(operation, request)
            context.body = _parse_body(operation, request, settings)
            response = _render(operation, operation.handler(context))
        except Exception as error:  # noqa: BLE001 - every failure becomes an envelope
            response = error_response(
                _as_api_error(error, context), request_id, trace.trace_id, style=operation.error_style
            )
        return _finish(response, context, operation.route, started, rate, span)


def handle_unmatched(request: ApiRequest) -> ApiResponse:
    """Answer a request no operation took: CORS preflight, 405 with ``Allow``, or 404.

    Any method reaches here (TRACE, CONNECT, WebDAV verbs...), so every one gets an answer
    with a body; HEAD is served by the GET operations themselves (see ``functions/_http.py``).
    """
    with _server_span(request, UNMATCHED) as span:
        started = time.perf_counter()
        context = RequestContext(
            request=request,
            request_id=request_id_from(request.header("x-request-id")),
            trace=_trace_of(span, request),
            settings=get_settings(),
        )
        methods = ROUTES.methods_for(request.path, context.settings)
        style = ROUTES.error_style_for(request.path)
        if request.method == "OPTIONS" and methods:
            headers = _preflight_headers(request, context.settings, methods)
            response = ApiResponse(204, content_type=None, headers=headers)
        elif methods:
            error: DomainError = MethodNotAllowed(
                "This method is not allowed on this path; see Allow.",
                details={"allowed": methods},
                headers={"Allow": ", ".join(methods)},
            )
            response = error_response(error, context.request_id, context.trace.trace_id, style=style)
        else:
            response = error_response(_no_route(), context.request_id, context.trace.trace_id)
        return _finish(response, context, UNMATCHED, started, None, span)


def _no_route() -> DomainError:
    return NotFound("No route matches this path.", code="ROUTE_NOT_FOUND")


def _server_span(request: ApiRequest, route: str) -> AbstractContextManager[telemetry.Span]:
    """The request's SERVER span, continuing the caller's trace when ``traceparent`` is valid.

    Named by method and route template (never the path's values); its attributes are chosen
    here and in ``_finish``, so no header, query or body value reaches the telemetry.
    """
    method = request.method if request.method in _KNOWN_METHODS else "_OTHER"
    return telemetry.span(
        f"{method} {route}",
        kind="server",
        traceparent=(request.header("traceparent") or "").strip().lower(),  # as parse_traceparent reads it
        attributes={"http.request.method": method, "http.route": route},
    )


def _trace_of(span: telemetry.Span, request: ApiRequest) -> TraceContext:
    """The request's trace: its span's when telemetry records one, so logs, error bodies, jobs and
    JobMessages name the trace Application Insights shows; else parsed from ``traceparent``."""
    ids = span.ids()
    if ids is None:
        return parse_traceparent(request.header("traceparent"))
    return TraceContext(*ids)


def error_response(
    error: DomainError, request_id: str, trace_id: str, *, style: ErrorStyle = "envelope"
) -> ApiResponse:
    """The error body: the envelope, or for the seed's compatibility paths its legacy shape.

    The legacy shape is ``{"success": false, "error": message, "status_code": N}``, plus
    ``code``, ``details`` and ``request_id`` (extra fields a seed client ignores). The evaluation
    shape is seed 002's: see ``evaluation_error``. The concertim shape is seed 004's
    ``{"success": false, "error": code, "message"}`` (Concertim's UI shows ``message``), plus
    ``status_code``, ``details`` and ``request_id``: never a traceback or a request header.
    """
    body: dict[str, Any]
    if style == "evaluation":
        body = {"error": evaluation_error(error, status_of(error), request_id, trace_id)}
        return ApiResponse(status_of(error), json.dumps(body).encode(), JSON, headers_of(error))
    if style == "concertim":
        body = {
            "success": False,
            "error": error.code,
            "message": error.message,
            "status_code": status_of(error),
            "details": error.details,
            "request_id": request_id,
        }
        return ApiResponse(status_of(error), json.dumps(body).encode(), JSON, headers_of(error))
    if style == "legacy":
        body = {
            "success": False,
            "error": error.message,
            "status_code": status_of(error),
            "code": error.code,
            "details": error.details,
            "request_id": request_id,
        }
        return ApiResponse(status_of(error), json.dumps(body).encode(), JSON, headers_of(error))
    body = {
        "error": {
            "code": error.code,
            "message": error.message,
            "details": error.details,
            "request_id": request_id,
            "trace_id": trace_id,
        }
    }
    return ApiResponse(status_of(error), json.dumps(body).encode(), JSON, headers_of(error))


EVALUATION_CODES: dict[int, str] = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "INVALID_REQUEST",
    415: "INVALID_REQUEST",
    422: "INVALID_REQUEST",
    429: "RATE_LIMITED",
}
"""Seed 002's codes by status; any other status (500, 503) is its ``SERVER_ERROR``. 403 and 409
have no code in the seed, so they keep the family's name."""


def evaluation_error(error: DomainError, status: int, request_id: str, trace_id: str) -> dict[str, Any]:
    """Seed 002's ``{"code", "message", "details"}``: the seed's code for the status, and in ``details``
    the error's own details, ``code`` (the precise code /api/v1 answers), the first bad ``field`` of a
    validation failure, ``request_id`` and ``trace_id``."""
    details: dict[str, Any] = dict(error.details)
    fields = details.get("fields")
    if "field" not in details and isinstance(fields, list) and fields and isinstance(fields[0], dict):
        details["field"] = fields[0].get("path")
    details.update(code=error.code, request_id=request_id, trace_id=trace_id)
    return {"code": EVALUATION_CODES.get(status, "SERVER_ERROR"), "message": error.message, "details": details}


def json_body(payload: Any) -> bytes:
    if isinstance(payload, BaseModel):
        return payload.model_dump_json().encode()
    return json.dumps(payload, default=str).encode()


def _parse_path(operation: Operation, request: ApiRequest) -> dict[str, str]:
    """The path parameters, each an id storage could hold, or the route's 404 (the value is not echoed)."""
    path = {name: request.route_params.get(name, "") for name in operation.path_params}
    for name, value in path.items():
        if not is_addressable_id(value):
            resource = path_resource(name)
            raise NotFound(f"{resource.noun} not found.", code=resource.not_found_code, details={"parameter": name})
    return path


def _parse_query(operation: Operation, request: ApiRequest) -> Any:
    if operation.query is None:
        return None
    try:
        return operation.query.model_validate(dict(request.query))
    except ValidationError as error:
        raise ValidationFailed(
            "The query string is not valid.", details=validation_details(error.errors(), ("query",))
        ) from None


def _parse_body(operation: Operation, request: ApiRequest, settings: Settings) -> Any:
    limit: int = getattr(settings, operation.body_limit)
    declared = request.header("content-length")
    if len(request.body) > limit or (declared and declared.isdigit() and int(declared) > limit):
        raise PayloadTooLarge(
            f"The request body is over the limit of {limit} bytes.",
            details={"limit_bytes": limit},
        )
    if operation.body is None:
        return None
    raw: Any = {}
    if request.body.strip():
        media_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        if media_type != JSON and not media_type.endswith("+json"):
            raise UnsupportedMediaType("Send the body as application/json.", details={"expected": JSON})
        raw = _json_body(request.body)
    elif operation.body_required:
        raise ValidationFailed(
            "The request body is required.",
            details={"fields": [{"path": "body", "message": "A JSON body is required.", "type": "missing"}]},
        )
    try:
        return operation.body.model_validate(raw)
    except ValidationError as error:
        raise ValidationFailed(
            "The request body is not valid.", details=validation_details(error.errors(), ("body",))
        ) from None


def _json_body(body: bytes) -> Any:
    try:
        return loads_untrusted(body)
    except JsonTooDeep as error:
        reason = str(error)
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except json.JSONDecodeError as error:
        reason = f"{error.msg} at line {error.lineno} column {error.colno}"
    except ValueError:
        reason = "not JSON"
    raise BadRequest("The body is not valid JSON.", code="MALFORMED_JSON", details={"reason": reason})


def _render(operation: Operation, result: Any) -> ApiResponse:
    if isinstance(result, ApiResponse):
        return result
    status, headers = operation.status, {}
    if isinstance(result, Result):
        status, headers, result = result.status or status, result.headers, result.body
    if result is None:
        return ApiResponse(204 if status in (200, 204) else status, b"", None, headers)
    return ApiResponse(status, json_body(result), JSON, headers)


def _as_api_error(error: Exception, context: RequestContext) -> DomainError:
    if isinstance(error, DomainError):
        return error
    if isinstance(error, (ServiceRequestError, ServiceResponseError)) or (
        isinstance(error, HttpResponseError) and (error.status_code or 0) >= 500
    ):
        log_event(
            logger,
            "dependency_failed",
            logging.WARNING,
            request_id=context.request_id,
            trace_id=context.trace.trace_id,
            error=type(error).__name__,
        )
        return ServiceUnavailable(
            "Storage is unavailable right now; retry shortly.",
            code="STORAGE_UNAVAILABLE",
            headers={"Retry-After": "5"},
        )
    logger.exception(
        json.dumps(
            {
                "event": "unhandled_exception",
                "request_id": context.request_id,
                "trace_id": context.trace.trace_id,
                "error": type(error).__name__,
            }
        )
    )
    return InternalError("An unexpected error occurred.", details={"request_id": context.request_id})


def _cors_headers(request: ApiRequest, settings: Settings) -> dict[str, str]:
    origin = request.header("origin")
    if not origin or not (origin in settings.cors_origins or "*" in settings.cors_origins):
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": _EXPOSED_HEADERS,
        "Vary": "Origin",
    }


def _preflight_headers(request: ApiRequest, settings: Settings, methods: list[str]) -> dict[str, str]:
    headers = _cors_headers(request, settings)
    if headers:
        headers["Access-Control-Allow-Methods"] = ", ".join([*methods, "OPTIONS"])
        headers["Access-Control-Allow-Headers"] = _ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = "600"
    return headers


def _finish(
    response: ApiResponse,
    context: RequestContext,
    route: str,
    started: float,
    rate: RateDecision | None,
    span: telemetry.Span,
) -> ApiResponse:
    if rate is not None:
        response.headers.update({k: v for k, v in rate.headers().items() if k not in response.headers})
    response.headers.update(_cors_headers(context.request, context.settings))
    response.headers["X-Request-ID"] = context.request_id
    principal = context.principal
    tenant_id = principal.tenant.id if principal and principal.tenant else None
    span.set("http.response.status_code", response.status)
    span.set("cloudplane.tenant_id", tenant_id)
    if response.status >= 500:
        span.fail(f"HTTP {response.status}")
    log_event(
        logger,
        "request",
        method=context.request.method,
        route=route,
        path=context.request.path,
        status=response.status,
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
        tenant_id=tenant_id,
        admin=bool(principal and principal.admin),
        request_id=context.request_id,
        trace_id=context.trace.trace_id,
    )
    return response
