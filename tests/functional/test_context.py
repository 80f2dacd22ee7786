"""Request ids, trace context, the request log line, CORS and health."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "cloudplane.request"
        and r.getMessage().startswith("{")
        and json.loads(r.getMessage()).get("event") == "request"
    ]


def test_every_response_has_a_request_id_and_a_sane_one_is_kept(client: InProcessClient) -> None:
    generated = client.get("/api/v1/health")
    assert re.fullmatch(r"req_[0-9a-f]{24}", generated.header("X-Request-ID") or "")
    kept = client.get("/api/v1/health", headers={"X-Request-ID": "client-id-42"})
    assert kept.header("X-Request-ID") == "client-id-42"
    replaced = client.get("/api/v1/health", headers={"X-Request-ID": "bad\r\nInjected: yes"})
    assert re.fullmatch(r"req_[0-9a-f]{24}", replaced.header("X-Request-ID") or "")
    assert re.fullmatch(r"req_[0-9a-f]{24}", client.get("/api/v1/nowhere").header("X-Request-ID") or "")


def test_traceparent_trace_id_reaches_errors_and_logs(
    client: InProcessClient, caplog: pytest.LogCaptureFixture, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = make_tenant()
    with caplog.at_level(logging.INFO, logger="cloudplane.request"):
        reply = client.get("/api/v1/tenants/missing", headers={**ADMIN, "traceparent": TRACEPARENT})
        client.get("/api/v1/me", headers={**tenant["headers"], "traceparent": TRACEPARENT, "X-Request-ID": "me-call"})
    assert reply.json()["error"]["trace_id"] == TRACE_ID
    lines = request_lines(caplog)
    assert [line["trace_id"] for line in lines] == [TRACE_ID, TRACE_ID]
    me = lines[1]
    assert me["method"] == "GET" and me["route"] == "v1/me" and me["status"] == 200
    assert me["tenant_id"] == tenant["tenant"]["id"] and me["request_id"] == "me-call"
    assert isinstance(me["duration_ms"], float)


def test_invalid_traceparent_starts_a_new_trace(client: InProcessClient) -> None:
    reply = client.get("/api/v1/nowhere", headers={"traceparent": "00-" + "0" * 32 + "-00f067aa0ba902b7-01"})
    trace_id = reply.json()["error"]["trace_id"]
    assert trace_id != "0" * 32 and len(trace_id) == 32


def test_logs_carry_no_key(
    client: InProcessClient, caplog: pytest.LogCaptureFixture, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    with caplog.at_level(logging.DEBUG):
        tenant = make_tenant()
        client.get("/api/v1/me", headers=tenant["headers"])
        client.get("/api/v1/me", headers={"Authorization": "Bearer cpk_0000000000000000_" + "Z" * 43})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert tenant["key"] not in text
    assert tenant["key"].split("_", 2)[2] not in text
    assert ADMIN["Authorization"].split()[1] not in text


def test_cors_for_allowed_origins_only(client: InProcessClient, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_CORS_ORIGINS="https://app.example.com, https://admin.example.com")
    allowed = client.get("/api/v1/health", headers={"Origin": "https://app.example.com"})
    assert allowed.header("Access-Control-Allow-Origin") == "https://app.example.com"
    assert "X-Request-ID" in (allowed.header("Access-Control-Expose-Headers") or "")
    other = client.get("/api/v1/health", headers={"Origin": "https://evil.example.com"})
    assert other.header("Access-Control-Allow-Origin") is None

    preflight = client.request(
        "OPTIONS",
        "/api/v1/tenants",
        headers={"Origin": "https://admin.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Origin") == "https://admin.example.com"
    assert "POST" in (preflight.header("Access-Control-Allow-Methods") or "")
    assert "Authorization" in (preflight.header("Access-Control-Allow-Headers") or "")
    assert client.request("OPTIONS", "/api/v1/nowhere", headers={"Origin": "https://app.example.com"}).status == 404


def test_health_needs_no_key_and_no_storage(client: InProcessClient, configure: Callable[..., None]) -> None:
    configure(
        AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        "AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;"
    )
    reply = client.get("/api/v1/health")
    assert reply.status == 200
    assert reply.json()["status"] == "ok"


def test_ready_checks_each_storage_service(client: InProcessClient) -> None:
    reply = client.get("/api/v1/ready")
    assert reply.status == 200
    body = reply.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"table", "queue", "blob"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
