"""Servers against Azurite and emulated Kubernetes clusters (kmock over real HTTP)."""

from __future__ import annotations

import base64
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from shared import deps
from shared.providers import kubernetes as kube
from tests.functional.conftest import ADMIN, KEY_A, KEY_B
from tests.support.inprocess import InProcessClient, Reply
from tests.support.kube import KubeEmulator, gpu_node, pod

pytestmark = pytest.mark.usefixtures("cluster_settings")


@pytest.fixture(scope="module")
def cluster() -> Iterator[KubeEmulator]:
    pods = [
        pod("train-1", "team-a", cpu="2", memory="8Gi", gpus="1"),
        pod("train-2", "team-b", cpu="500m", memory="1.5G", gpus="2", storage="10Gi"),
        pod("done", "team-a", phase="Succeeded", cpu="8", memory="32Gi", gpus="1"),
        pod("broken", "team-a", phase="Failed", cpu="1", gpus="1"),
    ]
    nodes = [gpu_node(), gpu_node("cpu-node-1", cpu="8", memory="32Gi", gpus="0")]
    with KubeEmulator(nodes=nodes, pods=pods) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def denied() -> Iterator[KubeEmulator]:
    with KubeEmulator(unauthorized=True) as emulator:
        yield emulator


def secret(kind: str = "token") -> str:
    return f"sekrit-{kind}-{uuid.uuid4().hex}"


def kubeconfig(url: str, token: str, context: str = "main") -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": context,
            "clusters": [{"name": "c", "cluster": {"server": url}}],
            "users": [{"name": "u", "user": {"token": token}}],
            "contexts": [{"name": context, "context": {"cluster": "c", "user": "u"}}],
        }
    )


class Recorder:
    """Calls the API and keeps every reply body, to prove no secret is ever in one."""

    def __init__(self, client: InProcessClient, headers: dict[str, str]) -> None:
        self.client, self.headers, self.bodies = client, headers, []  # type: list[str]

    def __call__(self, method: str, path: str, json: Any = None, params: dict[str, str] | None = None) -> Reply:
        reply = self.client.request(method, path, json=json, headers=self.headers, params=params)
        self.bodies.append(reply.body.decode())
        return reply

    def assert_never_shown(self, *secrets: str, log_text: str = "") -> None:
        for value in secrets:
            assert all(value not in body for body in self.bodies)
            assert value not in log_text


