"""end_entity is pure: the engine adds its row to the job's terminal transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from shared.jobs import stats

ENDED = datetime(2025, 3, 4, 5, 59, 30, tzinfo=UTC)


def job(status: str, **fields: Any) -> dict[str, Any]:
    return {"PartitionKey": "tenant-1", "RowKey": "job_abc", "type": "diagnostics.echo", "status": status, **fields}


def test_a_finished_job_gets_its_hour_and_duration() -> None:
    row = stats.end_entity(job("failed", started_at=ENDED - timedelta(seconds=90), completed_at=ENDED))
    assert row == {
        "PartitionKey": "tenant-1",
        "RowKey": "end:2025030405:job_abc",
        "type": "diagnostics.echo",
        "status": "failed",
        "duration": 90.0,
    }


def test_no_duration_unless_finished_with_both_times() -> None:
    cancelled = stats.end_entity(job("cancelled", started_at=ENDED - timedelta(seconds=5), completed_at=ENDED))
    assert "duration" not in cancelled and cancelled["RowKey"] == "end:2025030405:job_abc"
    assert "duration" not in stats.end_entity(job("completed", completed_at=ENDED))


def test_the_hour_is_utc_and_defaults_to_now() -> None:
    local = ENDED.astimezone(timezone(timedelta(hours=3)))
    assert stats.end_entity(job("completed", completed_at=local))["RowKey"] == "end:2025030405:job_abc"
    before = stats.hour_key(datetime.now(UTC))
    key = stats.end_entity(job("completed"))["RowKey"]
    assert key.split(":")[1] in (before, stats.hour_key(datetime.now(UTC)))


def test_a_job_not_in_a_terminal_status_has_no_end_row() -> None:
    with pytest.raises(ValueError):
        stats.end_entity(job("running"))
