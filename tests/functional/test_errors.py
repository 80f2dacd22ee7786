"""Every failure answers with the error envelope and the right status, never a traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, unique_slug
from tests.support.inprocess import InProcessClient, Reply


def assert_envelope(reply: Reply, status: int, code: str) -> dict[str, Any]:
    assert reply.status == status, reply.body
    assert reply.header(
        "Content-Type",
    ).startswith("application/json")  # type: ignore[union-attr]
    error = reply.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == reply.header("X-Request-ID")
    assert len(error["trace_id"]) == 32
    return error


def test_unknown_route_is_404(client: InProcessClient) -> None:
    assert_envelope(client.get("/api/v1/no-such-thing"), 404, "ROUTE_NOT_FOUND")
    assert_envelope(client.get("/api/v2/tenants"), 404, "ROUTE_NOT_FOUND")


def test_wrong_method_is_405_with_allow(client: InProcessClient) -> None:
    reply = client.request("PUT", "/api/v1/tenants", headers=ADMIN)
    error = assert_envelope(reply, 405, "METHOD_NOT_ALLOWED")
    assert reply.header("Allow") == "GET, HEAD, POST"
    assert error["details"]["allowed"] == ["GET", "HEAD", "POST"]
    assert client.request("PATCH", "/api/v1/tenants/abc", headers=ADMIN).header("Allow") == "GET, HEAD"


def test_malformed_json_is_400(client: InProcessClient) -> None:
    reply = client.post("/api/v1/tenants", body=b'{"name": ', headers={**ADMIN, "Content-Type": "application/json"})
    assert_envelope(reply, 400, "MALFORMED_JSON")


def test_wrong_content_type_is_415(client: InProcessClient) -> None:
    reply = client.post(
        "/api/v1/tenants", body=b"name=a&slug=b", headers={**ADMIN, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_envelope(reply, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_body_over_the_limit_is_413(client: InProcessClient, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_MAX_BODY_BYTES=64)
    body = json.dumps({"name": "x" * 100, "slug": "big"}).encode()
    reply = client.post("/api/v1/tenants", body=body, headers={**ADMIN, "Content-Type": "application/json"})
    error = assert_envelope(reply, 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["limit_bytes"] == 64


def test_default_body_limit_is_one_mebibyte(client: InProcessClient) -> None:
    body = b'{"name": "' + b"x" * (1024 * 1024) + b'", "slug": "big"}'
    reply = client.post("/api/v1/tenants", body=body, headers={**ADMIN, "Content-Type": "application/json"})
    assert_envelope(reply, 413, "PAYLOAD_TOO_LARGE")


def test_validation_is_422_with_each_field_path(client: InProcessClient) -> None:
    reply = client.post("/api/v1/tenants", json={"name": "", "slug": "Not A Slug", "extra": 1}, headers=ADMIN)
    error = assert_envelope(reply, 422, "VALIDATION_FAILED")
    paths = {field["path"] for field in error["details"]["fields"]}
    assert paths == {"body.name", "body.slug", "body.extra"}
    reply = client.post("/api/v1/tenants", json=["not", "an", "object"], headers=ADMIN)
    assert_envelope(reply, 422, "VALIDATION_FAILED")


def test_validation_errors_do_not_echo_input(client: InProcessClient) -> None:
    reply = client.post("/api/v1/tenants", json={"name": "ok", "slug": "SECRET-VALUE-123!"}, headers=ADMIN)
    assert reply.status == 422
    assert b"SECRET-VALUE-123" not in reply.body


def test_unhandled_exception_is_500_without_traceback(
    client: InProcessClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from shared.services.tenants import TenantsService

    def explode(*_: Any) -> None:
        raise RuntimeError("db password is hunter2")

    monkeypatch.setattr(TenantsService, "list_tenants", explode)
    with caplog.at_level(logging.ERROR, logger="cloudplane.request"):
        reply = client.get("/api/v1/tenants", headers=ADMIN)
    error = assert_envelope(reply, 500, "INTERNAL")
    assert b"hunter2" not in reply.body and b"Traceback" not in reply.body
    assert error["details"]["request_id"] == error["request_id"]
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "hunter2" in str(logged[0].exc_info[1])
    assert error["request_id"] in logged[0].getMessage()


def test_slug_conflict_keeps_first_tenant(client: InProcessClient) -> None:
    slug = unique_slug()
    first = client.post("/api/v1/tenants", json={"name": "First", "slug": slug}, headers=ADMIN).json()
    second = client.post("/api/v1/tenants", json={"name": "Second", "slug": slug}, headers=ADMIN)
    assert second.status == 409 and second.json()["error"]["code"] == "SLUG_TAKEN"
    got = client.get(f"/api/v1/tenants/{first['tenant']['id']}", headers=ADMIN).json()
    assert got["name"] == "First"
