"""The stale-job sweeper and the index of unfinished jobs it reads."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from shared import deps
from shared.jobs import activity, sweeper
from shared.jobs.store import EVENTS_QUEUE, JOBS, WORK_QUEUE, active_row, now
from tests.functional.test_jobs import drain, echo
from tests.support.inprocess import InProcessClient

Tenant = dict[str, Any]


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def clear_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def indexed(tenant: Tenant) -> list[str]:
    return [e["job_id"] for e in sweeper.active_entries(deps.jobs().storage, tenant["tenant"]["id"])]


def sweep(tenant: Tenant, after_seconds: float) -> dict[str, int]:
    return sweeper.sweep(
        deps.jobs(), now() + timedelta(seconds=after_seconds), 300, 900, 3600, tenant_id=tenant["tenant"]["id"]
    )


def status_of(client: InProcessClient, tenant: Tenant, job_id: str) -> Any:
    return client.get(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).json()


def test_a_lost_start_message_is_sent_again(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=5, batch_size=2).json()
    assert indexed(tenant) == [job["id"]]
    clear_work_queue()  # the start message was lost

    assert sweep(tenant, 10)["requeued"] == 0, "not stale yet"
    assert drain() == 0
    report = sweep(tenant, 301)
    assert report["requeued"] == 1 and report["stalled"] == 0
    assert sweep(tenant, 302)["requeued"] == 0, "re-sent at most once per threshold period"
    drain()
    assert status_of(client, tenant, job["id"])["status"] == "completed"
    assert indexed(tenant) == [], "a finished job leaves the index"


def test_a_running_job_gets_its_unfinished_batches_again(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=6, batch_size=2).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    (start,) = list(queue.receive_messages(max_messages=32))
    engine.process(json.loads(start.content))
    clear_work_queue()  # the batch messages were lost
    assert status_of(client, tenant, job["id"])["status"] == "running"

    assert sweep(tenant, 600)["redriven"] == 0
    assert sweep(tenant, 901)["redriven"] == 1
    assert drain() == 3
    done = status_of(client, tenant, job["id"])
    assert done["status"] == "completed" and done["progress"]["processed"] == 6
    assert indexed(tenant) == []


def test_a_job_stuck_past_the_fail_age_fails_with_job_stalled(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=2).json()
    clear_work_queue()
    report = sweep(tenant, 3601)
    assert report["stalled"] == 1
    failed = status_of(client, tenant, job["id"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "JOB_STALLED"
    kinds = [
        e["message"]["message_type"]
        for e in client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    ]
    assert kinds[-1] == "job_failed"
    assert indexed(tenant) == []
    stats = client.get("/api/v1/stats", headers=tenant["headers"]).json()
    assert stats["by_status"]["failed"] == 1 and stats["by_status"]["queued"] == 0
    assert stats["duration_seconds"]["p50"] is None, "it never started"
    assert sweep(tenant, 7200)["checked"] == 0


def test_finished_and_cancelled_jobs_leave_the_index_and_the_sweeper_repairs_leftovers(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    done = echo(client, tenant, items=2).json()
    cancelled = echo(client, tenant, items=2).json()
    assert sorted(indexed(tenant)) == sorted([done["id"], cancelled["id"]])
    client.delete(f"/api/v1/jobs/{cancelled['id']}", headers=tenant["headers"])
    assert indexed(tenant) == [done["id"]]
    drain()
    assert indexed(tenant) == []

    # Index rows the transactions could not have left (a hand-edited table): the sweeper drops them.
    table = deps.jobs().storage.table(JOBS)
    tenant_id = tenant["tenant"]["id"]
    for job_id in (done["id"], "job_gone"):
        table.upsert_entity({"PartitionKey": tenant_id, "RowKey": active_row(job_id), "job_id": job_id})
    report = sweep(tenant, 0)
    assert report["repaired"] == 2
    assert indexed(tenant) == []
    stats = client.get("/api/v1/stats", headers=tenant["headers"]).json()
    assert stats["by_status"]["completed"] == 1 and stats["by_status"]["cancelled"] == 1


def test_the_sweeper_visits_the_tenants_with_jobs_and_forgets_idle_ones(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    engine = deps.jobs()
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    job = echo(client, tenant, items=2).json()
    clear_work_queue()  # the start message was lost
    assert tenant_id in {row["RowKey"] for row in activity.tenants(engine.storage)}

    report = sweeper.sweep(engine, now() + timedelta(seconds=301), 300, 900, 3600)
    assert report["requeued"] >= 1, "found through the tenants list, not told which tenant"
    drain()
    assert status_of(client, tenant, job["id"])["status"] == "completed"
    sweeper.sweep(engine, now() + timedelta(seconds=60), 300, 900, 3600)
    assert tenant_id in {row["RowKey"] for row in activity.tenants(engine.storage)}, "marked lately: kept"

    before = client.get("/api/v1/stats", headers=tenant["headers"], params={"window_hours": "6"}).json()
    later = now() + timedelta(hours=2)
    report = sweeper.sweep(engine, later, 10**6, 10**6, 10**7)
    assert report["rolled_up"] >= 1, "the job's end was rolled up into its hour"
    assert tenant_id not in {row["RowKey"] for row in activity.tenants(engine.storage)}, "idle: forgotten"
    after = client.get("/api/v1/stats", headers=tenant["headers"], params={"window_hours": "6"}).json()
    assert after["by_status"] == before["by_status"] and after["duration_seconds"] == before["duration_seconds"]

    echo(client, tenant, items=1)  # this instance marked the tenant lately, so it does not write again ...
    engine.activity.forget_marks()  # ... but a new instance does
    echo(client, tenant, items=1)
    assert tenant_id in {row["RowKey"] for row in activity.tenants(engine.storage)}


def test_the_timer_function_is_declared() -> None:
    from functions import jobs_maintenance

    (builder,) = jobs_maintenance.bp._function_builders
    function = builder._function
    assert function.get_function_name() == "sweep_stale_jobs"
    (binding,) = function.get_bindings_dict()["bindings"]
    assert binding["type"] == "timerTrigger" and binding["schedule"] == "0 */1 * * * *"
    assert binding["runOnStartup"] is False


def test_job_messages_that_could_not_be_published_are_sent_again_from_the_outbox(
    client: InProcessClient, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = deps.jobs()
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    events = engine.storage.queue(EVENTS_QUEUE)
    events.clear_messages()  # the queue has no subscriber in tests: start from empty

    def outbox() -> list[str]:
        rows = engine.storage.table(JOBS).query_entities(
            "PartitionKey eq @pk and RowKey ge 'out:' and RowKey lt 'out;'", parameters={"pk": tenant_id}
        )
        return [row["RowKey"] for row in rows]

    def published(job_id: str) -> list[tuple[int, str]]:
        found = []
        for message in events.receive_messages(messages_per_page=32, max_messages=500, visibility_timeout=1):
            body = json.loads(message.content)
            if body["job_id"] == job_id:
                found.append((body["sequence"], body["message_type"]))
        return sorted(found)

    done = echo(client, tenant, items=2).json()
    drain()
    assert outbox() == [], "published messages leave nothing behind"
    assert published(done["id"]) == [(0, "job_created"), (1, "job_started"), (2, "job_completed")]

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the events queue is unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(events, "send_message", unreachable)
        job = echo(client, tenant, items=2).json()  # the submission still succeeds
        drain()  # and so does the step
    assert status_of(client, tenant, job["id"])["status"] == "completed"
    assert len(outbox()) == 2, "the submission's and the step's messages wait in the outbox"
    assert published(job["id"]) == []

    assert sweep(tenant, 10)["republished"] == 0, "a step may still be publishing"
    assert sweep(tenant, 120)["republished"] == 3
    assert outbox() == []
    assert published(job["id"]) == [(0, "job_created"), (1, "job_started"), (2, "job_completed")]
    assert sweep(tenant, 240)["republished"] == 0
