"""Call the Functions app in-process: the real triggers, routed as the hosts route them.

Faster than HTTP for the many tests of the pipeline; the e2e tests cover the wire.
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import azure.functions as func

from devhost.loader import HTTP_TRIGGER, FunctionSpec
from devhost.routing import Router
from tests.support.app_index import indexed


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return jsonlib.loads(self.body)

    def json_or_none_code(self) -> str | None:
        """The error code of an envelope, or None for any other body."""
        try:
            return str(jsonlib.loads(self.body)["error"]["code"])
        except (ValueError, KeyError, TypeError):
            return None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class InProcessClient:
    def __init__(self, app: func.FunctionApp, prefix: str = "api") -> None:
        self.router: Router[FunctionSpec] = Router(prefix)
        self.functions = [spec for spec in indexed(app) if spec.trigger_type == HTTP_TRIGGER]
        for spec in self.functions:
            self.router.add(spec.trigger.get("route") or spec.name, spec.trigger.get("methods"), spec)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Reply:
        headers = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json).encode()
            headers.setdefault("Content-Type", "application/json")
        matched = self.router.match(method, path)
        assert matched is not None, f"no function routes {method} {path}"
        spec, route_params = matched
        query = f"?{urlencode(params)}" if params else ""
        request = func.HttpRequest(
            method,
            f"http://localhost{path}{query}",
            headers=headers,
            params=params or {},
            route_params=route_params,
            body=body or b"",
        )
        response: func.HttpResponse = spec.func(**{spec.param: request})
        return Reply(
            response.status_code,
            response.get_body(),
            {k.lower(): v for k, v in response.headers.items()},
        )

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Reply:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        return self.request("DELETE", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Reply:
        return self.request("PATCH", path, **kwargs)
