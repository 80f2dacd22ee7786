"""Seed 000's paths and shapes (``/api/server-config/...``, ``/api/k8s/...``) over the v1 services."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from shared.models.compat import LegacyPodCreate
from shared.providers import kubernetes as kube
from shared.services import compat_shapes as compat
from shared.services.builtin_templates import BUILTINS
from tests.functional.test_servers import Recorder, secret
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator

pytestmark = pytest.mark.usefixtures("cluster_settings")


SEED_POD = {"name": "test-pod", "resources": {"gpus": 1, "ram_gb": 8, "storage_gb": 100}}
POD_FIELDS = {"id", "name", "server_id", "status", "resources", "created_at", "image", "namespace"}
LEGACY_ERROR_FIELDS = {"success", "error", "status_code", "code", "details", "request_id"}
# The seed service's images for a pod that names none, written out: a copy of the built-in
# templates' values would follow any change to them and so could not catch it.
GPU_IMAGE = "nvidia/cuda:12.4.0-base-ubuntu22.04"
CPU_IMAGE = "ubuntu:22.04"


@pytest.fixture
def api(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> Recorder:
    return Recorder(client, make_tenant()["headers"])


def configure(api: Recorder, url: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": url, "token": secret(), **fields}
    reply = api("POST", "/api/server-config/configure", body)
    assert reply.status == 200, reply.body
    return dict(reply.json())


def assert_legacy_error(reply: Any, status: int) -> dict[str, Any]:
    assert reply.status == status, reply.body
    body = reply.json()
    assert set(body) == LEGACY_ERROR_FIELDS
    assert body["success"] is False and body["status_code"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert body["request_id"] == reply.header("X-Request-ID")
    return dict(body)


def test_servers_configure_list_and_test(
    api: Recorder, emulators: Callable[..., KubeEmulator], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cluster = emulators()
    token = secret()
    made = configure(api, cluster.url, name="server-1", token=token, labels={"gpu": "a100"})
    assert set(made) == {"success", "created", "server", "message"}
    assert made["success"] is True and made["created"] is True and "server-1" in made["message"]
    server = made["server"]
    assert server["name"] == "server-1" and server["api_url"] == cluster.url and server["labels"] == {"gpu": "a100"}
    assert server["credentials_set"] is True and server["credentials_kind"] == "token"
    assert server["namespace"].startswith("cloudplane-") and server["created_at"] and server["updated_at"]
    assert "token" not in server and "kubeconfig" not in server

    v1 = api("GET", f"/api/v1/servers/{server['id']}").json()
    assert v1["name"] == "server-1" and v1["credentials"]["set"] is True

    by_name = api("POST", "/api/server-config/configure", {"name": "SERVER-1", "labels": {"gpu": "h100"}})
    assert by_name.status == 200, by_name.body
    assert by_name.json()["created"] is False and by_name.json()["server"]["id"] == server["id"]
    assert by_name.json()["server"]["labels"] == {"gpu": "h100"}
    assert by_name.json()["server"]["credentials_set"] is True, "an update without credentials keeps them"
    by_id = api("POST", "/api/server-config/configure", {"id": server["id"], "name": "server-one"})
    assert by_id.status == 200 and by_id.json()["server"]["name"] == "server-one"

    listed = api("GET", "/api/server-config/servers")
    assert listed.status == 200
    assert set(listed.json()) == {"success", "servers"} and listed.json()["success"] is True
    assert [s["id"] for s in listed.json()["servers"]] == [server["id"]]

    probe = api("GET", f"/api/server-config/servers/{server['id']}/test").json()
    assert probe["success"] is True and probe["status"] == "connected" and probe["server_id"] == server["id"]
    assert probe["kubernetes_version"] == "v1.30.2+kmock" and probe["node_count"] == 1
    assert probe["capacity"]["gpus"] == 4 and probe["latency_ms"] is not None and probe["reason"] is None
    assert probe["checked_at"] and probe["message"]

    cluster.stop()
    kube.CLIENTS.clear()
    down = api("GET", f"/api/server-config/servers/{server['id']}/test")
    assert down.status == 200, "an unreachable cluster is an answer, not an error"
    assert down.json()["success"] is False and down.json()["status"] == "failed" and down.json()["reason"]
    api.assert_never_shown(token, log_text=caplog.text)


def test_configure_takes_null_labels_as_no_labels(api: Recorder, emulators: Callable[..., KubeEmulator]) -> None:
    cluster = emulators()
    created = configure(api, cluster.url, name="nulls", labels=None)
    assert created["created"] is True and created["server"]["labels"] == {}
    labelled = api("POST", "/api/server-config/configure", {"name": "nulls", "labels": {"gpu": "a100"}})
    assert labelled.json()["server"]["labels"] == {"gpu": "a100"}
    cleared = api("POST", "/api/server-config/configure", {"name": "nulls", "labels": None})
    assert cleared.status == 200 and cleared.json()["server"]["labels"] == {}


def test_configure_errors_are_legacy(api: Recorder, emulators: Callable[..., KubeEmulator]) -> None:
    missing = api("POST", "/api/server-config/configure", {"id": "nope", "name": "x"})
    assert assert_legacy_error(missing, 404)["code"] == "SERVER_NOT_FOUND"
    no_credentials = api("POST", "/api/server-config/configure", {"name": "fresh"})
    assert assert_legacy_error(no_credentials, 422)["details"]["fields"]
    unknown = api("POST", "/api/server-config/configure", {"name": "x", "password": "hunter2"})
    assert_legacy_error(unknown, 422)
    cluster = emulators()
    configure(api, cluster.url, name="taken")
    conflict = api("POST", "/api/v1/servers", {"name": "other", "api_url": cluster.url})
    assert conflict.status == 201
    renamed = api("POST", "/api/server-config/configure", {"name": "other", "id": conflict.json()["id"]})
    assert renamed.status == 200
    clash = api("POST", "/api/server-config/configure", {"id": conflict.json()["id"], "name": "taken"})
    assert assert_legacy_error(clash, 409)["code"] == "SERVER_NAME_TAKEN"


def test_templates(api: Recorder) -> None:
    reply = api("GET", "/api/server-config/templates")
    assert reply.status == 200
    body = reply.json()
    assert set(body) == {"success", "templates"} and body["success"] is True
    assert [t["id"] for t in body["templates"]][:2] == ["builtin:gpu-1", "builtin:cpu-small"]
    gpu = body["templates"][0]
    assert gpu["builtin"] is True and gpu["name"] == "gpu-1" and gpu["resources"]["gpus"] == 1
    assert gpu["image"] == GPU_IMAGE and body["templates"][1]["image"] == CPU_IMAGE
    assert set(gpu) == {"id", "name", "description", "builtin", "image", "command", "env", "resources", "labels"}

    made = api("POST", "/api/v1/templates", {"name": "mine", "image": "busybox"})
    assert made.status == 201
    ids = [t["id"] for t in api("GET", "/api/server-config/templates").json()["templates"]]
    assert made.json()["id"] in ids


def test_pod_lifecycle_with_the_seed_request(api: Recorder, emulators: Callable[..., KubeEmulator]) -> None:
    cluster = emulators()
    server = configure(api, cluster.url)["server"]

    reply = api("POST", "/api/k8s/pods", {"server_id": server["id"], **SEED_POD})
    assert reply.status == 200, reply.body
    created = reply.json()
    assert set(created) == {"success", "pod_id", "message", "pod"}
    assert created["success"] is True and created["pod_id"].startswith("pod_") and created["message"]
    pod = created["pod"]
    assert set(pod) == POD_FIELDS
    assert pod["id"] == created["pod_id"] and pod["name"] == "test-pod" and pod["server_id"] == server["id"]
    assert pod["status"] == "pending" and pod["created_at"]
    assert pod["resources"] == {"gpus": 1, "cpu": 1.0, "ram_gb": 8.0, "storage_gb": 100.0}
    assert pod["image"] == GPU_IMAGE, "no image: the GPU built-in's"
    stored = cluster.pod_object(server["namespace"], "test-pod")
    assert stored is not None
    container = stored["spec"]["containers"][0]
    assert container["command"] == ["sleep", "infinity"]
    assert container["resources"]["limits"] == {
        "nvidia.com/gpu": "1",
        "cpu": "1",
        "memory": "8Gi",
        "ephemeral-storage": "100Gi",
    }

    v1 = api("GET", f"/api/v1/pods/{pod['id']}")
    assert v1.status == 200 and v1.json()["name"] == "test-pod", "the same service: v1 sees the legacy pod"
    assert pod["id"] in [item["id"] for item in api("GET", "/api/v1/pods").json()["items"]]

    got = api("GET", f"/api/k8s/pods/{pod['id']}")
    assert got.status == 200 and got.json() == {"success": True, "pod": pod}

    cpu = api("POST", "/api/k8s/pods", {"server_id": server["id"], "name": "cpu-pod", "resources": {"ram_gb": 2}})
    assert cpu.status == 200, cpu.body
    assert cpu.json()["pod"]["image"] == CPU_IMAGE
    assert cpu.json()["pod"]["resources"]["gpus"] == 0

    listed = api("GET", "/api/k8s/pods")
    assert listed.status == 200
    assert set(listed.json()) == {"success", "pods", "errors"} and listed.json()["errors"] == []
    assert sorted(p["name"] for p in listed.json()["pods"]) == ["cpu-pod", "test-pod"]
    assert all(set(p) == POD_FIELDS for p in listed.json()["pods"])

    updated = api("PUT", f"/api/k8s/pods/{pod['id']}", {"resources": {"gpus": 2}})
    assert updated.status == 200, updated.body
    body = updated.json()
    assert set(body) == {"success", "pod_id", "message", "pod"} and body["success"] is True
    assert body["pod_id"] == pod["id"] and body["pod"]["id"] == pod["id"] and body["pod"]["name"] == "test-pod"
    assert body["pod"]["resources"] == {"gpus": 2, "cpu": 1.0, "ram_gb": 8.0, "storage_gb": 100.0}
    assert api("GET", f"/api/v1/pods/{pod['id']}").json()["resources"]["gpus"] == 2

    deleted = api("DELETE", f"/api/k8s/pods/{pod['id']}")
    assert deleted.status == 200
    assert deleted.json()["success"] is True and deleted.json()["pod_id"] == pod["id"] and deleted.json()["message"]
    assert cluster.pod_object(server["namespace"], "test-pod") is None
    assert_legacy_error(api("GET", f"/api/k8s/pods/{pod['id']}"), 404)
    assert api("GET", f"/api/v1/pods/{pod['id']}").status == 404


def test_pod_list_reports_unreachable_servers(api: Recorder, emulators: Callable[..., KubeEmulator]) -> None:
    up, down = emulators(), emulators()
    live = configure(api, up.url)["server"]
    dead = configure(api, down.url)["server"]
    assert api("POST", "/api/k8s/pods", {"server_id": live["id"], **SEED_POD}).status == 200
    down.stop()
    kube.CLIENTS.clear()
    listed = api("GET", "/api/k8s/pods")
    assert listed.status == 200
    body = listed.json()
    assert body["success"] is True and [p["name"] for p in body["pods"]] == ["test-pod"]
    assert [e["server_id"] for e in body["errors"]] == [dead["id"]] and body["errors"][0]["reason"]


def test_legacy_errors_404_422_401_and_v1_keeps_the_envelope(
    client: InProcessClient, api: Recorder, emulators: Callable[..., KubeEmulator]
) -> None:
    unknown_server = api("POST", "/api/k8s/pods", {"server_id": "nope", **SEED_POD})
    assert assert_legacy_error(unknown_server, 404)["code"] == "SERVER_NOT_FOUND"
    assert_legacy_error(api("GET", "/api/k8s/pods/pod_nope"), 404)
    assert_legacy_error(api("PUT", "/api/k8s/pods/pod_nope", {"image": "x"}), 404)
    assert_legacy_error(api("DELETE", "/api/k8s/pods/pod_nope"), 404)
    assert_legacy_error(api("GET", "/api/server-config/servers/nope/test"), 404)

    server = configure(api, emulators().url)["server"]
    negative = api("POST", "/api/k8s/pods", {"server_id": server["id"], "name": "p", "resources": {"gpus": -1}})
    fields = assert_legacy_error(negative, 422)["details"]["fields"]
    assert any(field["path"] == "body.resources.gpus" for field in fields)
    no_resources = api("POST", "/api/k8s/pods", {"server_id": server["id"], "name": "p"})
    assert any(f["path"] == "body.resources" for f in assert_legacy_error(no_resources, 422)["details"]["fields"])
    too_big = api("POST", "/api/k8s/pods", {"server_id": server["id"], "name": "p", "resources": {"gpus": 64}})
    assert assert_legacy_error(too_big, 422)["code"] == "POD_TOO_LARGE"

    for method, path in (
        ("GET", "/api/server-config/servers"),
        ("POST", "/api/server-config/configure"),
        ("GET", "/api/server-config/templates"),
        ("GET", "/api/k8s/pods"),
        ("POST", "/api/k8s/pods"),
        ("GET", "/api/k8s/pods/pod_x"),
    ):
        anonymous = client.request(method, path, json={} if method == "POST" else None)
        assert assert_legacy_error(anonymous, 401)["code"] == "UNAUTHORIZED", path
        assert anonymous.header("WWW-Authenticate") == 'Bearer realm="cloudplane"', path
    wrong_method = api("PATCH", "/api/k8s/pods/pod_x", {})
    assert_legacy_error(wrong_method, 405)

    v1 = client.get("/api/v1/pods")
    assert v1.status == 401 and set(v1.json()) == {"error"} and v1.json()["error"]["code"] == "UNAUTHORIZED"
    v1_missing = api("GET", "/api/v1/pods/pod_nope")
    assert v1_missing.status == 404 and v1_missing.json()["error"]["request_id"] == v1_missing.header("X-Request-ID")


def test_shape_mapping_is_pure() -> None:
    gpu = LegacyPodCreate.model_validate({"server_id": "s", **SEED_POD})
    request = compat.pod_create(gpu)
    assert request.image == GPU_IMAGE and request.command == ["sleep", "infinity"]
    assert request.template_id is None and request.resources is not None and request.resources.gpus == 1
    own = LegacyPodCreate.model_validate({"server_id": "s", "name": "p", "image": "busybox", "resources": {}})
    assert compat.pod_create(own).image == "busybox" and compat.pod_create(own).command is None
    assert compat.default_template_id(own) == "builtin:cpu-small"
    templates = compat.templates_response(list(BUILTINS.values()))
    assert templates["success"] is True
    assert [(t["id"], t["image"]) for t in templates["templates"]] == [
        ("builtin:gpu-1", GPU_IMAGE),
        ("builtin:cpu-small", CPU_IMAGE),
    ]
    assert compat.pods_response([], []) == {"success": True, "pods": [], "errors": []}
    assert compat.pod_deleted_response("pod_1")["pod_id"] == "pod_1"


def test_openapi_tags_compat_paths(client: InProcessClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    create = document["paths"]["/api/k8s/pods"]["post"]
    assert create["tags"] == ["compat"] and "/api/v1/pods" in create["summary"]
    assert create["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LegacyError"
    }
    for path in (
        "/api/server-config/servers",
        "/api/server-config/configure",
        "/api/server-config/servers/{server_id}/test",
        "/api/server-config/templates",
        "/api/k8s/pods",
        "/api/k8s/pods/{pod_id}",
    ):
        assert all(op["tags"] == ["compat"] for op in document["paths"][path].values()), path
