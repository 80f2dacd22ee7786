"""Power actions through the API: the routes, the check at submission, and the job run by the real
worker on Azurite, against the recording OpenStack stub (openstacksdk's real requests).

The work queue is drained as the host would, honouring the visibility delays the job's re-checks
are sent with, so a wait here is real queue time (one second per poll).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.support.inprocess import InProcessClient
from tests.support.openstack_stub import OpenStackStub, Script

pytestmark = pytest.mark.usefixtures("cluster_settings")

Tenant = dict[str, Any]


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenStackStub]:
    server = OpenStackStub().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fast_polls(configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_OPENSTACK_ACTION_POLL_SECONDS=1, CLOUDPLANE_OPENSTACK_ACTION_TIMEOUT_SECONDS=60)


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def register(client: InProcessClient, tenant: Tenant, stub: OpenStackStub) -> str:
    """The stub as one of the tenant's clouds, registered as users register theirs."""
    body = {"name": f"cloud-{uuid.uuid4().hex[:8]}", "kind": "openstack", "cloud": stub.cloud()}
    reply = client.post("/api/v1/servers", json=body, headers=tenant["headers"])
    assert reply.status == 201, reply.body
    return str(reply.json()["id"])


def run_jobs(client: InProcessClient, tenant: Tenant, job_id: str, within: float = 30.0) -> dict[str, Any]:
    """Work the queue as the host does (visible messages only) until the job ends; the job."""
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for message in queue.receive_messages(messages_per_page=32, max_messages=32, visibility_timeout=60):
            engine.process(json.loads(message.content), message.dequeue_count)
            queue.delete_message(message)
        job = client.get(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).json()
        if job["status"] in ("completed", "completed_with_errors", "failed", "cancelled"):
            return dict(job)
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end within {within} s")


def changes(stub: OpenStackStub, resource_id: str) -> list[tuple[str, str, Any]]:
    return [
        (r.method, r.path.split(resource_id, 1)[1], r.body)
        for r in stub.state.calls()
        if resource_id in r.path and r.method != "GET"
    ]


def test_powering_a_server_off_is_a_job_that_completes_at_shutoff(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub
) -> None:
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=2)})
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json={"action": "off"}, headers=tenant["headers"]
    )
    assert reply.status == 202, reply.body
    job = reply.json()
    assert reply.header("Location") == f"/api/v1/jobs/{job['id']}"
    assert job["type"] == "openstack.power_action" and job["status"] == "queued"
    assert job["configuration"]["state_at_submission"] == "ACTIVE"
    done = run_jobs(client, tenant, job["id"])
    assert done["status"] == "completed", done
    assert done["summary"]["state"] == "SHUTOFF" and done["summary"]["target_state"] == "SHUTOFF"
    assert changes(stub, server.id) == [("POST", "/action", {"os-stop": None})]
    log = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()
    messages = [entry["message"]["message_type"] for entry in log["items"]]
    assert messages[0] == "job_created" and messages[-1] == "job_completed" and "job_progress" in messages


def test_an_action_the_state_does_not_allow_is_a_409_with_the_state_and_no_job(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub
) -> None:
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    server = stub.state.server("ACTIVE")
    for action in ("on", "resume"):
        reply = client.post(
            f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json={"action": action}, headers=tenant["headers"]
        )
        assert reply.status == 409, reply.body
        error = reply.json()["error"]
        assert error["code"] == "ACTION_NOT_ALLOWED" and error["details"]["state"] == "ACTIVE"
        assert error["details"]["action"] == action
    stack = stub.state.stack("CREATE_COMPLETE")
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/racks/{stack.id}/actions", json={"action": "resume"}, headers=tenant["headers"]
    )
    assert reply.status == 409 and reply.json()["error"]["details"]["state"] == "CREATE_COMPLETE"
    jobs = client.get("/api/v1/jobs", headers=tenant["headers"]).json()
    assert jobs["items"] == []
    assert changes(stub, server.id) == [] and changes(stub, stack.id) == []


def test_another_tenants_cloud_is_404_and_the_cloud_is_not_called(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub
) -> None:
    owner, other = make_tenant(), make_tenant()
    cloud_id = register(client, owner, stub)
    server = stub.state.server("ACTIVE")
    before = len(stub.state.calls())
    for path, action in (("devices", "off"), ("racks", "suspend")):
        reply = client.post(
            f"/api/v1/clouds/{cloud_id}/{path}/{server.id}/actions", json={"action": action}, headers=other["headers"]
        )
        assert reply.status == 404, reply.body
        assert reply.json()["error"]["details"].get("code", reply.json()["error"]["code"]) == "CLOUD_NOT_FOUND"
    assert len(stub.state.calls()) == before


def test_a_missing_server_or_stack_is_404_and_a_bad_action_422(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub
) -> None:
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    missing = str(uuid.uuid4())
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/devices/{missing}/actions", json={"action": "off"}, headers=tenant["headers"]
    )
    assert reply.status == 404 and reply.json_or_none_code() in ("DEVICE_NOT_FOUND", "NOT_FOUND")
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/racks/{missing}/actions", json={"action": "destroy"}, headers=tenant["headers"]
    )
    assert reply.status == 404
    server = stub.state.server("ACTIVE")
    for body in ({"action": "reboot"}, {"action": "on", "extra": 1}, {}):
        reply = client.post(
            f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json=body, headers=tenant["headers"]
        )
        assert reply.status == 422, (body, reply.body)
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/racks/{server.id}/actions", json={"action": "on"}, headers=tenant["headers"]
    )
    assert reply.status == 422


def test_a_server_that_never_gets_there_fails_with_a_timeout(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub, configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_OPENSTACK_ACTION_POLL_SECONDS=1, CLOUDPLANE_OPENSTACK_ACTION_TIMEOUT_SECONDS=2)
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=10**6)})
    started = time.monotonic()
    reply = client.post(
        f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json={"action": "on"}, headers=tenant["headers"]
    )
    assert reply.status == 202, reply.body
    done = run_jobs(client, tenant, reply.json()["id"])
    assert done["status"] == "failed"
    assert done["error"]["code"] == "ACTION_TIMEOUT"
    assert done["error"]["details"]["last_state"] == "SHUTOFF"
    assert done["error"]["details"]["task_state"] == "powering-on"
    assert time.monotonic() - started < 20
    assert changes(stub, server.id) == [("POST", "/action", {"os-start": None})]


def test_a_server_in_error_fails_the_job_with_the_fault_and_a_rack_suspends(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenStackStub
) -> None:
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    fault = {"code": 500, "message": "Failed to suspend instance: libvirt error"}
    server = stub.state.server(
        "ACTIVE", suspend=Script(polls=1, final={"status": "ERROR", "task_state": None, "fault": fault})
    )
    stack = stub.state.stack("CREATE_COMPLETE", suspend=Script(polls=1))
    device = client.post(
        f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json={"action": "suspend"}, headers=tenant["headers"]
    )
    rack = client.post(
        f"/api/v1/clouds/{cloud_id}/racks/{stack.id}/actions", json={"action": "suspend"}, headers=tenant["headers"]
    )
    assert (device.status, rack.status) == (202, 202)
    failed = run_jobs(client, tenant, device.json()["id"])
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "ACTION_FAILED" and failed["error"]["message"] == fault["message"]
    assert failed["error"]["details"]["last_state"] == "ERROR"
    suspended = run_jobs(client, tenant, rack.json()["id"])
    assert suspended["status"] == "completed" and suspended["summary"]["state"] == "SUSPEND_COMPLETE"
    assert changes(stub, stack.id) == [("POST", "/actions", {"suspend": None})]
