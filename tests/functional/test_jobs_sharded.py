"""The jobs engine with the sharded layout on, against an Azurite serving two storage accounts.

3 work queues, 2 events queues, 4 partitions per tenant and 2 accounts (shared/jobs/shards.py):
jobs complete (one-row jobs inline, many-batch jobs through the ETag-conditional fan-in), the
listing and its cursors return every job once, newest first, stats count each job once, and
the sweeper, poison handling and idempotency keys work across partitions and accounts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from shared import deps
from shared.jobs import stats, sweeper
from shared.jobs.shards import EVENTS_QUEUE, partition_index, queue_name, work_queue_names
from shared.jobs.store import JOBS, now
from tests.functional.test_jobs import echo
from tests.support.azurite import Azurite
from tests.support.inprocess import InProcessClient

Tenant = dict[str, Any]
JOBS_ACCOUNT = "cpjobsone"
WORK_QUEUES, EVENT_QUEUES, PARTITIONS, ACCOUNTS = 3, 2, 4, 2


@pytest.fixture(scope="module")
def two_accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with Azurite(tmp_path_factory.mktemp("azurite-sharded"), accounts=(JOBS_ACCOUNT,)) as server:
        yield server


@pytest.fixture(autouse=True)
def sharded(app_settings: None, two_accounts: Azurite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AzureWebJobsStorage", two_accounts.connection_string)
    monkeypatch.setenv("CLOUDPLANE_RATE_LIMIT_JOBS", "100000")
    monkeypatch.setenv("CLOUDPLANE_WORK_QUEUES", str(WORK_QUEUES))
    monkeypatch.setenv("CLOUDPLANE_EVENT_QUEUES", str(EVENT_QUEUES))
    monkeypatch.setenv("CLOUDPLANE_JOB_PARTITIONS", str(PARTITIONS))
    monkeypatch.setenv("CLOUDPLANE_JOB_ACCOUNTS", str(ACCOUNTS))
    monkeypatch.setenv("CLOUDPLANE_JOBS_ACCOUNT_1", two_accounts.connection_string_for(JOBS_ACCOUNT))
    deps.reset()
    for name in all_queues():
        deps.jobs().storage.queue(name).clear_messages()


def all_queues() -> list[str]:
    return work_queue_names(WORK_QUEUES) + [queue_name(EVENTS_QUEUE, i) for i in range(EVENT_QUEUES)]


def drain(*, limit: int = 2000, duplicate_every: int = 0) -> Counter[str]:
    """Run every work message of every work queue until all are empty, as the triggers would;
    returns how many ran per queue. ``duplicate_every``: also run every n-th message twice (an
    at-least-once delivery)."""
    engine = deps.jobs()
    ran: Counter[str] = Counter()
    while sum(ran.values()) < limit:
        busy = False
        for name in work_queue_names(WORK_QUEUES):
            queue = engine.storage.queue(name)
            for message in queue.receive_messages(messages_per_page=32, max_messages=32, visibility_timeout=60):
                busy = True
                body = json.loads(message.content)
                engine.process(body, message.dequeue_count)
                ran[name] += 1
                if duplicate_every and ran.total() % duplicate_every == 0:
                    engine.process(body, message.dequeue_count)
                queue.delete_message(message)
        if not busy:
            return ran
    raise AssertionError("the work queues did not drain")


def events_by_queue() -> dict[str, list[dict[str, Any]]]:
    """Every JobMessage on the events queues (taken off them), per queue in queue order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for index in range(EVENT_QUEUES):
        name = queue_name(EVENTS_QUEUE, index)
        queue = deps.jobs().storage.queue(name)
        found[name] = []
        while batch := list(queue.receive_messages(messages_per_page=32, max_messages=32, visibility_timeout=60)):
            for message in batch:
                found[name].append(json.loads(message.content))
                queue.delete_message(message)
    return found


def submit(client: InProcessClient, tenant: Tenant, count: int, **config: Any) -> list[str]:
    ids = []
    for _ in range(count):
        reply = echo(client, tenant, **config)
        assert reply.status == 202, reply.body
        ids.append(reply.json()["id"])
    return ids


