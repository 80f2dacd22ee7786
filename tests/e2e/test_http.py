"""The API over the wire: statuses, envelopes, headers, docs and the request log line."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx

from tests.e2e.conftest import ADMIN, new_tenant
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


def test_a_new_user_flow_over_http(azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client) -> None:
    host = start_host(azurite)
    base = f"{host.base_url}/api"

    health = http.get(f"{base}/v1/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert http.get(f"{base}/v1/ready").json()["status"] == "ready"

    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    created = new_tenant(http, host, slug)
    key = created["api_key"]["key"]
    me = http.get(f"{base}/v1/me", headers={"X-API-Key": key})
    assert me.status_code == 200
    assert me.json()["tenant"]["slug"] == slug
    assert me.headers["X-RateLimit-Limit"] == "100000"
    assert me.headers["RateLimit-Policy"].startswith('"default";q=100000')

    assert http.get(f"{base}/v1/me").status_code == 401
    assert http.get(f"{base}/v1/tenants", headers={"X-API-Key": key}).status_code == 403
    assert http.post(f"{base}/v1/tenants", json={"name": "x", "slug": slug}, headers=ADMIN).status_code == 409

    log = host.log_text()
    lines = [json.loads(line[line.index("{") :]) for line in log.splitlines() if '"event":"request"' in line]
    mine = [line for line in lines if line["route"] == "v1/me" and line["status"] == 200]
    assert mine and mine[0]["tenant_id"] == created["tenant"]["id"]
    assert key not in log


def test_error_statuses_over_http(azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client) -> None:
    host = start_host(azurite, CLOUDPLANE_MAX_BODY_BYTES=1000)
    base = f"{host.base_url}/api"

    def code(reply: httpx.Response) -> str:
        assert reply.headers["Content-Type"].startswith("application/json")
        assert reply.json()["error"]["request_id"] == reply.headers["X-Request-ID"]
        return str(reply.json()["error"]["code"])

    assert code(http.get(f"{base}/v1/nowhere")) == "ROUTE_NOT_FOUND"
    assert code(http.get(f"{base}/nowhere/at/all")) == "ROUTE_NOT_FOUND"
    wrong = http.delete(f"{base}/v1/tenants", headers=ADMIN)
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET, HEAD, POST"
    assert code(wrong) == "METHOD_NOT_ALLOWED"
    bad_json = http.post(f"{base}/v1/tenants", content=b"{oops", headers={**ADMIN, "Content-Type": "application/json"})
    assert bad_json.status_code == 400 and code(bad_json) == "MALFORMED_JSON"
    form = http.post(f"{base}/v1/tenants", data={"name": "a"}, headers=ADMIN)
    assert form.status_code == 415 and code(form) == "UNSUPPORTED_MEDIA_TYPE"
    big = http.post(f"{base}/v1/tenants", json={"name": "x" * 2000, "slug": "big"}, headers=ADMIN)
    assert big.status_code == 413 and code(big) == "PAYLOAD_TOO_LARGE"
    invalid = http.post(f"{base}/v1/tenants", json={"slug": "UPPER"}, headers=ADMIN)
    assert invalid.status_code == 422 and code(invalid) == "VALIDATION_FAILED"
    assert {f["path"] for f in invalid.json()["error"]["details"]["fields"]} == {"body.name", "body.slug"}
    kept = http.get(f"{base}/v1/health", headers={"X-Request-ID": "trace-me-1"})
    assert kept.headers["X-Request-ID"] == "trace-me-1"


def test_cors_preflight_and_docs_over_http(
    azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client
) -> None:
    host = start_host(azurite)
    base = f"{host.base_url}/api"
    preflight = http.options(
        f"{base}/v1/tenants", headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example.com"

    page = http.get(f"{base}/docs")
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    script = http.get(f"{base}/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and script.headers["Content-Type"].endswith("javascript")
    document = http.get(f"{base}/v1/openapi.json").json()
    assert "/api/v1/tenants" in document["paths"]
