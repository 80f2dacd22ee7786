"""The route table: every HTTP operation, declared once.

The triggers in ``functions/`` register each operation here as they are declared; the
pipeline reads it to authenticate, rate-limit and validate, the OpenAPI document is
generated from it, and the catch-all function uses it to tell a 405 from a 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

ROUTE_PREFIX = "api"

ErrorStyle = Literal["envelope", "legacy", "evaluation", "concertim"]
"""``envelope`` (the API's error envelope), ``legacy`` (seed 000's ``{"success": false, ...}``),
``evaluation`` (seed 002's ``{"error": {code, message, details}}`` with its codes and the trace id in details)
or ``concertim`` (seed 004's ``{"success": false, "error", "message"}``)."""


class Auth(StrEnum):
    """Who may call an operation."""

    NONE = "none"
    TENANT = "tenant"
    ADMIN = "admin"
    ANY = "any"  # a tenant key or the admin key
    CONCERTIM = "concertim"  # Concertim's HS256 token, acting for the tenant the settings name


@dataclass(frozen=True)
class Operation:
    """One HTTP operation: method, route (without the ``api/`` prefix), contract and handler."""

    name: str
    method: str
    route: str
    handler: Callable[..., Any]
    summary: str
    tag: str
    auth: Auth = Auth.TENANT
    rate_class: str | None = "default"
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    media_type: str = "application/json"
    description: str | None = None
    errors: tuple[int, ...] = ()
    path_params: tuple[str, ...] = field(default=())
    body_limit: str = "max_body_bytes"
    """The Settings attribute that caps this operation's body (uploads take a larger one)."""
    error_style: ErrorStyle = "envelope"
    """How failures are shaped: see ``ErrorStyle``."""
    body_required: bool = True
    """Whether a ``body`` operation needs one; when not, no body means the model's defaults."""
    responses: tuple[tuple[int, str], ...] = ()
    """Other successes it can answer, as (status, media type), e.g. an idempotent replay's 200."""
    request_media_types: tuple[str, ...] = ()
    """For an operation that reads the raw body itself (no ``body`` model): the media types it takes."""
    switch: str | None = None
    """A Settings attribute that must be true for the operation to exist: while it is false the
    operation answers the 404 of a path no route matches (a surface that is off, such as Concertim's)."""

    def is_on(self, settings: Any) -> bool:
        """Whether the operation exists under ``settings`` (always, without a ``switch`` or settings)."""
        return self.switch is None or settings is None or bool(getattr(settings, self.switch))

    @property
    def path(self) -> str:
        """The public path, as the OpenAPI document shows it."""
        return f"/{ROUTE_PREFIX}/{self.route}"

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.path)


_PARAM = re.compile(r"\{\*?([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\??\}")


def path_params_of(route: str) -> tuple[str, ...]:
    return tuple(_PARAM.findall(route))


def _compile(path: str) -> re.Pattern[str]:
    pattern = ""
    position = 0
    for match in _PARAM.finditer(path):
        pattern += re.escape(path[position : match.start()])
        catch_all = match.group(0).startswith("{*")
        pattern += f"(?P<{match.group(1)}>.*)" if catch_all else f"(?P<{match.group(1)}>[^/]+)"
        position = match.end()
    pattern += re.escape(path[position:])
    return re.compile(f"^{pattern}/?$", re.IGNORECASE)


class RouteTable:
    """The operations in declaration order."""

    def __init__(self) -> None:
        self._operations: list[Operation] = []

    def add(self, operation: Operation) -> Operation:
        for existing in self._operations:
            if existing.name == operation.name:
                raise ValueError(f"operation {operation.name!r} declared twice")
            if existing.method == operation.method and existing.route == operation.route:
                raise ValueError(f"{operation.method} {operation.route} declared twice")
        self._operations.append(operation)
        return operation

    def __iter__(self) -> Iterator[Operation]:
        return iter(self._operations)

    def methods_for(self, path: str, settings: Any = None) -> list[str]:
        """Methods served at ``path`` (a concrete path such as ``/api/v1/tenants/abc``); HEAD with GET.

        With ``settings``, an operation whose ``switch`` is off is left out (its path does not exist)."""
        methods = {op.method for op in self._operations if op.pattern.match(path) and op.is_on(settings)}
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)

    def error_style_for(self, path: str) -> ErrorStyle:
        """The style every operation at ``path`` shares (a seed's shape for a 405 on its path), else the envelope."""
        styles = {op.error_style for op in self._operations if op.pattern.match(path)}
        return styles.pop() if len(styles) == 1 else "envelope"


ROUTES = RouteTable()


@dataclass(frozen=True)
class PathResource:
    """What a path parameter names, for the 404 of an id the edge refuses."""

    noun: str
    not_found_code: str


PATH_RESOURCES: dict[str, PathResource] = {
    "tenant_id": PathResource("Tenant", "TENANT_NOT_FOUND"),
    "key_id": PathResource("API key", "API_KEY_NOT_FOUND"),
    "mapping_id": PathResource("Identity mapping", "IDENTITY_MAPPING_NOT_FOUND"),
    "server_id": PathResource("Server", "SERVER_NOT_FOUND"),
    "pod_id": PathResource("Pod", "POD_NOT_FOUND"),
    "job_id": PathResource("Job", "JOB_NOT_FOUND"),
    "dataset_id": PathResource("Dataset", "DATASET_NOT_FOUND"),
    "template_id": PathResource("Template", "TEMPLATE_NOT_FOUND"),
    "asset": PathResource("Docs asset", "ASSET_NOT_FOUND"),
    "file": PathResource("Console file", "CONSOLE_FILE_NOT_FOUND"),
}
"""Each path parameter's resource, with the code its service answers for an id it does not have:
an id refused at the edge gets the same 404 as a well-formed id that does not exist."""


def path_resource(name: str) -> PathResource:
    return PATH_RESOURCES.get(name) or PathResource("Resource", "NOT_FOUND")
