"""The OpenAPI document is valid, covers every HTTP function, and every path in it is served."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

# The catch-all answers what no operation matches; it is not an operation itself.
NOT_OPERATIONS = {"fallback"}


@pytest.fixture(scope="module")
def document(client: InProcessClient) -> dict[str, Any]:
    reply = client.get("/api/v1/openapi.json")
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
        for method in spec.trigger["methods"]:
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