@pytest.fixture
def api(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> Recorder:
    return Recorder(client, make_tenant()["headers"])


def create(api: Recorder, url: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": url, **fields}
    reply = api("POST", "/api/v1/servers", body)
    assert reply.status == 201, reply.body
    return dict(reply.json())


def test_crud_keeps_credentials_secret(api: Recorder, cluster: KubeEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token, token2 = secret(), secret()
    server = create(api, cluster.url, token=token, labels={"gpu": "a100"})
    assert server["api_url"] == cluster.url and server["labels"] == {"gpu": "a100"}
    assert server["namespace"].startswith("cloudplane-")
    assert server["credentials"]["set"] is True and server["credentials"]["kind"] == "token"
    assert "token" not in server and "kubeconfig" not in server
    sid = server["id"]

    assert api("GET", f"/api/v1/servers/{sid}").json() == server
    assert [s["id"] for s in api("GET", "/api/v1/servers").json()["items"]] == [sid]

    patched = api("PATCH", f"/api/v1/servers/{sid}", {"labels": {"gpu": "h100"}, "namespace": "ml"}).json()
    assert patched["labels"] == {"gpu": "h100"} and patched["namespace"] == "ml"
    assert patched["credentials"] == server["credentials"], "a PATCH without credentials keeps them"
    assert api("POST", f"/api/v1/servers/{sid}/test").json()["ok"] is True

    replaced = api("PUT", f"/api/v1/servers/{sid}", {"name": "renamed", "api_url": cluster.url, "token": token2})
    assert replaced.status == 200
    body = replaced.json()
    assert body["name"] == "renamed" and body["labels"] == {} and body["credentials"]["set"] is True
    assert body["namespace"] == server["namespace"], "PUT without namespace takes the default again"
    assert body["credentials"]["updated_at"] > server["credentials"]["updated_at"]
    assert api("GET", f"/api/v1/servers/{sid}/test").json()["ok"] is True

    assert api("PATCH", f"/api/v1/servers/{sid}", {"context": "main"}).status == 422  # no kubeconfig here
    no_creds = api("PUT", f"/api/v1/servers/{sid}", {"name": "renamed", "api_url": cluster.url}).json()
    assert no_creds["credentials"] == {"set": False, "kind": None, "updated_at": None}

    assert api("DELETE", f"/api/v1/servers/{sid}").status == 204
    assert api("GET", f"/api/v1/servers/{sid}").json()["error"]["code"] == "SERVER_NOT_FOUND"
    assert api("DELETE", f"/api/v1/servers/{sid}").status == 404
    api.assert_never_shown(token, token2, log_text=caplog.text)


def test_kubeconfig_server_is_tested_live_and_never_shown(
    api: Recorder, cluster: KubeEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = secret("kubeconfig")
    config = kubeconfig(cluster.url, token)
    reply = api("POST", "/api/v1/servers", {"name": "kc", "kubeconfig": config, "context": "main"})
    assert reply.status == 201, reply.body
    server = reply.json()
    assert server["api_url"] == cluster.url and server["context"] == "main"
    assert server["credentials"]["kind"] == "kubeconfig"

    for method in ("POST", "GET"):
        result = api(method, f"/api/v1/servers/{server['id']}/test").json()
        assert result["ok"] is True and result["reason"] is None
        assert result["kubernetes_version"] == "v1.30.2+kmock"
        assert result["node_count"] == 2
        assert result["capacity"] == {"cpu": 24.0, "memory_gb": 96.0, "gpus": 4}
        assert 0 < result["latency_ms"] < 1000
    missing = api("PATCH", f"/api/v1/servers/{server['id']}", {"context": "nope"})
    assert missing.status == 422 and missing.json()["error"]["code"] == "BAD_KUBECONFIG"
    kept = api("PATCH", f"/api/v1/servers/{server['id']}", {"labels": {"k": "v"}}).json()
    assert kept["credentials"] == server["credentials"] and kept["context"] == "main"
    api.assert_never_shown(token, config, log_text=caplog.text)


def test_kubeconfig_that_would_run_commands_or_read_files_is_refused(api: Recorder, cluster: KubeEmulator) -> None:
    config = yaml.safe_load(kubeconfig(cluster.url, "t"))
    config["users"][0]["user"] = {"exec": {"command": "/bin/sh", "args": ["-c", "id"]}}
    reply = api("POST", "/api/v1/servers", {"name": "evil", "kubeconfig": yaml.safe_dump(config)})
    assert reply.status == 422 and reply.json()["error"]["code"] == "KUBECONFIG_UNSUPPORTED"
    config["users"][0]["user"] = {"tokenFile": "/etc/shadow"}
    reply = api("POST", "/api/v1/servers", {"name": "evil", "kubeconfig": yaml.safe_dump(config)})
    assert reply.status == 422 and reply.json()["error"]["code"] == "KUBECONFIG_UNSUPPORTED"
    reply = api("POST", "/api/v1/servers", {"name": "bad", "kubeconfig": "a: [unclosed"})
    assert reply.status == 422 and reply.json()["error"]["code"] == "BAD_KUBECONFIG"
    both = {"name": "x", "kubeconfig": kubeconfig(cluster.url, "t"), "api_url": cluster.url}
    assert api("POST", "/api/v1/servers", both).status == 422
    assert api("POST", "/api/v1/servers", {"name": "x"}).status == 422
    assert api("POST", "/api/v1/servers", {"name": "x", "api_url": cluster.url, "ca_bundle": "junk"}).status == 422


def test_listing_pages_and_names_are_unique_per_tenant(
    api: Recorder, client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], cluster: KubeEmulator
) -> None:
    ids = [create(api, cluster.url, name=f"page-{i}")["id"] for i in range(3)]
    created = set(ids)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        body = api("GET", "/api/v1/servers", params=params).json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert sorted(seen) == sorted(created)

    taken = api("POST", "/api/v1/servers", {"name": "PAGE-0", "api_url": cluster.url})
    assert taken.status == 409 and taken.json()["error"]["code"] == "SERVER_NAME_TAKEN"
    rename = api("PATCH", f"/api/v1/servers/{ids[0]}", {"name": "Page-1"})
    assert rename.status == 409 and rename.json()["error"]["code"] == "SERVER_NAME_TAKEN"
    assert api("PATCH", f"/api/v1/servers/{ids[0]}", {"name": "page-9"}).json()["name"] == "page-9"
    assert create(api, cluster.url, name="page-0")["name"] == "page-0", "the old name is free again"

    other = make_tenant()["headers"]
    assert client.post("/api/v1/servers", json={"name": "page-0", "api_url": cluster.url}, headers=other).status == 201


def test_another_tenants_server_is_404(
    api: Recorder, client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], cluster: KubeEmulator
) -> None:
    sid = create(api, cluster.url, token=secret())["id"]
    other = make_tenant()["headers"]
    for method, path, body in (
        ("GET", f"/api/v1/servers/{sid}", None),
        ("PUT", f"/api/v1/servers/{sid}", {"name": "mine", "api_url": cluster.url}),
        ("PATCH", f"/api/v1/servers/{sid}", {"name": "mine"}),
        ("DELETE", f"/api/v1/servers/{sid}", None),
        ("POST", f"/api/v1/servers/{sid}/test", None),
        ("GET", f"/api/v1/servers/{sid}/usage", None),
    ):
        reply = client.request(method, path, json=body, headers=other)
        assert reply.status == 404, (method, path, reply.body)
    assert client.get("/api/v1/servers", headers=other).json()["items"] == []
    assert api("GET", f"/api/v1/servers/{sid}").status == 200
    assert client.get("/api/v1/servers", headers=ADMIN).json()["error"]["code"] == "TENANT_KEY_REQUIRED"


def test_stored_entity_holds_ciphertext_only(api: Recorder, cluster: KubeEmulator) -> None:
    token = secret()
    server = create(api, cluster.url, token=token)
    record = deps.servers().get(api("GET", "/api/v1/me").json()["tenant"]["id"], server["id"])
    assert record is not None and record.sealed is not None
    entity = deps.storage().table("servers").get_entity(f"tenant:{record.tenant_id}", f"s:{server['id']}")
    for value in entity.values():
        raw = value if isinstance(value, bytes) else str(value).encode()
        assert token.encode() not in raw
    assert isinstance(entity["cred_blob"], bytes) and len(entity["cred_blob"]) > len(token)
    assert entity["cred_key_id"] == record.sealed.key_id
    assert (
        base64.b64encode(entity["cred_blob"]).decode()
        not in api("GET", f"/api/v1/servers/{server['id']}").body.decode()
    )


def test_key_rotation_keeps_old_credentials_readable(
    api: Recorder, cluster: KubeEmulator, configure: Callable[..., None]
) -> None:
    sid = create(api, cluster.url, token=secret())["id"]
    before = deps.servers().get(api("GET", "/api/v1/me").json()["tenant"]["id"], sid)
    assert before is not None and before.sealed is not None

    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_B)  # rotated, but the old key is not configured
    kube.CLIENTS.clear()
    reply = api("POST", f"/api/v1/servers/{sid}/test")
    assert reply.status == 503 and reply.json()["error"]["code"] == "CREDENTIALS_KEY_UNKNOWN"

    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_B, CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS=KEY_A)
    assert api("POST", f"/api/v1/servers/{sid}/test").json()["ok"] is True
    api("PATCH", f"/api/v1/servers/{sid}", {"token": secret()})  # new credentials: sealed with the new key
    after = deps.servers().get(before.tenant_id, sid)
    assert after is not None and after.sealed is not None
    assert after.sealed.key_id != before.sealed.key_id
    assert after.credentials_version == before.credentials_version + 1


