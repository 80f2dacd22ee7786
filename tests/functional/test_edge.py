"""The request edge refuses what would break a layer behind it, with a 4xx and no echo.

Deep JSON, ids that storage cannot hold, a missing required body, booleans for numbers,
HEAD and unknown methods: each used to answer 500, 503, 405 or an empty 404, or to be
silently accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from shared.api.router import ROUTES, Auth
from tests.functional.conftest import ADMIN
from tests.functional.test_errors import assert_envelope
from tests.support.concertim import bearer, token, turn_on
from tests.support.inprocess import InProcessClient

JSON_HEADERS = {**ADMIN, "Content-Type": "application/json"}


# --- JSON nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 1_000, 50_000])
def test_json_nested_too_deep_is_400_on_every_json_route(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    configure: Callable[..., None],
    depth: int,
) -> None:
    tenant_headers = {**make_tenant()["headers"], "Content-Type": "application/json"}
    concertim_headers = {**bearer(token()), "Content-Type": "application/json"}
    turn_on(configure, make_tenant)  # Concertim's paths exist only with their secret set
    body = ("[" * depth + "]" * depth).encode()
    operations = [op for op in ROUTES if op.body is not None]
    assert len(operations) >= 10
    for op in operations:
        path = re.sub(r"\{[^}]+\}", "x", op.path)
        headers = {Auth.ADMIN: JSON_HEADERS, Auth.CONCERTIM: concertim_headers}.get(op.auth, tenant_headers)
        reply = client.request(op.method, path, body=body, headers=headers)
        assert reply.status == 400, (op.name, reply.body[:200])
        answer = reply.json()
        if op.error_style == "evaluation":  # seed 002's shape: its code, the precise one in details
            assert answer["error"]["code"] == "INVALID_REQUEST"
            assert answer["error"]["details"]["code"] == "MALFORMED_JSON"
        elif op.error_style == "concertim":  # seed 004's shape: the code is "error"
            assert answer["error"] == "MALFORMED_JSON"
        else:
            assert (answer.get("code") or answer["error"]["code"]) == "MALFORMED_JSON"


def test_json_at_the_depth_limit_is_parsed_and_validated(client: InProcessClient) -> None:
    nested: Any = "leaf"
    for _ in range(63):
        nested = {"k": nested}
    reply = client.post("/api/v1/tenants", json={"name": "deep", "slug": "deep-x", "extra": nested}, headers=ADMIN)
    assert_envelope(reply, 422, "VALIDATION_FAILED")  # parsed (depth 64), then refused by the model


def test_brackets_inside_strings_do_not_count_as_nesting(client: InProcessClient) -> None:
    reply = client.post("/api/v1/tenants", json={"name": "[" * 5000, "slug": "{" * 5000}, headers=ADMIN)
    assert_envelope(reply, 422, "VALIDATION_FAILED")


def test_a_deep_cursor_is_invalid_cursor_not_500(client: InProcessClient) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(b"[" * 3000).decode().rstrip("=")
    reply = client.get("/api/v1/tenants", params={"cursor": cursor}, headers=ADMIN)
    assert_envelope(reply, 400, "INVALID_CURSOR")


# --- ids in the path ------------------------------------------------------------------------

BAD_IDS = ["a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "a%00b", "a%0Ab", "a%7Fb", "x" * 129]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_storage_cannot_hold_are_404_before_storage(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], bad: str
) -> None:
    tenant = make_tenant()
    headers = tenant["headers"]
    tenant_id = tenant["tenant"]["id"]
    cases = [
        ("GET", f"/api/v1/servers/{bad}", headers, "SERVER_NOT_FOUND", "server_id"),
        ("DELETE", f"/api/v1/pods/{bad}", headers, "POD_NOT_FOUND", "pod_id"),
        ("GET", f"/api/v1/jobs/{bad}/results", headers, "JOB_NOT_FOUND", "job_id"),
        ("GET", f"/api/v1/datasets/{bad}", headers, "DATASET_NOT_FOUND", "dataset_id"),
        ("GET", f"/api/v1/templates/{bad}", headers, "TEMPLATE_NOT_FOUND", "template_id"),
        ("GET", f"/api/v1/tenants/{bad}", ADMIN, "TENANT_NOT_FOUND", "tenant_id"),
        ("DELETE", f"/api/v1/tenants/{tenant_id}/api-keys/{bad}", ADMIN, "API_KEY_NOT_FOUND", "key_id"),
    ]
    for method, path, auth, code, parameter in cases:
        reply = client.request(method, path, headers=auth)
        error = assert_envelope(reply, 404, code)
        assert error["details"] == {"parameter": parameter}
        assert "x" * 129 not in reply.body.decode() and "a/b" not in reply.body.decode()
    legacy = client.get(f"/api/k8s/pods/{bad}", headers=headers)
    assert legacy.status == 404 and legacy.json()["code"] == "POD_NOT_FOUND" and legacy.json()["success"] is False


def test_an_id_at_the_length_bound_reaches_the_service(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    reply = client.get("/api/v1/servers/" + "x" * 128, headers=make_tenant()["headers"])
    error = assert_envelope(reply, 404, "SERVER_NOT_FOUND")
    assert error["details"] == {"server_id": "x" * 128}  # the service's own 404, which names the id


def test_a_bad_id_without_a_key_is_still_401(client: InProcessClient) -> None:
    assert_envelope(client.get("/api/v1/servers/a%2Fb"), 401, "UNAUTHORIZED")


# --- required bodies ------------------------------------------------------------------------


def test_missing_required_body_is_422_naming_body(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    for body in (b"", b"  \n"):
        reply = client.post(f"/api/v1/tenants/{tenant_id}/api-keys", body=body, headers=JSON_HEADERS)
        error = assert_envelope(reply, 422, "VALIDATION_FAILED")
        assert [field["path"] for field in error["details"]["fields"]] == ["body"]
    keys = client.get(f"/api/v1/tenants/{tenant_id}/api-keys", headers=ADMIN).json()["items"]
    assert len(keys) == 1, "no key may be created without a body"
    created = client.post(f"/api/v1/tenants/{tenant_id}/api-keys", json={}, headers=ADMIN)
    assert created.status == 201 and created.json()["scopes"] == ["read", "write"]  # {} keeps working


def test_an_optional_body_may_be_left_out(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    reply = client.post("/api/v1/jobs/job_nope/retry", headers=make_tenant()["headers"])
    assert_envelope(reply, 404, "JOB_NOT_FOUND")  # reached the service: no 422 for the missing body


# --- booleans are not numbers -----------------------------------------------------------------


def test_booleans_are_refused_for_numbers(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    headers = make_tenant()["headers"]
    for field, value in (("storage_gb", False), ("gpus", True), ("cpu", True), ("ram_gb", False)):
        body = {"name": "t", "image": "busybox", "resources": {field: value}}
        reply = client.post("/api/v1/templates", json=body, headers=headers)
        error = assert_envelope(reply, 422, "VALIDATION_FAILED")
        assert [f["path"] for f in error["details"]["fields"]] == [f"body.resources.{field}"]
    reply = client.post(
        "/api/v1/templates", json={"name": "t", "image": "busybox", "resources": {"gpus": 1, "cpu": 2}}, headers=headers
    )
    assert reply.status == 201 and reply.json()["resources"]["cpu"] == 2.0  # ints still fill floats


def test_query_numbers_still_arrive_as_strings(client: InProcessClient) -> None:
    assert client.get("/api/v1/tenants", params={"limit": "2"}, headers=ADMIN).status == 200
    assert_envelope(client.get("/api/v1/tenants", params={"limit": "true"}, headers=ADMIN), 422, "VALIDATION_FAILED")


# --- methods --------------------------------------------------------------------------------


def test_head_is_served_wherever_get_is(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    headers = make_tenant()["headers"]
    for path in ("/api/v1/health", "/api/v1/me", "/api/v1/servers", "/api/v1/openapi.json"):
        get, head = client.get(path, headers=headers), client.request("HEAD", path, headers=headers)
        assert head.status == get.status == 200, path
        assert head.header("content-type") == get.header("content-type")
    missing = client.request("HEAD", "/api/v1/servers/nope", headers=headers)
    assert missing.status == 404  # the same status GET answers


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "HEAD"])
def test_other_methods_on_a_known_path_are_405_with_allow(client: InProcessClient, method: str) -> None:
    reply = client.request(method, "/api/v1/tenants/abc/api-keys/def", headers=ADMIN)
    error = assert_envelope(reply, 405, "METHOD_NOT_ALLOWED")
    assert reply.header("Allow") == "DELETE"
    assert method not in error["message"]


def test_allow_lists_head_beside_get(client: InProcessClient) -> None:
    reply = client.request("TRACE", "/api/v1/tenants", headers=ADMIN)
    assert reply.status == 405 and reply.header("Allow") == "GET, HEAD, POST"


@pytest.mark.parametrize("method", ["GET", "TRACE", "PATCH", "FOO"])
def test_unknown_paths_are_404_with_the_envelope_for_any_method(client: InProcessClient, method: str) -> None:
    reply = client.request(method, "/api/v1/<script>nope", headers=ADMIN)
    error = assert_envelope(reply, 404, "ROUTE_NOT_FOUND")
    assert "<script>" not in json.dumps(error)


# --- no echo --------------------------------------------------------------------------------


def test_errors_do_not_echo_label_keys_env_names_or_unknown_fields(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    headers = make_tenant()["headers"]
    marker = "SECRET-<b>value"
    bodies = [
        {"server_id": "auto", "name": "p", "image": "busybox", "labels": {marker: "x"}},
        {"server_id": "auto", "name": "p", "image": "busybox", "env": {marker: "x"}},
        {"server_id": "auto", "name": "p", "image": "busybox", marker: 1},
        {"server_id": "auto", "name": "p", "image": "busybox", "env": {marker: 5}},
    ]
    for body in bodies:
        reply = client.post("/api/v1/pods", json=body, headers=headers)
        assert_envelope(reply, 422, "VALIDATION_FAILED")
        assert "SECRET" not in reply.body.decode(), reply.body
    server = {"name": "s", "api_url": "https://127.0.0.1:1", "labels": {marker: "x"}}
    reply = client.post("/api/v1/servers", json=server, headers=headers)
    assert reply.status == 422 and "SECRET" not in reply.body.decode()
    reply = client.post("/api/v1/tenants", body=b"x", headers={**ADMIN, "Content-Type": f"text/{marker}"})
    assert reply.status == 415 and "SECRET" not in reply.body.decode()


def test_ids_in_bodies_and_queries_follow_the_same_rule(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    headers = make_tenant()["headers"]
    pod = {"server_id": "a/b", "name": "p", "image": "busybox"}
    error = assert_envelope(client.post("/api/v1/pods", json=pod, headers=headers), 422, "VALIDATION_FAILED")
    assert [f["path"] for f in error["details"]["fields"]] == ["body.server_id"]
    listing = client.get("/api/v1/pods", params={"server_id": "a#b"}, headers=headers)
    assert_envelope(listing, 422, "VALIDATION_FAILED")
    legacy = client.post("/api/k8s/pods", json={**pod, "resources": {"gpus": 0}}, headers=headers)
    assert legacy.status == 422 and legacy.json()["success"] is False


@pytest.mark.parametrize(
    ("job_type", "configuration", "path"),
    [
        ("bulk_evaluation", {"data_source": "ds/../x"}, "body.configuration.data_source"),
        ("pods.deploy", {"name": "x", "image": "y", "server_ids": ["ok", "a#b"]}, "body.configuration.server_ids.1"),
    ],
)
def test_ids_inside_job_configurations_follow_the_same_rule(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    job_type: str,
    configuration: dict[str, Any],
    path: str,
) -> None:
    headers = make_tenant()["headers"]
    body = {"type": job_type, "name": "ids", "configuration": configuration}
    error = assert_envelope(client.post("/api/v1/jobs", json=body, headers=headers), 422, "VALIDATION_FAILED")
    assert path in [field["path"] for field in error["details"]["fields"]]
