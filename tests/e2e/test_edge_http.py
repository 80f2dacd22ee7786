"""The request edge over the wire, through the local host: encoded ids, HEAD, TRACE and odd verbs."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from tests.e2e.conftest import ADMIN, new_tenant
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


def test_edge_over_http(azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client) -> None:
    host = start_host(azurite)
    base = f"{host.base_url}/api"
    key = new_tenant(http, host, f"edge-{uuid.uuid4().hex[:8]}")["api_key"]["key"]
    tenant = {"X-API-Key": key}

    # %2F in an id: 404 at the edge, fast (no storage retries), the value not echoed.
    for path, code in (
        ("/v1/servers/a%2Fb", "SERVER_NOT_FOUND"),
        ("/v1/jobs/a%2Fb/logs", "JOB_NOT_FOUND"),
        ("/v1/pods/a%2F..%2Fb", "POD_NOT_FOUND"),
        ("/v1/datasets/a%5Cb", "DATASET_NOT_FOUND"),
    ):
        reply = http.get(f"{base}{path}", headers=tenant, timeout=5)
        assert reply.status_code == 404, (path, reply.text)
        assert reply.json()["error"]["code"] == code
        assert "a/b" not in reply.text
    legacy = http.delete(f"{base}/k8s/pods/a%2Fb", headers=tenant, timeout=5)
    assert legacy.status_code == 404 and legacy.json()["success"] is False

    # HEAD: GET's status and headers, no body.
    get = http.get(f"{base}/v1/me", headers=tenant)
    head = http.head(f"{base}/v1/me", headers=tenant)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    assert http.head(f"{base}/v1/servers/nope", headers=tenant).status_code == 404

    # Any other method on a known path: 405 with Allow and the envelope; unknown paths: 404 envelope.
    for method in ("TRACE", "PROPFIND", "PUT"):
        reply = http.request(method, f"{base}/v1/tenants", headers=ADMIN)
        assert reply.status_code == 405, method
        assert reply.headers["allow"] == "GET, HEAD, POST"
        assert reply.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
    for method in ("GET", "TRACE", "DELETE"):
        reply = http.request(method, f"{base}/v1/nothing-here", headers=ADMIN)
        assert reply.status_code == 404 and reply.json()["error"]["code"] == "ROUTE_NOT_FOUND"

    # Deep JSON and a missing required body.
    deep = http.post(
        f"{base}/v1/tenants", content=b"[" * 5000 + b"]" * 5000, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "MALFORMED_JSON"
    tenant_id = http.get(f"{base}/v1/me", headers=tenant).json()["tenant"]["id"]
    empty = http.post(f"{base}/v1/tenants/{tenant_id}/api-keys", headers=ADMIN)
    assert empty.status_code == 422 and empty.json()["error"]["details"]["fields"][0]["path"] == "body"