def test_credentials_need_the_key(api: Recorder, cluster: KubeEmulator, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_CREDENTIALS_KEY="")
    reply = api("POST", "/api/v1/servers", {"name": "k", "api_url": cluster.url, "token": secret()})
    assert reply.status == 503 and reply.json()["error"]["code"] == "CREDENTIALS_KEY_MISSING"
    assert create(api, cluster.url)["credentials"]["set"] is False  # no credentials, no key needed


def test_unreachable_and_unauthorised_clusters_are_ok_false(api: Recorder, denied: KubeEmulator) -> None:
    with KubeEmulator() as gone:
        url = gone.url
    sid = create(api, url, token=secret())["id"]
    started = time.perf_counter()
    result = api("POST", f"/api/v1/servers/{sid}/test")
    assert result.status == 200
    assert result.json()["ok"] is False and result.json()["reason"] == "UNREACHABLE"
    assert time.perf_counter() - started < 3
    usage = api("GET", f"/api/v1/servers/{sid}/usage")
    assert usage.status == 503 and usage.json()["error"]["details"]["reason"] == "UNREACHABLE"

    sid = create(api, denied.url, token=secret())["id"]
    result = api("GET", f"/api/v1/servers/{sid}/test")
    assert result.status == 200 and result.json()["reason"] == "UNAUTHORIZED"


