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

ErrorStyle = Literal["envelope", "legacy"]


class Auth(StrEnum):
    """Who may call an operation."""

    NONE = "none"
    TENANT = "tenant"
    ADMIN = "admin"
    ANY = "any"  # a tenant key or the admin key


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
    """``envelope`` (the API's error envelope) or ``legacy`` (seed 000's ``{"success": false, ...}``)."""

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

    def methods_for(self, path: str) -> list[str]:
        """Methods served at ``path`` (a concrete path such as ``/api/v1/tenants/abc``)."""
        return sorted({op.method for op in self._operations if op.pattern.match(path)})

    def error_style_for(self, path: str) -> ErrorStyle:
        """``legacy`` when every operation at ``path`` answers errors in the seed's shape (for a 405)."""
        styles = {op.error_style for op in self._operations if op.pattern.match(path)}
        return "legacy" if styles == {"legacy"} else "envelope"


ROUTES = RouteTable()
