"""A batch that waits (``registry.Waiting``) and one that fails with a reason (``registry.BatchFailed``).

Driven step by step on the in-memory double, so each delivery, duplicate and delay is visible:
what a waiting batch saves, the delay its re-check is sent with, that only the newest re-check
runs, and that a job whose only batch failed with a reason fails with that reason.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.jobs.engine import Engine
from shared.jobs.registry import BatchContext, BatchFailed, BatchOutcome, JobType, Waiting, register
from shared.jobs.store import WORK_QUEUE
from shared.models.base import ApiModel
from shared.models.jobs import JobCreate, JobStatus
from tests.support.memstore import MemStorage

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TENANT = "t-waits"


class WaitConfig(ApiModel):
    checks: int = 2
    fail: bool = False


RUNS: list[dict[str, Any]] = []


def _run(context: BatchContext, config: Any, plan: dict[str, Any]) -> BatchOutcome:
    RUNS.append(dict(context.progress))
    seen = int(context.progress.get("seen", 0)) + 1
    if seen <= config.checks:
        raise Waiting(5.2, {"seen": seen}, "waiting" if config.checks > 3 else f"check {seen} of {config.checks}")
    if config.fail:
        raise BatchFailed("THING_FAILED", "the thing failed", {"last_state": "ERROR"})
    return BatchOutcome(1, 0, {"seen": seen}, [{"seen": seen}])


register(
    JobType(
        name="unit.waiting",
        description="Waits for a number of checks, then completes or fails with a reason.",
        config_model=WaitConfig,
        plan=lambda tenant_id, config: [{"rows": 1}],
        run_batch=_run,
        summarize=lambda states: dict(states[0]) if states else {},
        result_columns=("seen",),
    )
)


class RecordingQueue:
    """The double's work queue, keeping the visibility delay each message was sent with."""

    def __init__(self) -> None:
        self.sent: list[tuple[dict[str, Any], int]] = []

    def create_queue(self) -> None: ...

    def send_message(self, text: str, visibility_timeout: int = 0, **_: Any) -> None:
        self.sent.append((json.loads(text), visibility_timeout))

    def take(self) -> list[tuple[dict[str, Any], int]]:
        taken, self.sent = self.sent, []
        return taken


@pytest.fixture
def store() -> MemStorage:
    RUNS.clear()
    return MemStorage()


@pytest.fixture
def queue(store: MemStorage) -> RecordingQueue:
    recording = RecordingQueue()
    store.queue_clients[WORK_QUEUE] = recording  # type: ignore[assignment]
    return recording


@pytest.fixture
def engine(store: MemStorage) -> Engine:
    return Engine(store, max_attempts=3)  # type: ignore[arg-type]


def submit(engine: Engine, **configuration: Any) -> str:
    job, _ = engine.submit(TENANT, JobCreate(type="unit.waiting", name="w", configuration=configuration), TRACE)
    return job.job_id


def test_a_waiting_batch_is_rechecked_after_its_delay_with_its_progress(engine: Engine, queue: RecordingQueue) -> None:
    job_id = submit(engine, checks=2)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, delay),) = queue.take()
    assert "check" not in batch and delay == 0
    engine.process(batch)
    ((recheck, delay),) = queue.take()
    assert recheck["check"] == 1 and recheck["batch"] == 0
    assert delay == 6  # 5.2 s rounded up: the queue counts whole seconds
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.RUNNING and job.message == "check 1 of 2" and job.batches_done == 0
    engine.process(recheck)
    ((recheck2, _),) = queue.take()
    assert recheck2["check"] == 2
    engine.process(recheck2)
    assert queue.take() == []
    assert RUNS == [{}, {"seen": 1}, {"seen": 2}]  # each run saw what the last wait saved
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.COMPLETED and job.processed == 1


def test_only_the_newest_recheck_runs(engine: Engine, queue: RecordingQueue) -> None:
    """A duplicate delivery of a batch starts a second wait; the older re-check is then dropped."""
    job_id = submit(engine, checks=3)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)
    engine.process(batch)  # the queue delivered it twice
    (first, _), (second, _) = queue.take()
    assert (first["check"], second["check"]) == (1, 2)
    engine.process(first)  # superseded: nothing runs, nothing is sent
    assert queue.take() == [] and len(RUNS) == 2
    engine.process(second)
    ((third, _),) = queue.take()
    engine.process(third)
    engine.process(third)  # a late duplicate of the last re-check finds the batch counted
    assert len(RUNS) == 4
    assert engine.load(TENANT, job_id).status is JobStatus.COMPLETED


def test_a_batch_failed_with_a_reason_fails_the_job_with_it_without_retries(
    engine: Engine, queue: RecordingQueue
) -> None:
    job_id = submit(engine, checks=0, fail=True)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch, 1)  # the first attempt: no exception reaches the queue
    job = engine.load(TENANT, job_id)
    assert job.status is JobStatus.FAILED
    assert json.loads(job.error or "{}") == {
        "code": "THING_FAILED",
        "message": "the thing failed",
        "details": {"last_state": "ERROR"},
    }


def test_a_job_cancelled_while_waiting_ends_cancelled_at_its_next_recheck(
    engine: Engine, queue: RecordingQueue
) -> None:
    job_id = submit(engine, checks=5)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)
    ((recheck, _),) = queue.take()
    engine.cancel(TENANT, job_id)
    queue.take()
    engine.process(recheck)
    assert engine.load(TENANT, job_id).status is JobStatus.CANCELLED
    assert queue.take() == [] and len(RUNS) == 1


def test_a_wait_whose_recheck_was_lost_is_redriven_with_its_progress(engine: Engine, queue: RecordingQueue) -> None:
    """The re-check message is lost (the instance died after saving the wait): the sweeper's
    re-drive sends the batch again, and it carries on from the saved progress."""
    job_id = submit(engine, checks=2)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)
    queue.take()  # the re-check never arrives
    engine.redrive(engine.load(TENANT, job_id))
    ((again, delay),) = queue.take()
    assert "check" not in again and delay == 0
    engine.process(again)
    ((recheck, _),) = queue.take()
    assert recheck["check"] == 2
    engine.process(recheck)
    assert RUNS == [{}, {"seen": 1}, {"seen": 2}]
    assert engine.load(TENANT, job_id).status is JobStatus.COMPLETED


def test_each_wait_refreshes_the_job_so_the_sweeper_leaves_it_alone(engine: Engine, queue: RecordingQueue) -> None:
    job_id = submit(engine, checks=2)
    ((start, _),) = queue.take()
    engine.process(start)
    before = engine.load(TENANT, job_id).updated_at
    ((batch, _),) = queue.take()
    engine.process(batch)
    assert engine.load(TENANT, job_id).updated_at > before


def test_a_look_that_waits_again_costs_four_table_calls_and_one_message(
    engine: Engine, store: MemStorage, queue: RecordingQueue
) -> None:
    """Read the job, read the batch, write the job (its updated_at, for the sweeper), number the
    next re-check on the batch; then one queue message. No event while the message is the same."""
    submit(engine, checks=6)
    ((start, _),) = queue.take()
    engine.process(start)
    ((batch, _),) = queue.take()
    engine.process(batch)
    costs = []
    for _ in range(3):
        ((recheck, _),) = queue.take()
        before = store.calls()
        engine.process(recheck)
        costs.append(store.calls() - before)
        assert len(queue.sent) == 1
    assert costs == [4, 4, 4]
