"""The engine's step logic without storage: every step driven by hand on an in-memory double.

The double (tests/support/memstore.py) honours ETags and transactions, so these tests can put
a fault or a concurrent writer between two calls and check what the engine does about it.
The same behaviours over Azurite and HTTP are in tests/functional/test_jobs*.py.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from azure.data.tables import TableTransactionError

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.jobs import sweeper
from shared.jobs.engine import Engine
from shared.jobs.registry import BatchOutcome, JobType, register
from shared.jobs.store import (
    BATCHES,
    EVENTS_QUEUE,
    JOBS,
    RESULTS_CONTAINER,
    WORK_QUEUE,
    now,
)
from shared.jobs.types import echo  # noqa: F401 - registers diagnostics.echo
from shared.jobs.work import Work
from shared.models.base import ApiModel
from shared.models.jobs import JobCreate, JobStatus
from tests.support.memstore import MemStorage

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TENANT = "t-unit"


@pytest.fixture
def store() -> MemStorage:
    return MemStorage()


@pytest.fixture
def engine(store: MemStorage) -> Engine:
    return Engine(store, max_attempts=3)  # type: ignore[arg-type]  # the double stands for StorageClients


def submit(engine: Engine, key: str | None = None, **configuration: Any) -> str:
    request = JobCreate(type="diagnostics.echo", name="unit", configuration=configuration)
    job, _ = engine.submit(TENANT, request, TRACE, key)
    return job.job_id


def work(store: MemStorage) -> list[dict[str, Any]]:
    return [json.loads(text) for text in store.queue(WORK_QUEUE).take()]


def events(store: MemStorage) -> list[dict[str, Any]]:
    return [json.loads(text) for text in store.queue(EVENTS_QUEUE).take()]


def run_all(engine: Engine, store: MemStorage) -> int:
    """Deliver work messages until none is left; returns how many were delivered."""
    delivered = 0
    while messages := work(store):
        for message in messages:
            engine.process(message)
            delivered += 1
    return delivered


def test_a_submission_records_the_job_its_index_row_and_announces_it(engine: Engine, store: MemStorage) -> None:
    job_id = submit(engine, items=3)
    rows = store.table(JOBS).keys(TENANT)
    assert f"act:{job_id}" in rows and job_id in rows and f"ev:{job_id}:00000000" in rows
    assert not store.table(JOBS).keys(TENANT, "out:"), "published, so the outbox row is gone"
    assert work(store) == [{"kind": "start", "tenant_id": TENANT, "job_id": job_id, "trace_id": TRACE}]
    (created,) = events(store)
    assert (created["message_type"], created["status"], created["sequence"]) == ("job_created", "queued", 0)
    assert engine.load(TENANT, job_id).seq == 1


def test_the_same_idempotency_key_and_body_give_the_same_job_and_another_body_is_refused(engine: Engine) -> None:
    first = submit(engine, "key-1", items=3)
    assert submit(engine, "key-1", items=3) == first
    with pytest.raises(ValidationFailed) as refused:
        submit(engine, "key-1", items=4)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_a_one_batch_job_ends_in_its_start_step_and_announces_its_start_as_it_was(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=3, fail_items=[2])
    events(store)
    assert run_all(engine, store) == 1, "no batch message: it ran inside its start step"
    job = engine.load(TENANT, job_id)
    assert (job.status, job.processed, job.failed, job.results) == (JobStatus.COMPLETED_WITH_ERRORS, 2, 1, "inline")
    started, completed = events(store)
    assert (started["message_type"], started["status"], started["progress"]["percent"]) == (
        "job_started",
        "running",
        0.0,
    )
    assert (completed["message_type"], completed["status"]) == ("job_completed", "completed_with_errors")
    assert completed["payload"]["summary"] == {"rows": 3, "failed": 1, "passed": 2}
    assert f"act:{job_id}" not in store.table(JOBS).keys(TENANT), "ended: out of the unfinished-jobs index"
    body = json.loads(engine.inline_results(job, "json") or b"")
    assert [row["id"] for row in body["rows"]] == ["0", "1", "2"]


def test_fan_out_counts_each_batch_once_however_often_it_is_delivered(engine: Engine, store: MemStorage) -> None:
    job_id = submit(engine, items=5, batch_size=2, sleep_ms=1)  # sleep: not inline
    work(store)
    engine.process(json.loads(Work.start(TENANT, job_id, TRACE).text()))
    batches = work(store)
    assert [m["batch"] for m in batches] == [0, 1, 2]
    for message in [batches[1], batches[1], batches[0], batches[1]]:  # duplicates, out of order
        engine.process(message)
    job = engine.load(TENANT, job_id)
    assert (job.status, job.batches_done, job.processed, job.done_mask) == (JobStatus.RUNNING, 2, 4, "110")
    engine.process(batches[2])
    engine.process(batches[2])
    job = engine.load(TENANT, job_id)
    assert (job.status, job.processed, job.results) == (JobStatus.COMPLETED, 5, "blob")
    blob = store.container(RESULTS_CONTAINER).blobs[f"{TENANT}/{job_id}/results.json"]
    assert [row["id"] for row in json.loads(blob)["rows"]] == ["0", "1", "2", "3", "4"], "in batch order"
    kinds = [e["message_type"] for e in events(store)]
    assert kinds.count("job_progress") == 3 and kinds[-1] == "job_completed"


def test_a_batch_that_keeps_failing_is_recorded_failed_on_its_last_attempt_and_retry_reruns_only_it(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=4, batch_size=2, raise_batches=[1], raise_until_round=1, sleep_ms=1)
    work(store)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    first, second = work(store)
    engine.process(first)
    for attempt in (1, 2):
        with pytest.raises(RuntimeError):
            engine.process(second, dequeue_count=attempt)  # the queue retries it
    engine.process(second, dequeue_count=3)
    job = engine.load(TENANT, job_id)
    assert (job.status, job.done_mask, job.failed) == (JobStatus.COMPLETED_WITH_ERRORS, "1F", 2)

    retried, count = engine.retry(TENANT, job_id, failed_only=True)
    assert count == 1 and retried.status is JobStatus.RUNNING and retried.done_mask == "10"
    assert [m.get("batch") for m in work(store)] == [1]
    engine.process({"kind": "batch", "tenant_id": TENANT, "job_id": job_id, "batch": 1})
    job = engine.load(TENANT, job_id)
    assert (job.status, job.processed, job.failed, job.retries) == (JobStatus.COMPLETED, 4, 0, 1)


def test_cancel_of_a_queued_job_ends_it_and_of_a_running_one_stops_it_at_the_next_step(
    engine: Engine, store: MemStorage
) -> None:
    queued = submit(engine, items=1)
    assert engine.cancel(TENANT, queued).status is JobStatus.CANCELLED
    with pytest.raises(Conflict):
        engine.cancel(TENANT, queued)

    running = submit(engine, items=4, batch_size=2, sleep_ms=1)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": running})
    batches = [m for m in work(store) if m["kind"] == "batch"]
    assert engine.cancel(TENANT, running).status is JobStatus.CANCELLING
    assert engine.cancel(TENANT, running).status is JobStatus.CANCELLING, "a second cancel changes nothing"
    engine.process(batches[0])
    assert engine.load(TENANT, running).status is JobStatus.CANCELLED


def test_a_step_that_loses_a_race_reads_again_and_applies_its_change_to_the_new_job(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=4, batch_size=2, sleep_ms=1)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    stale = engine.load(TENANT, job_id)
    engine.process({"kind": "batch", "tenant_id": TENANT, "job_id": job_id, "batch": 0})  # the job moves on
    calls: list[int] = []

    def change(job: Any) -> list[Any] | None:
        calls.append(job.batches_done)
        job.message = "touched"
        return []

    written = engine.writer.update(TENANT, job_id, change, current=stale)
    assert calls == [0, 1], "tried on the stale copy, refused by its ETag, applied again to the current job"
    assert written.batches_done == 1 and engine.load(TENANT, job_id).message == "touched"


def test_a_failed_publish_leaves_the_outbox_row_and_the_sweeper_sends_the_messages_again(
    engine: Engine, store: MemStorage
) -> None:
    store.queue(EVENTS_QUEUE).fail_sends = 1
    job_id = submit(engine, items=1)
    assert store.table(JOBS).keys(TENANT, "out:") == [f"out:{job_id}:00000000"], "committed, not yet published"
    assert events(store) == []
    report = sweeper.sweep(engine, now() + timedelta(minutes=2), 3600, 3600, tenant_id=TENANT)
    assert report["republished"] == 1
    assert [e["message_type"] for e in events(store)] == ["job_created"]
    assert store.table(JOBS).keys(TENANT, "out:") == []


def test_a_transaction_error_other_than_a_conflict_is_raised_not_retried(engine: Engine, store: MemStorage) -> None:
    job_id = submit(engine, items=1)
    failure = TableTransactionError(message="server busy")
    failure.status_code = 503
    store.table(JOBS).fail_next["submit_transaction"] = failure
    with pytest.raises(TableTransactionError):
        engine.cancel(TENANT, job_id)
    assert engine.load(TENANT, job_id).status is JobStatus.QUEUED


def test_a_poisoned_step_fails_its_job_once(engine: Engine, store: MemStorage) -> None:
    job_id = submit(engine, items=1)
    events(store)
    engine.fail_from_poison({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    engine.fail_from_poison({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.FAILED and (job.error_value() or {})["code"] == "JOB_MESSAGE_POISONED"
    assert [e["message_type"] for e in events(store)] == ["job_failed"]
    engine.fail_from_poison({"kind": "start", "tenant_id": TENANT, "job_id": "job_0000000000000000000000"})


def test_the_sweeper_requeues_a_stale_queued_job_and_fails_a_stalled_one(engine: Engine, store: MemStorage) -> None:
    job_id = submit(engine, items=1)
    work(store)
    report = sweeper.sweep(engine, now() + timedelta(seconds=400), 300, 900, 3600, tenant_id=TENANT)
    assert report["requeued"] == 1 and [m["kind"] for m in work(store)] == ["start"]
    again = sweeper.sweep(engine, now() + timedelta(seconds=500), 300, 900, 3600, tenant_id=TENANT)
    assert again["requeued"] == 0, "re-sent lately: not again within the threshold"
    late = sweeper.sweep(engine, now() + timedelta(hours=2), 300, 900, 3600, tenant_id=TENANT)
    assert late["stalled"] == 1
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.FAILED and (job.error_value() or {})["code"] == "JOB_STALLED"
    assert f"act:{job_id}" not in store.table(JOBS).keys(TENANT)


def test_an_unknown_work_message_and_a_message_for_no_job_are_dropped(engine: Engine, store: MemStorage) -> None:
    engine.process({"kind": "explode", "tenant_id": TENANT, "job_id": "job_x"})
    engine.process({"kind": "batch", "tenant_id": TENANT, "job_id": "job_x", "batch": "1"})
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": "job_0000000000000000000000"})
    assert store.table(BATCHES).rows == {} and work(store) == []
    with pytest.raises(NotFound):
        engine.load(TENANT, "act:job_x")


class BigConfig(ApiModel):
    text: str


BIG = register(
    JobType(
        name="unit.big_configuration",
        description="A job type whose configuration is claim-checked to Blob storage.",
        config_model=BigConfig,
        plan=lambda tenant_id, config: [],
        run_batch=lambda context, config, plan: BatchOutcome(0, 0),
        summarize=lambda states: {},
        result_columns=(),
    )
)


def test_a_listing_page_is_one_query_and_reads_no_blob(engine: Engine, store: MemStorage) -> None:
    from shared.models.jobs import JobListQuery
    from shared.services.jobs import JobsService

    for _ in range(3):
        request = JobCreate(type=BIG.name, name="big", configuration={"text": "x" * 40_000})
        engine.submit(TENANT, request, TRACE)
    payloads = store.container("job-payloads")
    assert len(payloads.blobs) == 3, "the configurations went to Blob storage"
    service = JobsService(engine, lambda blob: "unused")
    table, before = store.table(JOBS), len(store.table(JOBS).calls)
    page = service.page(TENANT, JobListQuery(limit=2))
    assert len(table.calls) - before == 1 and payloads.downloads == 0
    assert len(page.items) == 2 and page.has_more
    assert page.items[0].configuration == {"$omitted": f"/api/v1/jobs/{page.items[0].id}"}
    one = service.get(TENANT, page.items[0].id)
    assert one.configuration == {"text": "x" * 40_000} and payloads.downloads == 1


def test_a_job_whose_every_batch_failed_ends_failed_and_retry_runs_it_all_again(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=2, batch_size=1, raise_batches=[0, 1], raise_until_round=1, sleep_ms=1)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    for message in work(store):
        engine.process(message, dequeue_count=3)  # the last attempt: recorded as failed
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.FAILED and (job.error_value() or {})["code"] == "ALL_BATCHES_FAILED"
    retried, count = engine.retry(TENANT, job_id, failed_only=False)
    assert count == 2 and retried.status is JobStatus.RUNNING
    run_all(engine, store)
    job = engine.load(TENANT, job_id)
    assert (job.status, job.processed, job.retries) == (JobStatus.COMPLETED, 2, 1)
    with pytest.raises(Conflict):
        engine.retry(TENANT, job_id, failed_only=True)


def test_a_quick_job_whose_handler_raises_in_its_start_step_takes_the_fan_out_path(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=1, raise_batches=[0], raise_until_round=1)
    work(store)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.RUNNING and job.batches_total == 1
    assert [m["kind"] for m in work(store)] == ["batch"]


def test_the_log_pages_a_jobs_messages_in_sequence_order(engine: Engine, store: MemStorage) -> None:
    from shared.models.common import PageQuery

    job_id = submit(engine, items=1)
    run_all(engine, store)
    first = engine.events(TENANT, job_id, PageQuery(limit=2))
    assert [e["sequence"] for e in first.items] == [0, 1] and first.has_more
    rest = engine.events(TENANT, job_id, PageQuery(limit=2, cursor=first.next_cursor))
    assert [e["message"]["message_type"] for e in rest.items] == ["job_completed"] and not rest.has_more
    with pytest.raises(NotFound):
        engine.events(TENANT, "job_0000000000000000000000", PageQuery())


def test_the_listing_filters_by_status_and_type(engine: Engine, store: MemStorage) -> None:
    from shared.models.jobs import JobListQuery

    done = submit(engine, items=1)
    run_all(engine, store)
    time.sleep(0.002)  # ids order by millisecond: two jobs of one millisecond have no order between them
    queued = submit(engine, items=1)
    assert [j.job_id for j in engine.page(TENANT, JobListQuery()).items] == [queued, done], "newest first"
    assert [j.job_id for j in engine.page(TENANT, JobListQuery(status=JobStatus.COMPLETED)).items] == [done]
    assert engine.page(TENANT, JobListQuery(type="bulk_evaluation")).items == []


def test_the_sweeper_redrives_a_running_job_by_resending_the_batches_not_yet_counted(
    engine: Engine, store: MemStorage
) -> None:
    job_id = submit(engine, items=3, batch_size=1, sleep_ms=1)
    work(store)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    first, *_lost = work(store)  # two batch messages are lost
    engine.process(first)
    report = sweeper.sweep(engine, now() + timedelta(seconds=1000), 300, 900, 3600, tenant_id=TENANT)
    assert report["redriven"] == 1
    assert sorted(m["batch"] for m in work(store)) == [1, 2]


def test_a_job_whose_last_count_landed_but_not_its_end_is_finalized_by_the_sweeper(
    engine: Engine, store: MemStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The instance died between counting the last batch and finalizing, and the batch message is
    out of sight for its lease: the sweeper's redrive must end the job, not wait for the message."""
    job_id = submit(engine, items=2, batch_size=1, sleep_ms=1)
    work(store)
    engine.process({"kind": "start", "tenant_id": TENANT, "job_id": job_id})
    first, second = work(store)
    engine.process(first)

    def crash(_: Any) -> None:
        raise RuntimeError("the instance died")

    monkeypatch.setattr(engine.worker, "_finalize", crash)
    with pytest.raises(RuntimeError):
        engine.process(second)
    monkeypatch.undo()
    job = engine.load(TENANT, job_id)
    assert (job.status, job.batches_done) == (JobStatus.RUNNING, 2), "counted, not ended"
    report = sweeper.sweep(engine, now() + timedelta(seconds=1000), 300, 900, 3600, tenant_id=TENANT)
    assert report["redriven"] == 1 and work(store) == [], "nothing to re-send"
    assert engine.load(TENANT, job_id).status is JobStatus.COMPLETED
