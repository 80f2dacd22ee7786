"""The ``openstack.power_action`` job's state machine, on the engine, against the OpenStack stub.

Real openstacksdk requests go over HTTP to the recording stub (tests/support/openstack_stub.py);
the engine runs on the in-memory double, each work message delivered by hand, so every re-check,
its delay and every duplicate delivery is visible. The clock is the test's: a timeout is reached
by moving it, not by waiting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from shared.jobs import registry
from shared.jobs.engine import Engine
from shared.jobs.store import WORK_QUEUE
from shared.models.clouds import CloudConfig
from shared.models.jobs import JobCreate, JobStatus
from shared.providers.openstack import CloudConnections, CloudError
from shared.services.clouds import cloud_failure, cloud_not_found
from shared.services.power_jobs import power_action_type
from tests.support.memstore import MemStorage
from tests.support.openstack_stub import OpenStackStub, Script

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TENANT = "t-power"
CLOUD = "cloud-1"
POLL = 7
JOB_TYPE = "unit.power_action"  # the app's own openstack.power_action is registered by deps, on its services


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenStackStub]:
    server = OpenStackStub().start()
    yield server
    server.stop()


class StubClouds:
    """Stands for the clouds service's ``call``, on the real connection cache: the tenant's one
    cloud (the stub), failures mapped by the service's own ``cloud_failure``."""

    def __init__(self, stub: OpenStackStub) -> None:
        self.config = CloudConfig.model_validate(stub.cloud())
        self.connections = CloudConnections(5.0)

    def call(self, tenant_id: str, cloud_id: str, action: Callable[[Any], Any], what: str = "The cloud") -> Any:
        if (tenant_id, cloud_id) != (TENANT, CLOUD):
            raise cloud_not_found(cloud_id)
        try:
            return self.connections.call(f"{tenant_id}:{cloud_id}", self.config, action)
        except CloudError as error:
            raise cloud_failure(error, cloud_id, what) from None


@dataclass
class Clock:
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()
CLOUDS: list[StubClouds] = []


def _register_once() -> None:
    if registry.get(JOB_TYPE) is None:
        settings = SimpleNamespace(openstack_action_timeout_seconds=900, openstack_action_poll_seconds=POLL)
        job_type = power_action_type(lambda: CLOUDS[-1], lambda: settings, CLOCK, JOB_TYPE)  # type: ignore[arg-type,return-value]
        registry.register(job_type)


class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[dict[str, Any], int]] = []

    def create_queue(self) -> None: ...

    def send_message(self, text: str, visibility_timeout: int = 0, **_: Any) -> None:
        self.sent.append((json.loads(text), visibility_timeout))

    def take(self) -> list[tuple[dict[str, Any], int]]:
        taken, self.sent = self.sent, []
        return taken


@pytest.fixture
def queue(stub: OpenStackStub) -> RecordingQueue:
    _register_once()
    CLOUDS.append(StubClouds(stub))
    stub.state.requests.clear()
    return RecordingQueue()


@pytest.fixture
def engine(queue: RecordingQueue) -> Engine:
    store = MemStorage()
    store.queue_clients[WORK_QUEUE] = queue  # type: ignore[assignment]
    return Engine(store, max_attempts=3)  # type: ignore[arg-type]


def submit(engine: Engine, target: str, target_id: str, action: str, tenant: str = TENANT, **extra: Any) -> str:
    configuration = {"cloud_id": CLOUD, "target": target, "target_id": target_id, "action": action, **extra}
    request = JobCreate(type=JOB_TYPE, name=f"{action} {target_id}", configuration=configuration)
    job, _ = engine.submit(tenant, request, TRACE)
    return job.job_id


def run(engine: Engine, queue: RecordingQueue, limit: int = 50, tick: float = POLL) -> list[int]:
    """Deliver work until none is left, moving the clock by ``tick`` per re-check; the delays seen."""
    delays: list[int] = []
    for _ in range(limit):
        sent = queue.take()
        if not sent:
            return delays
        for message, delay in sent:
            if "check" in message:
                delays.append(delay)
                CLOCK.now += tick
            engine.process(message)
    raise AssertionError("the job did not settle")


def actions(stub: OpenStackStub, resource_id: str) -> list[tuple[str, str, Any]]:
    """The requests that change something (not the looks), as (method, path tail, body)."""
    return [
        (r.method, r.path.split(resource_id, 1)[1], r.body)
        for r in stub.state.requests
        if resource_id in r.path and r.method != "GET"
    ]


def error_of(engine: Engine, job_id: str) -> dict[str, Any]:
    return json.loads(engine.load(TENANT, job_id).error or "{}")


