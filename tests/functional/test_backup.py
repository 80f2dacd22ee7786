"""Backup and restore of servers and templates (``servers:export`` / ``servers:import``)."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devhost.routing import Router
from shared import deps
from shared.api.router import ROUTES
from tests.functional.conftest import ADMIN, KEY_A, KEY_B
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator

pytestmark = pytest.mark.usefixtures("cluster_settings")


TEMPLATE = {"name": "trainer", "image": "pytorch/pytorch:2.3.0", "resources": {"gpus": 1, "cpu": 4, "ram_gb": 16}}


@pytest.fixture(scope="module")
def cluster() -> Iterator[KubeEmulator]:
    with KubeEmulator() as emulator:
        yield emulator


class Api:
    def __init__(self, client: InProcessClient, tenant: dict[str, Any]) -> None:
        self.client, self.headers, self.tenant_id = client, tenant["headers"], tenant["tenant"]["id"]
        self.bodies: list[str] = []

    def __call__(self, method: str, path: str, json: Any = None, params: dict[str, str] | None = None) -> Any:
        reply = self.client.request(method, path, json=json, headers=self.headers, params=params)
        self.bodies.append(reply.body.decode())
        return reply


@pytest.fixture
def new_api(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> Callable[[], Api]:
    return lambda: Api(client, make_tenant())


def token() -> str:
    return f"sekrit-{uuid.uuid4().hex}"


def add_server(api: Api, url: str, **fields: Any) -> dict[str, Any]:
    reply = api("POST", "/api/v1/servers", {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": url, **fields})
    assert reply.status == 201, reply.body
    return dict(reply.json())


def stored_token(tenant_id: str, server_id: str) -> str | None:
    record = deps.servers().get(tenant_id, server_id)
    assert record is not None
    return deps.servers_service().credentials_of(record).token


def test_colon_routes_are_literal_in_both_routers(client: InProcessClient) -> None:
    assert client.router.match("GET", "/api/v1/servers:export")[0].name == "export_servers"  # type: ignore[index]
    assert client.router.match("POST", "/api/v1/servers:import")[0].name == "import_servers"  # type: ignore[index]
    assert client.router.match("GET", "/api/v1/servers%3Aexport")[0].name == "export_servers"  # type: ignore[index]
    spec, values = client.router.match("GET", "/api/v1/servers/abc")  # type: ignore[misc]
    assert spec.name == "get_server" and values == {"server_id": "abc"}
    # Nothing else claims the literal (and a wrong method there is a 405, not another operation).
    assert ROUTES.methods_for("/api/v1/servers:export") == ["GET", "HEAD"]
    assert ROUTES.methods_for("/api/v1/servers:import") == ["POST"]
    assert ROUTES.methods_for("/api/v1/servers/abc") == ["DELETE", "GET", "HEAD", "PATCH", "PUT"]
    assert client.request("POST", "/api/v1/servers:export", headers=ADMIN).status == 405
    assert client.router.match("POST", "/api/v1/servers:export")[0].name == "fallback"  # type: ignore[index]
    # The devhost router on its own, with a parameter route registered first.
    router: Router[str] = Router("api")
    router.add("v1/servers/{server_id}", ["GET"], "get")
    router.add("v1/servers:export", ["GET"], "export")
    router.add("{*path}", None, "fallback")
    assert router.match("GET", "/api/v1/servers:export") == ("export", {})
    assert router.match("GET", "/api/v1/servers/servers:export") == ("get", {"server_id": "servers:export"})


def test_export_keeps_credentials_sealed(
    new_api: Callable[[], Api], cluster: KubeEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api = new_api()
    secret = token()
    server = add_server(api, cluster.url, token=secret, labels={"gpu": "a100"})
    template = api("POST", "/api/v1/templates", TEMPLATE).json()

    plain = api("GET", "/api/v1/servers:export")
    assert plain.status == 200, plain.body
    document = plain.json()
    assert document["version"] == 1 and document["exported_at"]
    assert [s["id"] for s in document["servers"]] == [server["id"]]
    exported = document["servers"][0]
    assert exported["credentials"] is None and exported["labels"] == {"gpu": "a100"}
    assert [t["id"] for t in document["templates"]] == [template["id"]], "built-ins are not exported"

    sealed = api("GET", "/api/v1/servers:export", params={"include_credentials": "true"}).json()
    credentials = sealed["servers"][0]["credentials"]
    assert credentials["kind"] == "token" and credentials["key_id"]
    assert secret.encode() not in base64.b64decode(credentials["ciphertext"])
    for body in api.bodies:
        assert secret not in body
    assert secret not in caplog.text


def test_round_trip_into_the_same_tenant(new_api: Callable[[], Api], cluster: KubeEmulator) -> None:
    api = new_api()
    secret_1, secret_2 = token(), token()
    s1 = add_server(api, cluster.url, token=secret_1)
    s2 = add_server(api, cluster.url, token=secret_2, labels={"v": "1"})
    t1 = api("POST", "/api/v1/templates", TEMPLATE).json()
    t2 = api("POST", "/api/v1/templates", {**TEMPLATE, "name": "other"}).json()
    document = api("GET", "/api/v1/servers:export", params={"include_credentials": "true"}).json()

    # Nothing changed: everything is skipped.
    again = api("POST", "/api/v1/servers:import", document).json()
    assert again == {"created": [], "updated": [], "skipped": again["skipped"], "errors": []}
    assert sorted(again["skipped"]) == sorted([s1["id"], s2["id"], t1["id"], t2["id"]])

    assert api("DELETE", f"/api/v1/servers/{s1['id']}").status == 204
    assert api("PATCH", f"/api/v1/servers/{s2['id']}", {"labels": {"v": "2"}}).status == 200
    assert api("DELETE", f"/api/v1/templates/{t2['id']}").status == 204
    result = api("POST", "/api/v1/servers:import", document)
    assert result.status == 200, result.body
    report = result.json()
    assert sorted(report["created"]) == sorted([s1["id"], t2["id"]])
    assert report["updated"] == [s2["id"]] and report["skipped"] == [t1["id"]] and report["errors"] == []

    restored = api("GET", f"/api/v1/servers/{s1['id']}").json()
    assert restored["name"] == s1["name"] and restored["credentials"]["set"] is True
    assert restored["credentials"]["kind"] == "token"
    assert stored_token(api.tenant_id, s1["id"]) == secret_1
    assert api("POST", f"/api/v1/servers/{s1['id']}/test").json()["ok"] is True
    assert api("GET", f"/api/v1/servers/{s2['id']}").json()["labels"] == {"v": "1"}
    assert api("GET", f"/api/v1/templates/{t2['id']}").json()["name"] == "other"

    # Without credentials in the document, an update keeps the stored ones.
    assert api("DELETE", f"/api/v1/servers/{s2['id']}").status == 204
    bare = api("GET", "/api/v1/servers:export").json()
    assert [s["id"] for s in bare["servers"]] == [s1["id"]] and bare["servers"][0]["credentials"] is None
    with_s2 = [s for s in document["servers"] if s["id"] == s2["id"]]
    report = api("POST", "/api/v1/servers:import", {**bare, "servers": bare["servers"] + with_s2}).json()
    assert report["created"] == [s2["id"]] and sorted(report["skipped"]) == sorted([t1["id"], t2["id"], s1["id"]])
    assert report["errors"] == []
    assert stored_token(api.tenant_id, s1["id"]) == secret_1, "credentials left out of the document are kept"
    assert stored_token(api.tenant_id, s2["id"]) == secret_2
    for body in api.bodies:
        assert secret_1 not in body and secret_2 not in body


def test_credentials_do_not_open_in_another_tenant_or_deployment(
    new_api: Callable[[], Api], cluster: KubeEmulator, configure: Callable[..., None]
) -> None:
    a, b = new_api(), new_api()
    secret = token()
    server = add_server(a, cluster.url, token=secret)
    document = a("GET", "/api/v1/servers:export", params={"include_credentials": "true"}).json()

    # Another tenant: the server comes without credentials, and an error entry says why.
    report = b("POST", "/api/v1/servers:import", document).json()
    assert report["created"] == [server["id"]]
    assert [(e["kind"], e["id"], e["code"]) for e in report["errors"]] == [
        ("server", server["id"], "CREDENTIALS_NOT_RESTORED")
    ]
    copy = b("GET", f"/api/v1/servers/{server['id']}").json()
    assert copy["credentials"] == {"set": False, "kind": None, "updated_at": None}
    assert a("GET", f"/api/v1/servers/{server['id']}").json()["credentials"]["set"] is True

    # Another deployment (another key): the same.
    assert a("DELETE", f"/api/v1/servers/{server['id']}").status == 204
    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_B)
    report = a("POST", "/api/v1/servers:import", document).json()
    assert report["created"] == [server["id"]] and report["errors"][0]["code"] == "CREDENTIALS_NOT_RESTORED"
    assert "CREDENTIALS_KEY_UNKNOWN" in report["errors"][0]["message"]

    # A tampered blob does not open either.
    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_A)
    assert a("DELETE", f"/api/v1/servers/{server['id']}").status == 204
    blob = bytearray(base64.b64decode(document["servers"][0]["credentials"]["ciphertext"]))
    blob[-1] ^= 1
    tampered = json.loads(json.dumps(document))
    tampered["servers"][0]["credentials"]["ciphertext"] = base64.b64encode(bytes(blob)).decode()
    report = a("POST", "/api/v1/servers:import", tampered).json()
    assert report["errors"][0]["code"] == "CREDENTIALS_NOT_RESTORED"
    assert a("GET", f"/api/v1/servers/{server['id']}").json()["credentials"]["set"] is False
    for body in a.bodies + b.bodies:
        assert secret not in body


def test_import_validates_the_document_and_each_item(new_api: Callable[[], Api], cluster: KubeEmulator) -> None:
    api = new_api()
    taken = add_server(api, cluster.url)
    good = {
        "id": uuid.uuid4().hex,
        "name": "fine",
        "api_url": cluster.url,
        "namespace": "ml",
        "labels": {},
    }
    metadata = {**good, "id": uuid.uuid4().hex, "name": "meta", "api_url": "http://169.254.169.254"}
    clash = {**good, "id": uuid.uuid4().hex, "name": taken["name"]}
    document = {"version": 1, "exported_at": "2026-01-01T00:00:00Z", "servers": [good, metadata, clash]}
    report = api("POST", "/api/v1/servers:import", document).json()
    assert report["created"] == [good["id"]]
    codes = {e["id"]: e["code"] for e in report["errors"]}
    assert codes == {metadata["id"]: "ENDPOINT_NOT_ALLOWED", clash["id"]: "SERVER_NAME_TAKEN"}
    assert api("GET", f"/api/v1/servers/{metadata['id']}").status == 404
    assert api("GET", f"/api/v1/servers/{good['id']}").json()["credentials"]["set"] is False

    for broken in (
        {**document, "version": 2},
        {"version": 1, "servers": []},
        {**document, "servers": [{**good, "id": "no/slashes"}]},
        {**document, "servers": [{**good, "secret": "x"}]},
        {**document, "templates": [{"id": "builtin:gpu-1", **TEMPLATE}]},
        {**document, "templates": [{"id": "x", **TEMPLATE, "resources": {"gpus": -1}}]},
    ):
        reply = api("POST", "/api/v1/servers:import", broken)
        assert reply.status == 422, broken
    assert api("POST", "/api/v1/servers:import", None).status == 422
