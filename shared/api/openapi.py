"""The OpenAPI 3.1 document, generated from the route table and the Pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared import __version__
from shared.api.router import Auth, Operation, RouteTable
from shared.ids import ID_PATTERN
from shared.models.common import ErrorResponse
from shared.models.compat import LegacyError
from shared.models.compat_jobs import EvaluationError
from shared.models.concertim import ConcertimError

_REF = "#/components/schemas/{model}"
_ERRORS = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "No API key, or an invalid or revoked one",
    403: "The key may not do this",
    404: "Not found (also another tenant's resource)",
    405: "Method not allowed",
    409: "Conflict with the resource's state",
    413: "Body too large",
    415: "Unsupported content type",
    422: "Validation failed; details.fields names each bad field",
    429: "Rate limited; see Retry-After",
    500: "Unexpected error; quote the request_id",
    501: "Served for a client's sake but not done here (yet); the message says what to use",
    503: "A dependency is unavailable; see Retry-After",
}
_SUCCESSES = {
    200: "Done (for a replay or an immediate outcome: see the description)",
    202: "Accepted; the work goes on in the background",
    303: "See Other: the content is at Location",
}
_RATE_HEADERS = ("RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def build_openapi(routes: RouteTable, settings: Any = None) -> dict[str, Any]:
    """The document of the operations that exist under ``settings`` (a surface that is off is left out)."""
    operations = [op for op in routes if op.is_on(settings)]
    models: list[type[BaseModel]] = [ErrorResponse, LegacyError, EvaluationError, ConcertimError]
    for op in operations:
        models += [m for m in (op.body, op.query, op.response) if m is not None and m not in models]
    keyed, top = models_json_schema([(m, "validation") for m in models], ref_template=_REF)
    refs: dict[Any, Any] = {model: schema for (model, _mode), schema in keyed.items()}
    components: dict[str, Any] = dict(top.get("$defs", {}))

    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, components)
    _add_links(operations, paths)
    _unique_titles(components)

    headers = {
        "X-Request-ID": {
            "description": "The request's id (yours if you sent a sane one).",
            "schema": {"type": "string"},
        }
    }
    headers.update(
        {
            name: {"description": "Rate-limit state for this route class.", "schema": {"type": "string"}}
            for name in _RATE_HEADERS
        }
    )
    headers["Retry-After"] = {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
    headers["Location"] = {"description": "Where the resource or its content is.", "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cloudplane API",
            "version": __version__,
            "description": "Control plane for GPU Kubernetes clusters and OpenStack clouds. "
            "Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "headers": headers,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key, or a Microsoft identity platform access token when configured.",
                },
                "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "concertimToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Concertim's HS256 token (/api/concertim/), signed with the shared secret.",
                },
            },
        },
    }


def _unique_titles(components: dict[str, Any]) -> None:
    """Give each schema a title as unique as its key.

    When two models share a class name (``TeamCreate`` in two modules), Pydantic keys them by
    module path (``shared__models__concertim__TeamCreate``) but keeps the bare class name as
    ``title``; client generators name classes by title, so one of the two would be lost. Such a
    schema is titled by its module and class (``ConcertimTeamCreate``), or by its key if that too
    is taken.
    """
    taken = {schema.get("title") for key, schema in components.items() if "__" not in key}
    for key, schema in sorted(components.items()):
        if "__" not in key or not isinstance(schema, dict):
            continue
        *modules, name = key.split("__")
        title = "".join(part.title().replace("_", "") for part in modules[-1:]) + name
        schema["title"] = title if title not in taken else key
        taken.add(schema["title"])


def _id_pointer(model: type[BaseModel] | None) -> str | None:
    """Where a created resource's id is in ``model``'s JSON: ``/id``, or ``/<field>/id`` one level down."""
    if model is None:
        return None
    if "id" in model.model_fields:
        return "/id"
    for name, field in model.model_fields.items():
        inner = field.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel) and "id" in inner.model_fields:
            return f"/{name}/id"
    return None


def _add_links(operations: list[Operation], paths: dict[str, dict[str, Any]]) -> None:
    """OpenAPI links from each operation that creates a resource to the operations on it.

    ``POST /v1/jobs`` answers a job whose ``id`` is the ``{job_id}`` of ``GET /v1/jobs/{job_id}``,
    ``.../results`` and the rest; clients and stateful fuzzers follow these links.
    """
    for creator in operations:
        pointer = _id_pointer(creator.response)
        if creator.method != "POST" or creator.status not in (201, 202) or pointer is None:
            continue
        prefix = creator.route + "/{"
        links: dict[str, Any] = {}
        for target in operations:
            if target is creator or not target.route.startswith(prefix):
                continue
            parameter = target.route[len(prefix) :].split("}", 1)[0]
            links[target.name] = {
                "operationId": target.name,
                "parameters": {parameter: f"$response.body#{pointer}"},
            }
        if links:
            paths[creator.path]["post"]["responses"][str(creator.status)]["links"] = links


def _schema_ref(model: type[BaseModel], refs: dict[Any, Any], components: dict[str, Any]) -> Any:
    schema = refs[model]
    if "$ref" in schema:
        return schema
    components[model.__name__] = schema
    return {"$ref": _REF.format(model=model.__name__)}


def _add_success(responses: dict[str, Any], status: int, media_type: str, main: dict[str, Any], op: Operation) -> None:
    """Document one more success of ``op``: another status, or another media type of one."""
    headers = dict(main["headers"])
    if status in (201, 202, 303):
        headers["Location"] = {"$ref": "#/components/headers/Location"}
    response = responses.setdefault(
        str(status), {"description": _SUCCESSES.get(status, op.summary), "headers": headers}
    )
    if status in (204, 303) or not media_type:
        return
    schema = main.get("content", {}).get(op.media_type, {}).get("schema", {"type": "object"})
    if media_type != "application/json":
        schema = {"type": "string"}
    response.setdefault("content", {})[media_type] = {"schema": schema}


def _operation(op: Operation, refs: dict[Any, Any], components: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {"operationId": op.name, "summary": op.summary, "tags": [op.tag]}
    if op.description:
        spec["description"] = op.description
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
        for name in op.path_params
    ]
    if op.query is not None:
        query_schema = op.query.model_json_schema(ref_template=_REF)
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            parameter = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if "description" in prop:
                parameter["description"] = prop["description"]
            parameters.append(parameter)
    if parameters:
        spec["parameters"] = parameters
    if op.body is not None:
        spec["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": _schema_ref(op.body, refs, components)}},
        }
    elif op.request_media_types:
        spec["requestBody"] = {
            "required": True,
            "content": {
                # ``format: binary`` marks a raw body (a file): generated clients take a file for it.
                media_type: {"schema": {"type": "string", "format": "binary", "minLength": 1}}
                for media_type in op.request_media_types
            },
        }

    response_headers = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}
    if op.auth is not Auth.NONE:
        response_headers.update({name: {"$ref": f"#/components/headers/{name}"} for name in _RATE_HEADERS})
    success: dict[str, Any] = {"description": op.summary, "headers": response_headers}
    if op.status == 202:
        success["headers"] = {**response_headers, "Location": {"$ref": "#/components/headers/Location"}}
    if op.status != 204:
        if op.response is not None:
            schema = _schema_ref(op.response, refs, components)
        elif op.media_type == "application/json":
            schema = {"type": "object"}
        else:
            schema = {"type": "string"}
        success["content"] = {op.media_type: {"schema": schema}}
    responses: dict[str, Any] = {str(op.status): success}
    for status, media_type in op.responses:
        _add_success(responses, status, media_type, success, op)

    codes = {500, *op.errors}
    if op.path_params:
        codes.add(404)  # an id that cannot exist is refused at the edge as not found
    if op.body is not None or op.request_media_types:
        codes |= {400, 413, 415, 422}
    if op.query is not None:
        codes |= {400, 422}
    if op.auth is not Auth.NONE:
        codes |= {401, 403, 429, 503}
    error_models: dict[str, type[BaseModel]] = {
        "legacy": LegacyError,
        "evaluation": EvaluationError,
        "concertim": ConcertimError,
    }
    error_model = error_models.get(op.error_style, ErrorResponse)
    error_ref = _schema_ref(error_model, refs, components)
    for code in sorted(codes):
        responses[str(code)] = {"description": _ERRORS[code], "content": {"application/json": {"schema": error_ref}}}
    spec["responses"] = dict(sorted(responses.items()))
    spec["security"] = _security(op.auth)
    return spec


def _security(auth: Auth) -> list[dict[str, list[str]]]:
    if auth is Auth.NONE:
        return []
    if auth is Auth.CONCERTIM:
        return [{"concertimToken": []}]
    return [{"bearerAuth": []}, {"apiKeyHeader": []}]
