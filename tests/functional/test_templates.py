"""Pod templates: built-ins (read-only) and each tenant's own, in process against Azurite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared import deps
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

BODY = {
    "name": "trainer",
    "description": "PyTorch trainer",
    "image": "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime",
    "command": ["python", "train.py"],
    "env": {"EPOCHS": "3"},
    "resources": {"gpus": 2, "cpu": 16, "ram_gb": 64, "storage_gb": 100},
    "labels": {"team": "ml"},
}


def test_builtins_are_listed_first_and_read_only(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    headers = make_tenant()["headers"]
    listing = client.get("/api/v1/templates", headers=headers).json()
    ids = [t["id"] for t in listing["items"]]
    assert ids[:2] == ["builtin:gpu-1", "builtin:cpu-small"] and listing["has_more"] is False
    gpu = client.get("/api/v1/templates/builtin:gpu-1", headers=headers).json()
    assert gpu["builtin"] is True and gpu["resources"]["gpus"] == 1 and gpu["resources"]["cpu"] == 8
    assert gpu["resources"]["ram_gb"] == 32 and "cuda" in gpu["image"]
    cpu = client.get("/api/v1/templates/builtin:cpu-small", headers=headers).json()
    assert cpu["resources"]["gpus"] == 0 and cpu["resources"]["cpu"] == 2 and cpu["resources"]["ram_gb"] == 4

    put = client.request("PUT", "/api/v1/templates/builtin:gpu-1", json=BODY, headers=headers)
    assert put.status == 409 and put.json()["error"]["code"] == "TEMPLATE_READ_ONLY"
    delete = client.request("DELETE", "/api/v1/templates/builtin:cpu-small", headers=headers)
    assert delete.status == 409 and delete.json()["error"]["code"] == "TEMPLATE_READ_ONLY"
    missing = client.get("/api/v1/templates/builtin:nope", headers=headers)
    assert missing.status == 404 and missing.json()["error"]["details"] == {"template_id": "builtin:nope"}
    shadow = client.post("/api/v1/templates", json={**BODY, "name": "GPU-1"}, headers=headers)
    assert shadow.status == 409 and shadow.json()["error"]["code"] == "TEMPLATE_NAME_TAKEN"
    assert client.get("/api/v1/templates", headers=ADMIN).status == 403


def test_crud_and_name_conflict(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = make_tenant()
    headers = tenant["headers"]
    reply = client.post("/api/v1/templates", json=BODY, headers=headers)
    assert reply.status == 201, reply.body
    created = reply.json()
    tid = created["id"]
    assert created["builtin"] is False and created["resources"]["gpus"] == 2 and created["env"] == {"EPOCHS": "3"}
    assert client.get(f"/api/v1/templates/{tid}", headers=headers).json() == created

    taken = client.post("/api/v1/templates", json={**BODY, "name": "TRAINER"}, headers=headers)
    assert taken.status == 409 and taken.json()["error"]["code"] == "TEMPLATE_NAME_TAKEN"

    other = client.post("/api/v1/templates", json={**BODY, "name": "other"}, headers=headers).json()
    clash = client.request("PUT", f"/api/v1/templates/{other['id']}", json=BODY, headers=headers)
    assert clash.status == 409 and clash.json()["error"]["code"] == "TEMPLATE_NAME_TAKEN"

    renamed = client.request("PUT", f"/api/v1/templates/{tid}", json={**BODY, "name": "trainer-v2"}, headers=headers)
    assert renamed.status == 200 and renamed.json()["name"] == "trainer-v2"
    assert renamed.json()["created_at"] == created["created_at"]
    # The old name is free again.
    assert client.post("/api/v1/templates", json=BODY, headers=headers).status == 201

    bad = client.post("/api/v1/templates", json={**BODY, "resources": {"gpus": -1}}, headers=headers)
    assert bad.status == 422
    assert client.post("/api/v1/templates", json={**BODY, "extra": 1}, headers=headers).status == 422

    assert deps.templates_service().get_template(tenant["tenant"]["id"], tid).name == "trainer-v2"
    assert client.request("DELETE", f"/api/v1/templates/{tid}", headers=headers).status == 204
    gone = client.get(f"/api/v1/templates/{tid}", headers=headers)
    assert gone.status == 404 and gone.json()["error"]["code"] == "TEMPLATE_NOT_FOUND"
    assert gone.json()["error"]["details"] == {"template_id": tid}
    assert client.request("DELETE", f"/api/v1/templates/{tid}", headers=headers).status == 404
    assert client.get("/api/v1/templates/has%23hash", headers=headers).status == 404


def test_paging_and_tenant_isolation(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    a, b = make_tenant(), make_tenant()
    made = [
        client.post("/api/v1/templates", json={**BODY, "name": f"t-{i}"}, headers=a["headers"]).json()["id"]
        for i in range(5)
    ]
    seen: list[str] = []
    first = client.get("/api/v1/templates", headers=a["headers"], params={"limit": "2"}).json()
    assert [t["builtin"] for t in first["items"]] == [True, True, False, False] and first["has_more"] is True
    seen += [t["id"] for t in first["items"] if not t["builtin"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/v1/templates", headers=a["headers"], params={"limit": "2", "cursor": cursor}).json()
        assert all(not t["builtin"] for t in page["items"]), "built-ins only on the first page"
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(made)

    # Tenant B sees only the built-ins and gets 404 for A's templates, whatever the method.
    listing = client.get("/api/v1/templates", headers=b["headers"]).json()
    assert all(t["builtin"] for t in listing["items"])
    for method, body in (("GET", None), ("PUT", BODY), ("DELETE", None)):
        reply = client.request(method, f"/api/v1/templates/{made[0]}", json=body, headers=b["headers"])
        assert reply.status == 404 and reply.json()["error"]["code"] == "TEMPLATE_NOT_FOUND", method
    # B may use the same name: names are unique per tenant only.
    assert client.post("/api/v1/templates", json={**BODY, "name": "t-0"}, headers=b["headers"]).status == 201
    assert client.get(f"/api/v1/templates/{made[0]}", headers=a["headers"]).status == 200
