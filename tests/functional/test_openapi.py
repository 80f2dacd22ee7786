"""The OpenAPI document is valid, covers every HTTP function, and every path in it is served."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from openapi_spec_validator import validate

from shared import deps
from shared.api.router import ROUTES, Auth, Operation
from shared.jobs.store import WORK_QUEUE
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient, Reply

# The catch-all answers what no operation matches; it is not an operation itself.
NOT_OPERATIONS = {"fallback"}


# Concertim's paths exist only with their secret set (docs/compat.md): on here, so they are checked too.
SURFACES_ON = {"CLOUDPLANE_CONCERTIM_JWT_SECRET": "openapi-test-concertim-secret-" + "0" * 40}


@pytest.fixture(autouse=True)
def surfaces_on(app_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SURFACES_ON.items():
        monkeypatch.setenv(name, value)
    deps.reset()


@pytest.fixture(scope="module")
def document(client: InProcessClient) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SURFACES_ON.items():
            patch.setenv(name, value)
        deps.reset()
        reply = client.get("/api/v1/openapi.json")
    deps.reset()
    assert reply.status == 200
    return reply.json()  # type: ignore[no-any-return]


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_http_function_is_documented(client: InProcessClient, document: dict[str, Any]) -> None:
    documented = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    functions = client.functions
    assert functions, "no HTTP function was indexed"
    for spec in functions:
        if spec.name in NOT_OPERATIONS:
            continue
        path = "/api/" + spec.trigger["route"]
        methods = spec.trigger["methods"]
        if "GET" in methods:
            assert "HEAD" in methods, f"{spec.name}: HEAD must be served with GET"
        for method in methods:
            if method == "HEAD" and "GET" in methods:
                continue  # HEAD is GET without the body (RFC 9110), implied by the GET operation
            assert (method, path) in documented, f"{spec.name}: {method} {path} is not in the document"
    operation_ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert len(operation_ids) == len(functions) - len(NOT_OPERATIONS)


def test_every_documented_path_is_served(client: InProcessClient, document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        for method in operations:
            matched = client.router.match(method.upper(), concrete)
            assert matched is not None and matched[0].name not in NOT_OPERATIONS, f"{method} {path} is not served"
            reply = client.request(method.upper(), concrete, headers=ADMIN, json={} if method != "get" else None)
            assert reply.status != 405 and reply.json_or_none_code() != "ROUTE_NOT_FOUND", f"{method} {path}"


def test_models_and_errors_are_described(document: dict[str, Any]) -> None:
    create = document["paths"]["/api/v1/tenants"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TenantCreate"
    }
    assert {"201", "401", "403", "409", "422", "429"} <= set(create["responses"])
    schemas = document["components"]["schemas"]
    assert {"TenantCreate", "TenantCreated", "ErrorResponse", "Me"} <= set(schemas)
    assert schemas["TenantCreate"]["properties"]["slug"]["pattern"]
    listing = document["paths"]["/api/v1/tenants"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"limit", "cursor"}
    assert document["paths"]["/api/v1/health"]["get"]["security"] == []
    assert create["security"] == [{"bearerAuth": []}, {"apiKeyHeader": []}]


def test_docs_page_uses_packaged_assets(client: InProcessClient) -> None:
    page = client.get("/api/docs")
    assert page.status == 200
    assert page.header(
        "Content-Type",
    ).startswith("text/html")  # type: ignore[union-attr]
    html = page.body.decode()
    assert "https://" not in html and "http://" not in html, "the page must not load from a CDN"
    for asset in re.findall(r'(?:src|href)="(docs/assets/[^"]+)"', html):
        reply = client.get(f"/api/{asset}")
        assert reply.status == 200, asset
        assert len(reply.body) > 1000
    assert client.get("/api/docs/assets/..%2Fsecret").status == 404
    assert client.get("/api/docs/assets/nope.js").json()["error"]["code"] == "ASSET_NOT_FOUND"


# --- the document tells the truth -----------------------------------------------------------

# Successes a handler answers beside its operation's main status (from the services'
# code: replays, immediate outcomes, downloads). A new one must be added here and declared
# on its endpoint, or this test fails.
HANDLER_SUCCESSES: dict[str, set[tuple[int, str]]] = {
    "submit_job": {(200, "application/json"), (202, "application/json")},
    "cancel_job": {(200, "application/json"), (202, "application/json")},
    "get_job_results": {(200, "application/json"), (200, "text/csv"), (303, "")},
    "get_console": {(304, "")},
    "get_console_file": {(200, "text/javascript"), (200, "text/css"), (200, "image/svg+xml"), (304, "")},
}


def _statuses_the_pipeline_can_answer(op: Operation) -> set[int]:
    codes = {500}
    if op.path_params:
        codes.add(404)
    if op.body is not None or op.request_media_types:
        codes |= {400, 413, 415, 422}
    if op.query is not None:
        codes.add(422)
        if "cursor" in op.query.model_fields:
            codes.add(400)
    if op.auth is not Auth.NONE:
        codes |= {401, 403, 429, 503}
    return codes


def test_every_status_an_operation_can_answer_is_documented(document: dict[str, Any]) -> None:
    for op in ROUTES:
        documented = document["paths"][op.path][op.method.lower()]["responses"]
        expected = _statuses_the_pipeline_can_answer(op) | {op.status}
        missing = {str(code) for code in expected} - set(documented)
        assert not missing, f"{op.name}: {sorted(missing)} not documented"
        for status, media_type in HANDLER_SUCCESSES.get(op.name, set()):
            assert str(status) in documented, f"{op.name}: {status} not documented"
            if media_type:
                assert media_type in documented[str(status)].get("content", {}), f"{op.name}: {status} {media_type}"
            if status == 303:
                assert "Location" in documented["303"]["headers"]


def test_request_bodies_are_declared_with_their_media_types(document: dict[str, Any]) -> None:
    upload = document["paths"]["/api/v1/datasets"]["post"]["requestBody"]
    assert upload["required"] is True
    assert {"text/csv", "application/x-ndjson", "application/jsonl", "application/octet-stream"} <= set(
        upload["content"]
    )
    for op in ROUTES:
        spec = document["paths"][op.path][op.method.lower()]
        if op.body is not None:
            assert spec["requestBody"]["required"] is op.body_required, op.name
    assert document["paths"]["/api/v1/jobs/{job_id}/retry"]["post"]["requestBody"]["required"] is False
    assert document["paths"]["/api/v1/tenants/{tenant_id}/api-keys"]["post"]["requestBody"]["required"] is True


def test_an_optional_body_is_one_whose_model_has_only_defaults() -> None:
    for op in ROUTES:
        if op.body is not None and not op.body_required:
            assert not [name for name, f in op.body.model_fields.items() if f.is_required()], op.name


def _assert_documented(document: dict[str, Any], method: str, path: str, reply: Reply) -> None:
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(reply.status) in responses, f"{method} {path}: {reply.status} is not documented"
    media_type = (reply.header("content-type") or "").split(";")[0].strip()
    if reply.body:
        assert media_type in responses[str(reply.status)].get("content", {}), f"{method} {path}: {media_type}"


def test_observed_answers_of_jobs_are_documented(
    client: InProcessClient,
    document: dict[str, Any],
    make_tenant: Callable[..., dict[str, Any]],
    configure: Callable[..., None],
) -> None:
    from tests.functional.test_jobs import drain, echo

    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    tenant = make_tenant()
    headers = {**tenant["headers"], "Idempotency-Key": "openapi-truth"}
    first = echo(client, tenant, headers, items=30, batch_size=10)
    replay = echo(client, tenant, headers, items=30, batch_size=10)
    assert (first.status, replay.status) == (202, 200)
    for reply in (first, replay):
        _assert_documented(document, "POST", "/api/v1/jobs", reply)

    queued = echo(client, tenant, items=5).json()
    cancelled = client.delete(f"/api/v1/jobs/{queued['id']}", headers=tenant["headers"])
    assert cancelled.status == 200
    _assert_documented(document, "DELETE", "/api/v1/jobs/{job_id}", cancelled)

    drain()
    job_id = first.json()["id"]
    results = "/api/v1/jobs/{job_id}/results"
    for fmt in ("json", "csv"):
        reply = client.get(f"/api/v1/jobs/{job_id}/results", headers=tenant["headers"], params={"format": fmt})
        assert reply.status == 200
        _assert_documented(document, "GET", results, reply)
    configure(CLOUDPLANE_RESULTS_INLINE_MAX_BYTES=10)
    redirected = client.get(f"/api/v1/jobs/{job_id}/results", headers=tenant["headers"])
    assert redirected.status == 303 and redirected.header("Location")
    _assert_documented(document, "GET", results, redirected)


def test_creating_operations_link_to_the_operations_on_what_they_created(document: dict[str, Any]) -> None:
    jobs = document["paths"]["/api/v1/jobs"]["post"]["responses"]["202"]["links"]
    assert jobs["get_job"] == {"operationId": "get_job", "parameters": {"job_id": "$response.body#/id"}}
    assert {"cancel_job", "get_job_results", "get_job_logs", "retry_job"} <= set(jobs)
    tenants = document["paths"]["/api/v1/tenants"]["post"]["responses"]["201"]["links"]
    assert tenants["get_tenant"]["parameters"] == {"tenant_id": "$response.body#/tenant/id"}
    servers = document["paths"]["/api/v1/servers"]["post"]["responses"]["201"]["links"]
    assert servers["get_server"]["parameters"] == {"server_id": "$response.body#/id"}


def test_path_ids_are_documented_with_the_rule_the_edge_applies(document: dict[str, Any]) -> None:
    parameter = document["paths"]["/api/v1/jobs/{job_id}"]["get"]["parameters"][0]
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.fullmatch("job_0123abcd") and pattern.fullmatch("x" * 128)
    for refused in ("a/b", "a\\b", "a#b", "a?b", "a\x00b", "x" * 129, ""):
        assert not pattern.fullmatch(refused), refused
