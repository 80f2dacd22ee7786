"""The request pipeline with its guards handed in: no storage, no deps, a fake authenticator and limiter.

What is checked is the pipeline's own order and mapping: a public operation builds no guard, a
refused caller never reaches the limiter or the handler, the limiter's decision becomes headers,
and every failure (domain, validation, unexpected) becomes the envelope with its status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, Field

from shared.api.auth import Principal
from shared.api.http import ApiRequest, Result
from shared.api.pipeline import Guards, RequestContext, handle
from shared.api.ratelimit import RateDecision
from shared.api.router import Auth, Operation
from shared.errors import RateLimited, Unauthorized
from shared.models.tenants import Scope, Tenant

TENANT = Tenant(id="t" * 32, name="Acme", slug="acme", created_at=datetime(2024, 1, 1, tzinfo=UTC))
DECISION = RateDecision(route_class="default", limit=10, remaining=7, reset_seconds=42, window_seconds=60)


class FakeAuthenticator:
    def __init__(self, principal: Principal | None = None, error: Exception | None = None) -> None:
        self.principal, self.error = principal, error
        self.calls: list[tuple[Auth, str]] = []

    def authenticate(self, required: Auth, method: str, headers: Mapping[str, str]) -> Principal | None:
        self.calls.append((required, method))
        if self.error is not None:
            raise self.error
        return self.principal


class FakeLimiter:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.keys: list[tuple[str, str]] = []

    def check(self, key: str, route_class: str) -> RateDecision:
        self.keys.append((key, route_class))
        if self.error is not None:
            raise self.error
        return DECISION


def _never() -> Any:
    raise AssertionError("this guard must not be built")


def _guards(authenticator: FakeAuthenticator | None, limiter: FakeLimiter | None) -> Guards:
    return Guards(
        authenticator=(lambda: authenticator) if authenticator else _never,
        rate_limiter=(lambda: limiter) if limiter else _never,
    )


class Body(BaseModel):
    name: str = Field(min_length=1)


def _operation(handler: Any, **fields: Any) -> Operation:
    return Operation(
        name=handler.__name__, method="POST", route="v1/things", handler=handler, summary="s", tag="t", **fields
    )


def _request(body: bytes = b'{"name": "x"}', **headers: str) -> ApiRequest:
    return ApiRequest.build(
        "POST", "/api/v1/things", headers={"content-type": "application/json", **headers}, body=body
    )


def test_a_public_operation_builds_no_guard() -> None:
    operation = _operation(lambda ctx: {"ok": True}, auth=Auth.NONE, rate_class=None)
    reply = handle(operation, _request(), _guards(None, None))
    assert reply.status == 200 and json.loads(reply.body) == {"ok": True}


def test_the_caller_and_the_rate_decision_reach_the_response() -> None:
    seen: list[RequestContext] = []

    def create(ctx: RequestContext) -> Result:
        seen.append(ctx)
        return Result(body={"tenant": ctx.caller.tenant_id, "name": ctx.body.name}, status=201)

    authenticator = FakeAuthenticator(Principal(admin=False, scopes=(Scope.READ, Scope.WRITE), tenant=TENANT))
    limiter = FakeLimiter()
    reply = handle(
        _operation(create, body=Body), _request(**{"x-request-id": "req-123"}), _guards(authenticator, limiter)
    )
    assert reply.status == 201
    assert json.loads(reply.body) == {"tenant": TENANT.id, "name": "x"}
    assert authenticator.calls == [(Auth.TENANT, "POST")]
    assert limiter.keys == [(TENANT.id, "default")]
    assert reply.headers["X-RateLimit-Remaining"] == "7"
    assert reply.headers["RateLimit"] == '"default";r=7;t=42'
    assert reply.headers["X-Request-ID"] == "req-123"
    assert seen[0].body == Body(name="x")


def test_a_refused_caller_reaches_neither_the_limiter_nor_the_handler() -> None:
    limiter = FakeLimiter()
    authenticator = FakeAuthenticator(error=Unauthorized("Send an API key."))
    reply = handle(_operation(_explode), _request(), _guards(authenticator, limiter))
    assert reply.status == 401
    assert json.loads(reply.body)["error"]["code"] == "UNAUTHORIZED"
    assert limiter.keys == []


def test_a_spent_budget_is_429_before_the_handler() -> None:
    authenticator = FakeAuthenticator(Principal(admin=True, scopes=(Scope.READ, Scope.WRITE)))
    limiter = FakeLimiter(error=RateLimited("Slow down.", headers={"Retry-After": "3"}))
    reply = handle(_operation(_explode, auth=Auth.ADMIN), _request(), _guards(authenticator, limiter))
    assert reply.status == 429 and reply.headers["Retry-After"] == "3"
    assert limiter.keys == [("_admin", "default")]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"name": ""}', 422, "VALIDATION_FAILED"),
        (b"{not json", 400, "MALFORMED_JSON"),
        (b"", 422, "VALIDATION_FAILED"),
    ],
)
def test_a_bad_body_is_a_4xx_that_names_no_value(body: bytes, status: int, code: str) -> None:
    authenticator = FakeAuthenticator(Principal(admin=True, scopes=(Scope.READ, Scope.WRITE)))
    reply = handle(
        _operation(_explode, auth=Auth.ADMIN, body=Body), _request(body), _guards(authenticator, FakeLimiter())
    )
    assert reply.status == status
    assert json.loads(reply.body)["error"]["code"] == code


def test_an_unexpected_error_is_a_500_without_its_message() -> None:
    authenticator = FakeAuthenticator(Principal(admin=True, scopes=(Scope.READ, Scope.WRITE)))
    reply = handle(_operation(_explode, auth=Auth.ADMIN), _request(), _guards(authenticator, FakeLimiter()))
    assert reply.status == 500
    assert json.loads(reply.body)["error"]["code"] == "INTERNAL"
    assert b"hunter2" not in reply.body


def test_the_legacy_style_answers_in_the_seed_shape() -> None:
    authenticator = FakeAuthenticator(error=Unauthorized("Send an API key."))
    operation = _operation(_explode, error_style="legacy")
    body = json.loads(handle(operation, _request(), _guards(authenticator, FakeLimiter())).body)
    assert body["success"] is False and body["status_code"] == 401 and body["error"] == "Send an API key."


def _explode(ctx: RequestContext) -> None:
    raise RuntimeError("db password is hunter2")
