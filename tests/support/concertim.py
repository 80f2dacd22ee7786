"""Concertim's tokens and error shape, for the tests of ``/api/concertim/``."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt

from tests.support.inprocess import Reply

SECRET = "concertim-shared-secret-for-tests-" + "0123456789abcdef" * 3
CONCERTIM_ERROR_FIELDS = {"success", "error", "message", "status_code", "details", "request_id"}
BILLING = (
    "get_draft_invoice",
    "list_paginated_invoices",
    "get_account_invoice",
    "credits",
    "get_credits",
    "create_order",
    "delete_order",
    "add_order_tag",
)


def token(secret: str = SECRET, algorithm: str = "HS256", **claims: Any) -> str:
    payload = {"exp": int(time.time()) + 300, "iat": int(time.time()), **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, algorithm=algorithm)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def unsigned(payload: dict[str, Any], alg: str = "none", signature: str = "") -> str:
    """A token with ``alg`` in its header and the given signature part (none at all by default)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(payload)}.{signature}"


def assert_concertim_error(reply: Reply, status: int, code: str | None = None) -> dict[str, Any]:
    assert reply.status == status, reply.body
    body = reply.json()
    assert set(body) == CONCERTIM_ERROR_FIELDS, body
    assert body["success"] is False and body["status_code"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == reply.header("X-Request-ID")
    assert "Traceback" not in reply.body.decode() and "Bearer ey" not in reply.body.decode()
    if code is not None:
        assert body["error"] == code, body
    return dict(body)


def turn_on(
    configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]], **settings: Any
) -> dict[str, Any]:
    """The surface on, acting for a fresh tenant (returned), with any further settings."""
    tenant = make_tenant("Concertim")
    configure(CLOUDPLANE_CONCERTIM_JWT_SECRET=SECRET, CLOUDPLANE_CONCERTIM_TENANT=tenant["tenant"]["id"], **settings)
    return tenant