def listing(client: InProcessClient, tenant: Tenant, limit: int, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every page of ``GET /jobs``, following cursors; returns the items and the number of pages."""
    items: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        query = {"limit": str(limit), **params, **({"cursor": cursor} if cursor else {})}
        reply = client.get("/api/v1/jobs", headers=tenant["headers"], params=query)
        assert reply.status == 200, reply.body
        body = reply.json()
        pages += 1
        items += body["items"]
        assert body["has_more"] is (body["next_cursor"] is not None)
        if not body["has_more"]:
            return items, pages
        cursor = body["next_cursor"]
        assert pages < 200, "the cursor does not advance"


def status_of(client: InProcessClient, tenant: Tenant, job_id: str) -> Any:
    return client.get(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).json()


def test_jobs_spread_over_queues_partitions_and_accounts_and_all_complete(
    client: InProcessClient, make_tenant: Callable[..., Tenant], two_accounts: Azurite
) -> None:
    storage = deps.jobs().storage
    tenants: list[Tenant] = []
    accounts_used: set[int] = set()
    while len(tenants) < 2 or (accounts_used != {0, 1} and len(tenants) < 8):  # tenants until both hold rows
        tenants.append(make_tenant())
        accounts_used |= {storage.layout.partition_account(p) for p in storage.partitions(tenants[-1]["tenant"]["id"])}
    assert accounts_used == {0, 1}
    jobs = {tenant["tenant"]["id"]: submit(client, tenant, 16, items=1) for tenant in tenants}
    big = submit(client, tenants[0], 2, items=40, batch_size=5)  # 8 batches each, fanned out over the queues
    ran = drain()
    assert set(ran) == set(work_queue_names(WORK_QUEUES)), "every work queue carried work"

    for tenant in tenants:
        for job_id in jobs[tenant["tenant"]["id"]]:
            job = status_of(client, tenant, job_id)
            assert job["status"] == "completed" and job["progress"]["processed"] == 1
    for job_id in big:
        job = status_of(client, tenants[0], job_id)
        assert job["status"] == "completed" and job["progress"]["processed"] == 40
        rows = client.get(f"/api/v1/jobs/{job_id}/results", headers=tenants[0]["headers"]).json()["rows"]
        assert [row["id"] for row in rows] == [str(i) for i in range(40)]

    # Each job's rows are in its partition, in that partition's account, and nowhere else.
    every_id = [job_id for ids in jobs.values() for job_id in ids] + big
    assert len({partition_index(job_id) for job_id in every_id}) == PARTITIONS
    clients = {0: deps.storage(), 1: deps.job_accounts()[0]}
    for tenant_id, ids in [*jobs.items(), (tenants[0]["tenant"]["id"], big)]:
        for job_id in ids:
            partition = storage.partition(tenant_id, job_id)
            home = storage.layout.partition_account(partition)
            for account, account_clients in clients.items():
                found = list(
                    account_clients.table(JOBS).query_entities(
                        "PartitionKey eq @pk and RowKey eq @rk", parameters={"pk": partition, "rk": job_id}
                    )
                )
                assert len(found) == (1 if account == home else 0), (job_id, account)
    # Queue jobs-1 lives in the second account, jobs and jobs-2 in the first.
    assert storage.queue("jobs-1").account_name == JOBS_ACCOUNT
    assert storage.queue("jobs").account_name == storage.queue("jobs-2").account_name == "devstoreaccount1"

    # A job's JobMessages are all on its one events queue, in sequence order.
    messages = events_by_queue()
    assert all(messages.values()), "both events queues carried messages"
    for name, on_queue in messages.items():
        by_job: dict[str, list[int]] = defaultdict(list)
        for message in on_queue:
            by_job[message["job_id"]].append(message["sequence"])
        for job_id, sequences in by_job.items():
            assert storage.layout.events_queue(job_id) == name
            assert sequences == sorted(sequences) and sequences[0] == 0, job_id
    # created, started and completed for every job, and one progress message per batch of the big ones
    assert sum(len(on_queue) for on_queue in messages.values()) == 3 * len(every_id) + 8 * len(big)


def test_a_batch_is_counted_once_however_often_it_runs(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job_id = submit(client, tenant, 1, items=60, batch_size=5, fail_items=[7])[0]
    drain(duplicate_every=2)
    job = status_of(client, tenant, job_id)
    assert job["status"] == "completed_with_errors"
    assert job["progress"]["processed"] == 59 and job["progress"]["failed"] == 1
    logs = client.get(f"/api/v1/jobs/{job_id}/logs", headers=tenant["headers"], params={"limit": "100"}).json()
    kinds = Counter(event["message"]["message_type"] for event in logs["items"])
    assert kinds == {"job_created": 1, "job_started": 1, "job_progress": 12, "job_completed": 1}
    assert [event["sequence"] for event in logs["items"]] == list(range(15))


def test_listing_and_cursors_return_every_job_once_newest_first(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant, other = make_tenant(), make_tenant()
    ids = submit(client, tenant, 30, items=1)
    submit(client, other, 3, items=1)
    cancelled = ids[3:8]
    for job_id in cancelled:
        assert client.delete(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).status == 200
    drain()
    assert len({partition_index(job_id) for job_id in ids}) > 1

    for limit in (1, 7, 30, 100):
        items, pages = listing(client, tenant, limit)
        listed = [item["id"] for item in items]
        assert listed == sorted(ids), f"every job once, in id order (newest first), limit {limit}"
        assert pages == -(-30 // limit) if limit < 30 else pages == 1
        created = [item["created_at"] for item in items]
        assert created == sorted(created, reverse=True)

    done, _ = listing(client, tenant, 4, status="completed")
    assert [item["id"] for item in done] == sorted(set(ids) - set(cancelled))
    gone, _ = listing(client, tenant, 2, status="cancelled")
    assert [item["id"] for item in gone] == sorted(cancelled)
    middle = status_of(client, tenant, ids[15])["created_at"]
    older, _ = listing(client, tenant, 5, created_before=middle)
    assert {item["id"] for item in older} == {
        job_id for job_id in ids if status_of(client, tenant, job_id)["created_at"] < middle
    }

    bad = client.get("/api/v1/jobs", headers=tenant["headers"], params={"cursor": "bm90LWEtY3Vyc29y"})
    assert bad.status == 400 and bad.json()["error"]["code"] == "INVALID_CURSOR"


def test_stats_count_each_job_once_before_and_after_the_roll_up(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    ids = submit(client, tenant, 20, items=1)
    client.delete(f"/api/v1/jobs/{ids[0]}", headers=tenant["headers"])
    drain()
    queued = submit(client, tenant, 3, items=1)  # still queued: counted from the job rows
    reply = client.get("/api/v1/stats", headers=tenant["headers"]).json()
    assert reply["total"] == 23
    assert reply["by_status"]["completed"] == 19 and reply["by_status"]["cancelled"] == 1
    assert reply["by_status"]["queued"] == len(queued)

    storage = deps.jobs().storage
    at = now()
    before = stats.summarize(storage, tenant_id, 24, at)
    folded, pending = stats.roll_up(storage, tenant_id, at + timedelta(hours=1, seconds=301))
    assert (folded, pending) == (20, 0), "each partition's ends fold into its own aggregates"
    assert stats.summarize(storage, tenant_id, 24, at) == before
    assert stats.roll_up(storage, tenant_id, at + timedelta(hours=1, seconds=302)) == (0, 0)


def test_the_sweeper_repairs_jobs_in_every_partition(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    ids = submit(client, tenant, 12, items=3, batch_size=1)
    assert len({partition_index(job_id) for job_id in ids}) > 1
    entries = sweeper.active_entries(deps.jobs().storage, tenant_id)
    assert sorted(entry["job_id"] for entry in entries) == sorted(ids)
    for name in work_queue_names(WORK_QUEUES):
        deps.jobs().storage.queue(name).clear_messages()  # every start message was lost

    report = sweeper.sweep(deps.jobs(), now() + timedelta(seconds=301), 300, 900, 3600, tenant_id=tenant_id)
    assert report["requeued"] == 12
    drain()
    assert {status_of(client, tenant, job_id)["status"] for job_id in ids} == {"completed"}
    assert sweeper.active_entries(deps.jobs().storage, tenant_id) == []
    report = sweeper.sweep(deps.jobs(), now() + timedelta(hours=3), 300, 900, 3600)
    assert report["rolled_up"] >= 12


def test_a_poisoned_step_fails_its_job_in_its_partition(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    ids = submit(client, tenant, 8, items=1)
    sharded = next(job_id for job_id in ids if partition_index(job_id) > 0)
    work = {"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": sharded, "trace_id": ""}
    deps.jobs().fail_from_poison(work)
    job = status_of(client, tenant, sharded)
    assert job["status"] == "failed" and job["error"]["code"] == "JOB_MESSAGE_POISONED"
    index = sweeper.active_entries(deps.jobs().storage, tenant["tenant"]["id"])
    assert sharded not in {entry["job_id"] for entry in index}


def test_idempotency_keys_hold_across_partitions(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    first = {}
    for index in range(12):
        key = {"Idempotency-Key": f"key-{index}"}
        reply = echo(client, tenant, key, items=index + 1)
        assert reply.status == 202
        first[index] = reply.json()["id"]
    for index in range(12):
        key = {"Idempotency-Key": f"key-{index}"}
        again = echo(client, tenant, key, items=index + 1)
        assert again.status == 200 and again.json()["id"] == first[index]
        assert echo(client, tenant, key, items=index + 2).status == 422
    assert len(set(first.values())) == 12
    items, _ = listing(client, tenant, 100)
    assert sorted(item["id"] for item in items) == sorted(first.values())