@pytest.mark.parametrize(
    ("action", "status", "request_sent", "final"),
    [
        ("off", "ACTIVE", ("POST", "/action", {"os-stop": None}), "SHUTOFF"),
        ("on", "SHUTOFF", ("POST", "/action", {"os-start": None}), "ACTIVE"),
        ("suspend", "ACTIVE", ("POST", "/action", {"suspend": None}), "SUSPENDED"),
        ("resume", "SUSPENDED", ("POST", "/action", {"resume": None}), "ACTIVE"),
        ("destroy", "ACTIVE", ("DELETE", "", None), "DELETED"),
    ],
)
def test_a_device_action_is_sent_once_and_completes_at_the_target_state(
    stub: OpenStackStub,
    engine: Engine,
    queue: RecordingQueue,
    action: str,
    status: str,
    request_sent: tuple[str, str, Any],
    final: str,
) -> None:
    server = stub.state.server(status, **{"os-stop": Script(polls=2), "os-start": Script(polls=2)})
    job_id = submit(engine, "device", server.id, action)
    delays = run(engine, queue)
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.COMPLETED, job.error
    assert actions(stub, server.id) == [request_sent]
    assert delays and set(delays) == {POLL}  # each look after the first waited in the queue, not a worker
    summary = json.loads(job.summary or "{}")
    assert summary["state"] == final and summary["outcome"] == "done" and summary["checks"] == len(delays) + 1
    looks = [r for r in stub.state.requests if r.method == "GET" and r.path.endswith(server.id)]
    assert len(looks) == summary["checks"]
    assert len(stub.state.calls("POST", "/v3/auth/tokens")) == 1  # one login for every look and the action


def test_a_server_that_goes_to_error_fails_the_job_with_novas_fault(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    fault = {"code": 500, "message": "No valid host was found. There are not enough hosts available."}
    server = stub.state.server(
        "SHUTOFF", **{"os-start": Script(polls=1, final={"status": "ERROR", "task_state": None, "fault": fault})}
    )
    job_id = submit(engine, "device", server.id, "on")
    run(engine, queue)
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.FAILED
    error = error_of(engine, job_id)
    assert error["code"] == "ACTION_FAILED" and error["message"] == fault["message"]
    assert error["details"]["last_state"] == "ERROR" and error["details"]["target_state"] == "ACTIVE"
    assert actions(stub, server.id) == [("POST", "/action", {"os-start": None})]


def test_a_server_that_never_gets_there_fails_with_a_timeout_and_the_last_state(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=10**6)})
    job_id = submit(engine, "device", server.id, "off", timeout_seconds=30)
    delays = run(engine, queue, limit=20)
    assert len(delays) == 30 // POLL + 1  # looks every 7 s until 30 s have passed, then stops
    error = error_of(engine, job_id)
    assert engine.load(TENANT, job_id).status is JobStatus.FAILED
    assert error["code"] == "ACTION_TIMEOUT"
    assert error["details"]["last_state"] == "ACTIVE" and error["details"]["task_state"] == "powering-off"
    assert error["details"]["timeout_seconds"] == 30 and "SHUTOFF" in error["message"]
    assert actions(stub, server.id) == [("POST", "/action", {"os-stop": None})]


def test_a_duplicate_delivery_does_not_send_the_action_again(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=3)})
    job_id = submit(engine, "device", server.id, "off")
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)
    engine.process(batch)  # the queue delivers the batch again (its first run's message was not deleted)
    first, second = queue.take()
    assert [m["check"] for m, _ in (first, second)] == [1, 2]
    for message, _ in (first, second):
        engine.process(message)  # the older re-check is dropped; the newer carries on
    run(engine, queue)
    assert engine.load(TENANT, job_id).status is JobStatus.COMPLETED
    assert actions(stub, server.id) == [("POST", "/action", {"os-stop": None})]


def test_a_step_that_stopped_before_saving_that_it_sent_does_not_send_again(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    """The first delivery sends the action and dies before its wait is saved: the redelivery
    finds no progress, sees Nova busy with the server, and waits instead of sending."""
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=2)})
    job_type = registry.get(JOB_TYPE)
    assert job_type is not None
    config = job_type.config_model.model_validate(
        {"cloud_id": CLOUD, "target": "device", "target_id": server.id, "action": "off"}
    )
    context = SimpleNamespace(tenant_id=TENANT, job_id="job_x", progress={}, round=0, log=lambda message: None)
    for _ in range(2):  # the same step, twice, with nothing saved between
        with pytest.raises(registry.Waiting) as waiting:
            job_type.run_batch(context, config, {"rows": 1})  # type: ignore[arg-type]
    assert waiting.value.progress["sent"] is True and waiting.value.progress["adopted"] is True
    assert actions(stub, server.id) == [("POST", "/action", {"os-stop": None})]


@pytest.mark.parametrize(
    ("action", "status", "request_sent", "final"),
    [
        ("suspend", "CREATE_COMPLETE", ("POST", "/actions", {"suspend": None}), "SUSPEND_COMPLETE"),
        ("resume", "SUSPEND_COMPLETE", ("POST", "/actions", {"resume": None}), "RESUME_COMPLETE"),
        ("destroy", "UPDATE_COMPLETE", ("DELETE", "", None), "DELETED"),
    ],
)
def test_a_rack_action_follows_the_heat_stack_to_its_state(
    stub: OpenStackStub,
    engine: Engine,
    queue: RecordingQueue,
    action: str,
    status: str,
    request_sent: tuple[str, str, Any],
    final: str,
) -> None:
    stack = stub.state.stack(status, **{action if action != "destroy" else "delete": Script(polls=2)})
    job_id = submit(engine, "rack", stack.id, action)
    delays = run(engine, queue)
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.COMPLETED, job.error
    assert actions(stub, stack.id) == [request_sent]
    assert len(delays) == 3 and json.loads(job.summary or "{}")["state"] == final