def test_usage_sums_requests_of_unfinished_pods(api: Recorder, cluster: KubeEmulator) -> None:
    sid = create(api, cluster.url, token=secret())["id"]
    body = api("GET", f"/api/v1/servers/{sid}/usage").json()
    assert body["node_count"] == 2 and body["pod_count"] == 2
    resources = body["resources"]
    assert resources["cpu"] == {"capacity": 24.0, "allocated": 2.5, "free": 21.5}
    assert resources["nvidia.com/gpu"] == {"capacity": 4.0, "allocated": 3.0, "free": 1.0}
    memory = resources["memory_gb"]
    assert memory["capacity"] == 96.0 and memory["allocated"] == pytest.approx(8 + 1.5e9 / 2**30, abs=0.001)
    assert resources["ephemeral_storage_gb"] == {"capacity": 200.0, "allocated": 10.0, "free": 190.0}


def test_endpoint_address_rules(api: Recorder, cluster: KubeEmulator, configure: Callable[..., None]) -> None:
    for url, rule in (
        ("http://169.254.169.254/", "link_local_or_metadata"),
        ("http://[fd00:ec2::254]/", "link_local_or_metadata"),
        ("ftp://example.com/", "scheme"),
    ):
        reply = api("POST", "/api/v1/servers", {"name": "meta", "api_url": url})
        assert reply.status == 422, url
        assert reply.json()["error"]["code"] == "ENDPOINT_NOT_ALLOWED"
        assert reply.json()["error"]["details"]["rule"] == rule
    metadata_kubeconfig = kubeconfig("https://169.254.169.254", "t")
    reply = api("POST", "/api/v1/servers", {"name": "meta", "kubeconfig": metadata_kubeconfig})
    assert reply.json()["error"]["code"] == "ENDPOINT_NOT_ALLOWED"

    sid = create(api, cluster.url)["id"]
    configure(CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="false")
    reply = api("POST", "/api/v1/servers", {"name": "local", "api_url": "http://127.0.0.1:6443"})
    assert reply.status == 422 and reply.json()["error"]["details"]["rule"] == "private_network"
    checked = api("POST", f"/api/v1/servers/{sid}/test").json()
    assert checked["ok"] is False and checked["reason"] == "ENDPOINT_NOT_ALLOWED"


def test_one_client_per_server_rebuilt_when_credentials_change(api: Recorder, cluster: KubeEmulator) -> None:
    sid = create(api, cluster.url, token=secret())["id"]
    builds = kube.CLIENTS.builds
    for _ in range(3):
        assert api("POST", f"/api/v1/servers/{sid}/test").json()["ok"] is True
    assert api("GET", f"/api/v1/servers/{sid}/usage").status == 200
    assert kube.CLIENTS.builds == builds + 1
    first = kube.CLIENTS._clients[sid]

    api("PATCH", f"/api/v1/servers/{sid}", {"labels": {"a": "b"}})  # not a credentials change
    api("POST", f"/api/v1/servers/{sid}/test")
    assert kube.CLIENTS._clients[sid] is first

    api("PATCH", f"/api/v1/servers/{sid}", {"token": secret()})
    assert api("POST", f"/api/v1/servers/{sid}/test").json()["ok"] is True
    second = kube.CLIENTS._clients[sid]
    assert second[0] == first[0] + 1 and second[1] is not first[1]
    assert kube.CLIENTS.builds == builds + 2
