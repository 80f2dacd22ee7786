"""The typed job record reads and writes the stored entity unchanged; work messages parse strictly."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.jobs.record import JobRecord
from shared.jobs.work import Work
from shared.models.jobs import JobStatus

CREATED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
STORED = {
    "PartitionKey": "t1",
    "RowKey": "job_fffe6b1c3a5ba1b2c3d4e5",
    "type": "diagnostics.echo",
    "name": "n",
    "status": "running",
    "configuration": '{"items":3}',
    "created_at": CREATED,
    "updated_at": CREATED,
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "processed": 2,
    "failed": 1,
    "total": 4,
    "batches_total": 4,
    "batches_done": 1,
    "done_mask": "1000",
    "message": "Running",
    "seq": 3,
}


def test_an_entity_read_and_written_back_is_the_same_entity() -> None:
    record = JobRecord.from_entity(STORED)
    assert record.status is JobStatus.RUNNING and record.retries == 0 and record.started_at is None
    assert record.to_entity() == {**STORED, "retries": 0}


def test_optional_fields_set_to_none_leave_the_entity() -> None:
    record = JobRecord.from_entity({**STORED, "error": '{"code":"X"}', "completed_at": CREATED})
    record.error = record.completed_at = None
    entity = record.to_entity()
    assert "error" not in entity and "completed_at" not in entity


def test_progress_counts_batches_until_the_end_and_is_whole_when_completed() -> None:
    record = JobRecord.from_entity(STORED)
    assert record.progress() == {"percent": 25.0, "processed": 2, "failed": 1, "total": 4, "message": "Running"}
    record.status = JobStatus.COMPLETED
    assert record.progress()["percent"] == 100.0
    unplanned = JobRecord.from_entity({**STORED, "status": "queued", "batches_total": -1, "total": -1})
    assert unplanned.progress()["percent"] == 0.0 and unplanned.progress()["total"] is None


def test_work_messages_round_trip_and_odd_ones_are_refused() -> None:
    batch = Work.run_batch("t1", "job_1", 7, "trace")
    assert Work.parse({"kind": "batch", "tenant_id": "t1", "job_id": "job_1", "batch": 7, "trace_id": "trace"}) == batch
    assert '"batch"' not in Work.start("t1", "job_1", "").text()
    for odd in ({"kind": "batch", "batch": True}, {"kind": "batch", "batch": -1}, {"kind": "batch"}, {"kind": "x"}):
        assert Work.parse(odd) is None
