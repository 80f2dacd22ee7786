"""Framework-neutral request and response types.

The pipeline works on these so that it can run under the Functions host, the local host
and a unit test alike; ``functions/_http.py`` converts from and to ``azure.functions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = "application/json"


@dataclass(frozen=True)
class ApiRequest:
    """An incoming request; header names are lower-cased once here."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    route_params: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        route_params: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> ApiRequest:
        return cls(
            method=method.upper(),
            path=path,
            headers={k.lower(): v for k, v in (headers or {}).items()},
            query=dict(query or {}),
            route_params=dict(route_params or {}),
            body=body,
        )

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class ApiResponse:
    """An outgoing response; the pipeline adds the common headers to ``headers``."""

    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Result:
    """What a handler returns when the operation's default status or headers do not fit."""

    body: Any = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