def test_a_failed_stack_operation_fails_the_job_with_heats_reason(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    reason = "Resource SUSPEND failed: Error: resources.server: Cannot 'suspend' instance"
    stack = stub.state.stack(
        "CREATE_COMPLETE", suspend=Script(polls=1, final={"status": "SUSPEND_FAILED", "reason": reason})
    )
    job_id = submit(engine, "rack", stack.id, "suspend")
    run(engine, queue)
    error = error_of(engine, job_id)
    assert engine.load(TENANT, job_id).status is JobStatus.FAILED
    assert (error["code"], error["message"], error["details"]["last_state"]) == (
        "ACTION_FAILED",
        reason,
        "SUSPEND_FAILED",
    )


def test_another_tenants_cloud_fails_the_job_without_a_request_to_it(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    server = stub.state.server("ACTIVE")
    job_id = submit(engine, "device", server.id, "off", tenant="t-other")
    run(engine, queue)
    job = engine.load("t-other", job_id)
    assert job.status is JobStatus.FAILED
    assert json.loads(job.error or "{}")["code"] == "CLOUD_NOT_FOUND"
    assert [r for r in stub.state.requests if server.id in r.path] == []


def test_an_action_the_state_no_longer_allows_fails_without_a_request(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    """Checked at submission (409), but the server may change before the job runs (one already at
    the target state completes the job: that is also how a redelivery after the end is recognised)."""
    server = stub.state.server("SUSPENDED")
    job_id = submit(engine, "device", server.id, "on")
    run(engine, queue)
    error = error_of(engine, job_id)
    assert error["code"] == "ACTION_NOT_ALLOWED" and error["details"]["last_state"] == "SUSPENDED"
    assert actions(stub, server.id) == []


def test_a_cloud_that_does_not_answer_for_a_while_is_looked_at_again(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=1)})
    job_id = submit(engine, "device", server.id, "off")
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)  # sends os-stop
    stub.state.fail_next = 2  # the next two looks get 503
    run(engine, queue)
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.COMPLETED, job.error
    # the first look, two unanswered, one in transition (Nova's scripted read), one at SHUTOFF
    assert json.loads(job.summary or "{}")["checks"] == 5
    assert actions(stub, server.id) == [("POST", "/action", {"os-stop": None})]
    assert [r.status for r in stub.state.requests if r.method == "GET" and r.path.endswith(server.id)] == [
        200,
        503,
        503,
        200,
        200,
    ]


def test_twin_deliveries_running_at_once_make_nova_act_once_and_both_follow_it(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    """Both look before either sends: the second's os-stop meets Nova's 409 (the task is running),
    so it looks again and follows the first one's action instead of failing the job."""
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=2)})
    job_type = registry.get(JOB_TYPE)
    assert job_type is not None
    config = job_type.config_model.model_validate(
        {"cloud_id": CLOUD, "target": "device", "target_id": server.id, "action": "off"}
    )
    context = SimpleNamespace(tenant_id=TENANT, job_id="job_y", progress={}, round=0, log=lambda message: None)
    with pytest.raises(registry.Waiting):
        job_type.run_batch(context, config, {"rows": 1})  # type: ignore[arg-type]  # the first sends
    server.stale_reads = 1  # the twin's look raced the first one's action
    with pytest.raises(registry.Waiting) as waiting:
        job_type.run_batch(context, config, {"rows": 1})  # type: ignore[arg-type]
    assert waiting.value.progress["sent"] is True and waiting.value.progress["adopted"] is True
    sent = [(r.body, r.status) for r in stub.state.requests if r.method == "POST" and server.id in r.path]
    assert sent == [({"os-stop": None}, 202), ({"os-stop": None}, 409)]  # Nova did it once


def test_a_retried_timeout_starts_afresh_and_follows_the_action_still_running(
    stub: OpenStackStub, engine: Engine, queue: RecordingQueue
) -> None:
    server = stub.state.server("ACTIVE", **{"os-stop": Script(polls=10**6)})
    job_id = submit(engine, "device", server.id, "off", timeout_seconds=10)
    run(engine, queue)
    assert error_of(engine, job_id)["code"] == "ACTION_TIMEOUT"
    server.pending = [{"status": "SHUTOFF", "task_state": None}]  # Nova gets there after one more read
    engine.retry(TENANT, job_id, failed_only=True)
    run(engine, queue)
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.COMPLETED, job.error
    assert json.loads(job.summary or "{}")["checks"] == 2  # counted afresh: busy, then SHUTOFF
    assert actions(stub, server.id) == [("POST", "/action", {"os-stop": None})]
