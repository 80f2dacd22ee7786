"""Pods against Azurite and several emulated Kubernetes clusters (kmock over real HTTP)."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.functional.test_jobs import drain
from tests.functional.test_servers import Recorder, secret
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator, gpu_node, pod

pytestmark = pytest.mark.usefixtures("cluster_settings")


MANAGED = {"app.kubernetes.io/managed-by": "cloudplane"}


class Tenant(Recorder):
    def __init__(self, client: InProcessClient, made: dict[str, Any]) -> None:
        super().__init__(client, made["headers"])
        self.id = made["tenant"]["id"]
        self.tokens: list[str] = []

    def server(self, url: str, **fields: Any) -> dict[str, Any]:
        token = secret()
        self.tokens.append(token)
        body = {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": url, "token": token, **fields}
        reply = self("POST", "/api/v1/servers", body)
        assert reply.status == 201, reply.body
        return dict(reply.json())

    def pod(self, server_id: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"server_id": server_id, "name": name or f"p-{uuid.uuid4().hex[:8]}", "image": "busybox", **fields}
        reply = self("POST", "/api/v1/pods", body)
        assert reply.status == 201, reply.body
        return dict(reply.json())


@pytest.fixture
def tenant(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> Callable[[], Tenant]:
    return lambda: Tenant(client, make_tenant())


def test_create_sets_requests_limits_and_labels(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api, cluster = tenant(), emulators()
    server = api.server(cluster.url)
    created = api.pod(
        server["id"],
        "trainer",
        command=["python", "train.py"],
        env={"EPOCHS": "3"},
        labels={"team": "ml"},
        resources={"gpus": 1, "cpu": 2.5, "ram_gb": 8, "storage_gb": 10},
    )
    assert created["id"].startswith("pod_") and created["server_id"] == server["id"]
    assert created["namespace"] == server["namespace"] and created["name"] == "trainer"
    assert created["labels"] == {"team": "ml"} and created["status"] == "pending"
    assert created["resources"] == {"gpus": 1, "cpu": 2.5, "ram_gb": 8.0, "storage_gb": 10.0}
    assert created["env"] == {"EPOCHS": "3"} and created["command"] == ["python", "train.py"]

    stored = cluster.pod_object(server["namespace"], "trainer")
    assert stored is not None
    container = stored["spec"]["containers"][0]
    expected = {"nvidia.com/gpu": "1", "cpu": "2500m", "memory": "8Gi", "ephemeral-storage": "10Gi"}
    assert container["resources"] == {"requests": expected, "limits": expected}
    assert stored["metadata"]["labels"] == {
        "team": "ml",
        **MANAGED,
        "cloudplane.io/tenant": api.id,
        "cloudplane.io/pod-id": created["id"],
    }

    cpu_only = api.pod(server["id"], "cpu-only", resources={"cpu": 1, "ram_gb": 0.5})
    stored = cluster.pod_object(server["namespace"], "cpu-only")
    assert stored is not None
    assert stored["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "1", "memory": "512Mi"}
    assert cpu_only["resources"]["gpus"] == 0

    fetched = api("GET", f"/api/v1/pods/{created['id']}")
    assert fetched.status == 200 and fetched.json() == created
    api.assert_never_shown(*api.tokens, log_text=caplog.text)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"labels": {"cloudplane.io/tenant": "someone-else"}}, "body.labels"),
        ({"labels": {"app.kubernetes.io/managed-by": "me"}}, "body.labels"),
        ({"name": "Not_A_Dns_Label"}, "body.name"),
        ({"name": "a" * 64}, "body.name"),
        ({"resources": {"gpus": -1}}, "body.resources.gpus"),
        ({"resources": {"cpu": 100000}}, "body.resources.cpu"),
        ({"resources": {"ram_gb": -2}}, "body.resources.ram_gb"),
    ],
)
def test_invalid_requests_are_422(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator], change: dict[str, Any], path: str
) -> None:
    api = tenant()
    server = api.server(emulators().url)
    body = {"server_id": server["id"], "name": "ok-name", "image": "busybox", **change}
    reply = api("POST", "/api/v1/pods", body)
    assert reply.status == 422, reply.body
    assert any(field["path"].startswith(path) for field in reply.json()["error"]["details"]["fields"])


def test_capacity_too_large_is_422_and_not_free_is_409(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    api = tenant()
    busy = emulators(
        nodes=[gpu_node("n1"), gpu_node("n2")],  # 8 GPUs in all, 4 per node
        pods=[pod("other", "elsewhere", cpu="4", memory="8Gi", gpus="3"), pod("n2-load", "x", gpus="4")],
    )
    server = api.server(busy.url)
    base = {"server_id": server["id"], "name": "big", "image": "busybox"}

    too_large = api("POST", "/api/v1/pods", {**base, "resources": {"gpus": 6}})
    assert too_large.status == 422 and too_large.json()["error"]["code"] == "POD_TOO_LARGE"
    assert api("POST", "/api/v1/pods", {**base, "resources": {"cpu": 20}}).status == 422  # nodes have 16

    not_free = api("POST", "/api/v1/pods", {**base, "resources": {"gpus": 2}})
    assert not_free.status == 409, not_free.body
    error = not_free.json()["error"]
    assert error["code"] == "INSUFFICIENT_RESOURCES"
    assert error["details"]["free"][server["id"]]["gpus"] == 1
    assert error["details"]["free"][server["id"]]["cpu"] == 28
    assert error["details"]["requested"]["gpus"] == 2
    assert busy.pod_object(server["namespace"], "big") is None

    assert api.pod(server["id"], "fits", resources={"gpus": 1})["resources"]["gpus"] == 1
    assert api("POST", "/api/v1/pods", {**base, "resources": {"gpus": 1}}).status == 409  # now all taken


def test_auto_placement_picks_most_free_gpus(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    api = tenant()
    clusters = [emulators(pods=[pod("load", "x", gpus=used)]) for used in ("3", "1", "2")]
    servers = [api.server(cluster.url) for cluster in clusters]
    placed = api.pod("auto", "placed", resources={"gpus": 1})
    assert placed["server_id"] == servers[1]["id"]
    assert clusters[1].pod_object(servers[1]["namespace"], "placed") is not None

    # Free GPUs now 1, 2, 2: the tie goes to the one with more free CPU (same here), then the name.
    second = api.pod("auto", "second", resources={"gpus": 2})
    assert second["server_id"] in {servers[1]["id"], servers[2]["id"]}

    full = api("POST", "/api/v1/pods", {"server_id": "auto", "name": "nope", "image": "x", "resources": {"gpus": 3}})
    assert full.status == 409 and full.json()["error"]["code"] == "INSUFFICIENT_RESOURCES"
    assert set(full.json()["error"]["details"]["free"]) == {s["id"] for s in servers}
    huge = api("POST", "/api/v1/pods", {"server_id": "auto", "name": "nope", "image": "x", "resources": {"gpus": 5}})
    assert huge.status == 422 and huge.json()["error"]["code"] == "POD_TOO_LARGE"


def test_list_across_servers_survives_a_stopped_one(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    api = tenant()
    clusters = [emulators() for _ in range(3)]
    servers = [api.server(cluster.url) for cluster in clusters]
    made = [api.pod(server["id"], f"p{i}") for i, server in enumerate(servers)]

    listed = api("GET", "/api/v1/pods").json()
    assert {p["id"] for p in listed["items"]} == {p["id"] for p in made} and listed["errors"] == []

    clusters[1].stop()
    started = time.perf_counter()
    listed = api("GET", "/api/v1/pods").json()
    elapsed = time.perf_counter() - started
    assert {p["id"] for p in listed["items"]} == {made[0]["id"], made[2]["id"]}
    assert len(listed["errors"]) == 1
    assert listed["errors"][0]["server_id"] == servers[1]["id"]
    assert listed["errors"][0]["reason"] in {"UNREACHABLE", "TIMEOUT"}
    assert elapsed < 4, "a stopped server costs at most its timeout"
    assert api("GET", f"/api/v1/pods/{made[1]['id']}").status == 503
    assert api("GET", f"/api/v1/pods/{made[0]['id']}").status == 200


def test_list_filters_and_pages(tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]) -> None:
    api = tenant()
    one, two = emulators(), emulators()
    s1, s2 = api.server(one.url), api.server(two.url)
    a = api.pod(s1["id"], "a", labels={"team": "red"})
    b = api.pod(s1["id"], "b", labels={"team": "blue"})
    c = api.pod(s2["id"], "c", labels={"team": "red"})
    one.patch_pod(s1["namespace"], "a", status={"phase": "Running"})

    def ids(**params: str) -> set[str]:
        reply = api("GET", "/api/v1/pods", params=params)
        assert reply.status == 200, reply.body
        return {p["id"] for p in reply.json()["items"]}

    assert ids(server_id=s1["id"]) == {a["id"], b["id"]}
    assert ids(server_id=s2["id"]) == {c["id"]}
    assert ids(status="running") == {a["id"]}
    assert ids(status="pending") == {b["id"], c["id"]}
    assert ids(label="team=red") == {a["id"], c["id"]}
    assert ids(label="team=red", server_id=s2["id"]) == {c["id"]}

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = api("GET", "/api/v1/pods", params=params).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        assert page["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert sorted(seen) == sorted([a["id"], b["id"], c["id"]]) and len(seen) == 3

    assert api("GET", "/api/v1/pods", params={"cursor": "bm9wZQ=="}).status == 400
    assert api("GET", "/api/v1/pods", params={"label": "no-equals"}).status == 422
    assert api("GET", "/api/v1/pods", params={"status": "sleeping"}).status == 422
    assert api("GET", "/api/v1/pods", params={"server_id": "nope"}).status == 404


def test_tenants_sharing_a_cluster_never_see_each_others_pods(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    stranger = pod("not-ours", "shared")
    stranger["metadata"]["labels"] = dict(MANAGED)  # managed, but no tenant label
    cluster = emulators(pods=[stranger, pod("plain", "shared")])
    alice, bob = tenant(), tenant()
    sa, sb = alice.server(cluster.url, namespace="shared"), bob.server(cluster.url, namespace="shared")
    mine = alice.pod(sa["id"], "alice-pod")
    theirs = bob.pod(sb["id"], "bob-pod")

    assert [p["id"] for p in alice("GET", "/api/v1/pods").json()["items"]] == [mine["id"]]
    assert [p["id"] for p in bob("GET", "/api/v1/pods").json()["items"]] == [theirs["id"]]
    for method, body in (("GET", None), ("DELETE", None), ("PUT", {"image": "evil"})):
        reply = bob(method, f"/api/v1/pods/{mine['id']}", body)
        assert reply.status == 404 and reply.json()["error"]["code"] == "POD_NOT_FOUND"
    assert cluster.pod_object("shared", "alice-pod") is not None
    assert alice("GET", f"/api/v1/pods/{mine['id']}").status == 200
    assert bob("POST", "/api/v1/pods", {"server_id": sa["id"], "name": "x", "image": "x"}).status == 404


def test_get_replace_delete(tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]) -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    api = tenant()
    cluster = emulators(pods=[pod("load", "x", gpus="1")])
    server = api.server(cluster.url)
    made = api.pod(server["id"], "job", labels={"v": "1"}, resources={"gpus": 1, "cpu": 2, "ram_gb": 4})

    # 2 GPUs free besides this pod's own 1: growing to 3 fits only because its own is credited back.
    accepted = api("PUT", f"/api/v1/pods/{made['id']}", {"resources": {"gpus": 3, "ram_gb": 16}})
    assert accepted.status == 202, accepted.body
    assert accepted.json()["type"] == "pods.replace"
    assert cluster.pod_object(server["namespace"], "job") is not None, "replaced by the job, not the request"
    drain()
    job = api("GET", f"/api/v1/jobs/{accepted.json()['id']}").json()
    assert job["status"] == "completed", job
    assert job["summary"]["replaced"] is True and job["summary"]["pod_id"] == made["id"]
    body = api("GET", f"/api/v1/pods/{made['id']}").json()
    assert body["id"] == made["id"] and body["name"] == "job"
    assert body["resources"] == {"gpus": 3, "cpu": 2.0, "ram_gb": 16.0, "storage_gb": 0.0}, "cpu kept"
    assert body["labels"] == {"v": "1"} and body["image"] == "busybox", "fields left out are kept"
    stored = cluster.pod_object(server["namespace"], "job")
    assert stored is not None and stored["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "3"
    assert api("GET", f"/api/v1/pods/{made['id']}").json()["resources"]["gpus"] == 3

    not_free = api("PUT", f"/api/v1/pods/{made['id']}", {"resources": {"gpus": 4}})
    assert not_free.status == 409 and not_free.json()["error"]["code"] == "INSUFFICIENT_RESOURCES"
    assert cluster.pod_object(server["namespace"], "job") is not None, "a refused replacement keeps the pod"

    too_much = api("PUT", f"/api/v1/pods/{made['id']}", {"resources": {"gpus": 5}})
    assert too_much.status == 422 and too_much.json()["error"]["code"] == "POD_TOO_LARGE"
    assert api("PUT", f"/api/v1/pods/{made['id']}", {"name": "renamed"}).status == 422  # name cannot change
    assert api("PUT", "/api/v1/pods/pod_nope", {"image": "x"}).status == 404

    assert api("DELETE", f"/api/v1/pods/{made['id']}").status == 204
    assert cluster.pod_object(server["namespace"], "job") is None
    assert api("GET", f"/api/v1/pods/{made['id']}").status == 404
    assert api("DELETE", f"/api/v1/pods/{made['id']}").status == 404


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({}, "pending"),
        ({"phase": "Pending"}, "pending"),
        ({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}, "running"),
        ({"phase": "Succeeded"}, "succeeded"),
        ({"phase": "Failed"}, "failed"),
        ({"phase": "Unknown"}, "unknown"),
        ({"phase": "Pending", "containerStatuses": [{"state": {"waiting": {"reason": "ImagePullBackOff"}}}]}, "failed"),
        ({"phase": "Running", "containerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}, "failed"),
    ],
)
def test_status_maps_phase_and_conditions(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator], status: dict[str, Any], expected: str
) -> None:
    api, cluster = tenant(), emulators()
    server = api.server(cluster.url)
    made = api.pod(server["id"], "watched")
    cluster.patch_pod(server["namespace"], "watched", status=status)
    fetched = api("GET", f"/api/v1/pods/{made['id']}").json()
    assert fetched["status"] == expected and fetched["phase"] == status.get("phase")


def test_failed_create_leaves_no_index_row(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    api, cluster = tenant(), emulators()
    server = api.server(cluster.url)
    made = api.pod(server["id"], "gone")
    cluster.stop()  # a failed create leaves no index row behind
    failed = api("POST", "/api/v1/pods", {"server_id": server["id"], "name": "never", "image": "x"})
    assert failed.status == 503 and failed.json()["error"]["details"]["reason"] in {"UNREACHABLE", "TIMEOUT"}
    assert deps.pods().get(api.id, made["id"]) is not None
    rows = list(deps.storage().table("pods").query_entities("PartitionKey eq @pk", parameters={"pk": api.id}))
    assert [row["RowKey"] for row in rows] == [made["id"]]


def test_create_from_a_template_with_overrides(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    api, cluster = tenant(), emulators()
    server = api.server(cluster.url)
    made = api.pod(
        server["id"],
        "from-template",
        image=None,
        template_id="builtin:cpu-small",
        resources={"cpu": 3, "ram_gb": 6},
        env={"MODE": "fast"},
    )
    assert made["template_id"] == "builtin:cpu-small" and made["image"] == "ubuntu:22.04"
    assert made["command"] == ["sleep", "infinity"] and made["env"] == {"MODE": "fast"}
    assert made["resources"] == {"gpus": 0, "cpu": 3.0, "ram_gb": 6.0, "storage_gb": 10.0}, "storage_gb kept"
    stored = cluster.pod_object(server["namespace"], "from-template")
    assert stored is not None and stored["spec"]["containers"][0]["image"] == "ubuntu:22.04"
    missing = api("POST", "/api/v1/pods", {"server_id": server["id"], "name": "x", "template_id": "builtin:nope"})
    assert missing.status == 404 and missing.json()["error"]["code"] == "TEMPLATE_NOT_FOUND"
    assert api("POST", "/api/v1/pods", {"server_id": server["id"], "name": "x"}).status == 422  # no image


def _deploy(api: Tenant, **config: Any) -> dict[str, Any]:
    reply = api("POST", "/api/v1/jobs", {"type": "pods.deploy", "name": "deploy", "configuration": config})
    assert reply.status == 202, reply.body
    drain()
    job: dict[str, Any] = api("GET", f"/api/v1/jobs/{reply.json()['id']}").json()
    return job


def test_deploy_job_reports_per_server_and_retries_failed_servers_only(
    tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]
) -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    api = tenant()
    full = pod("hog", "x", gpus="4")
    clusters = [emulators(), emulators(), emulators(pods=[full])]
    servers = [api.server(cluster.url) for cluster in clusters]
    ids = [server["id"] for server in servers]

    job = _deploy(api, name="web", image="nginx", resources={"gpus": 1}, server_ids=ids)
    assert job["status"] == "completed_with_errors", job
    assert job["summary"]["failed_servers"] == [ids[2]]
    assert job["summary"]["servers"][ids[0]] == {"ok": 1, "failed": 0}
    rows = {row["server_id"]: row for row in api("GET", f"/api/v1/jobs/{job['id']}/results").json()["rows"]}
    assert rows[ids[2]]["outcome"] == "failed" and rows[ids[2]]["error"] == "INSUFFICIENT_RESOURCES"
    assert rows[ids[0]]["outcome"] == "created"
    listed = api("GET", "/api/v1/pods").json()["items"]
    assert sorted(p["server_id"] for p in listed) == sorted(ids[:2])

    clusters[2].patch_pod("x", "hog", status={"phase": "Succeeded"})  # its GPUs are free again
    assert api("POST", f"/api/v1/jobs/{job['id']}/retry", {"failed_only": True}).status == 202
    drain()
    again = api("GET", f"/api/v1/jobs/{job['id']}").json()
    assert again["status"] == "completed", again
    assert again["summary"]["failed_servers"] == [] and again["summary"]["pods_ok"] == 3
    rows = {row["server_id"]: row for row in api("GET", f"/api/v1/jobs/{job['id']}/results").json()["rows"]}
    assert rows[ids[2]]["outcome"] == "created" and rows[ids[0]]["outcome"] == "created", "ok servers not re-run"
    assert len(api("GET", "/api/v1/pods").json()["items"]) == 3
    assert api("GET", f"/api/v1/pods/{rows[ids[2]]['pod_id']}").json()["server_id"] == ids[2]


def test_deploy_job_spreads_replicas(tenant: Callable[[], Tenant], emulators: Callable[..., KubeEmulator]) -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    api = tenant()
    one, two = emulators(), emulators()
    s1, s2 = api.server(one.url, name="a-first"), api.server(two.url, name="b-second")
    job = _deploy(api, name="worker", image="busybox", replicas=5)
    assert job["status"] == "completed", job
    assert job["summary"]["servers"] == {s1["id"]: {"ok": 3, "failed": 0}, s2["id"]: {"ok": 2, "failed": 0}}
    assert sorted(p["metadata"]["name"] for p in one.pods()) == ["worker-0", "worker-2", "worker-4"]
    assert sorted(p["metadata"]["name"] for p in two.pods()) == ["worker-1", "worker-3"]

    bad = api(
        "POST",
        "/api/v1/jobs",
        {"type": "pods.deploy", "name": "d", "configuration": {"name": "x", "image": "y", "server_ids": ["nope"]}},
    )
    assert bad.status == 404 and bad.json()["error"]["code"] == "SERVER_NOT_FOUND"
