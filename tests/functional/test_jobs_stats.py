"""GET /api/v1/stats and the roll-up: counts, success rate and percentiles from the hourly
aggregates plus the end rows not rolled up yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from shared import deps
from shared.jobs import stats
from shared.jobs.store import JOBS, WORK_QUEUE, new_job_id, now
from tests.functional.test_jobs import drain, echo
from tests.support.inprocess import InProcessClient

Tenant = dict[str, Any]


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def get_stats(client: InProcessClient, tenant: Tenant, **params: str) -> Any:
    reply = client.get("/api/v1/stats", headers=tenant["headers"], params=params or None)
    assert reply.status == 200, reply.body
    return reply.json()


def test_counts_success_rate_and_percentiles(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    empty = get_stats(client, tenant)
    assert empty["total"] == 0 and empty["success_rate"] is None
    assert empty["duration_seconds"] == {"p50": None, "p90": None, "p99": None}

    for _ in range(2):
        assert echo(client, tenant, items=3, batch_size=2).status == 202
    for _ in range(2):
        assert echo(client, tenant, items=3, batch_size=2, fail_items=[1]).status == 202
    cancelled = echo(client, tenant, items=3).json()
    assert client.delete(f"/api/v1/jobs/{cancelled['id']}", headers=tenant["headers"]).status == 200
    drain()
    queued = echo(client, tenant, items=3).json()  # still queued: counted from the jobs partition

    body = get_stats(client, tenant)
    assert body["window_hours"] == 24 and body["from"] < body["to"]
    assert body["by_status"] == {
        "queued": 1,
        "running": 0,
        "completed": 2,
        "completed_with_errors": 2,
        "failed": 0,
        "cancelling": 0,
        "cancelled": 1,
    }
    assert body["total"] == 6
    assert body["by_type"] == {
        "diagnostics.echo": {"queued": 1, "completed": 2, "completed_with_errors": 2, "cancelled": 1}
    }
    assert body["success_rate"] == 0.5
    durations = body["duration_seconds"]
    assert 0 < durations["p50"] <= durations["p90"] <= durations["p99"] < 60

    drain()
    assert client.get(f"/api/v1/jobs/{queued['id']}", headers=tenant["headers"]).json()["status"] == "completed"
    after = get_stats(client, tenant)
    assert after["by_status"]["queued"] == 0 and after["by_status"]["completed"] == 3
    assert after["success_rate"] == 0.6


def _end_row(tenant_id: str, job_type: str, status: str, ended: datetime, seconds: float | None) -> dict[str, Any]:
    """An end row as the engine writes it for a job that ended at ``ended`` after ``seconds``."""
    job: dict[str, Any] = {
        "PartitionKey": tenant_id,
        "RowKey": new_job_id(ended - timedelta(seconds=seconds or 0)),
        "type": job_type,
        "status": status,
        "completed_at": ended,
    }
    if seconds is not None:
        job["started_at"] = ended - timedelta(seconds=seconds)
    return stats.end_entity(job)


def _write_ends(tenant_id: str, rows: list[tuple[str, str, datetime, float | None]]) -> None:
    table = deps.jobs().storage.table(JOBS)
    for job_type, status, ended, seconds in rows:
        table.upsert_entity(_end_row(tenant_id, job_type, status, ended, seconds))


def _partition(tenant_id: str, prefix: str) -> list[Any]:
    return list(
        deps.jobs()
        .storage.table(JOBS)
        .query_entities(
            "PartitionKey eq @pk and RowKey ge @low and RowKey lt @high",
            parameters={"pk": tenant_id, "low": prefix, "high": f"{prefix[:-1]};"},
        )
    )


def test_window_filters_old_hours_and_is_validated(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    storage = deps.jobs().storage
    old = now() - timedelta(hours=30)
    for _ in range(3):
        stats.add_aggregate(storage, tenant_id, old, "diagnostics.echo", "failed", 100.0)
    stats.add_aggregate(storage, tenant_id, now(), "diagnostics.echo", "completed", 1.0)
    stats.add_aggregate(storage, tenant_id, now(), "other.type", "completed", 1000.0, count=5)
    # Not rolled up yet: end rows count in their hour's window, like the aggregates.
    _write_ends(tenant_id, [("other.type", "completed", now() - timedelta(hours=2), 1000.0)] * 4)
    _write_ends(tenant_id, [("old.type", "failed", now() - timedelta(hours=40), 5.0)])
    _write_ends(tenant_id, [("old.type", "cancelled", now() - timedelta(hours=100), None)])

    day = get_stats(client, tenant)
    assert day["by_status"]["failed"] == 0 and day["by_status"]["completed"] == 10
    assert day["by_status"]["cancelled"] == 0
    assert day["success_rate"] == 1.0
    assert day["by_type"] == {"diagnostics.echo": {"completed": 1}, "other.type": {"completed": 9}}
    # 10 durations: one ~1 s, nine ~1000 s; the percentiles come from the summed histograms.
    # 1000 s falls in bucket 26, reported as its geometric middle 1120.988 s (see the bucket test).
    assert day["duration_seconds"]["p50"] == 1120.988
    assert day["duration_seconds"]["p99"] == 1120.988

    two_days = get_stats(client, tenant, window_hours="48")
    assert two_days["window_hours"] == 48
    assert two_days["by_status"]["failed"] == 4 and two_days["total"] == 14
    assert two_days["by_type"]["old.type"] == {"failed": 1}
    assert two_days["success_rate"] == round(10 / 14, 4)
    assert two_days["duration_seconds"]["p50"] == 1120.988

    week = get_stats(client, tenant, window_hours="168")
    assert week["total"] == 15 and week["by_status"]["cancelled"] == 1

    for bad in ("0", "721", "x"):
        reply = client.get("/api/v1/stats", headers=tenant["headers"], params={"window_hours": bad})
        assert reply.status in (400, 422), bad
    assert client.get("/api/v1/stats").status == 401


def test_roll_up_folds_closed_hours_without_changing_the_figures(make_tenant: Callable[..., Tenant]) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    other_id = make_tenant()["tenant"]["id"]
    storage = deps.jobs().storage
    at = now()
    hours_ago = at - timedelta(hours=5)
    closed = [
        ("diagnostics.echo", "completed", hours_ago, 2.0),
        ("diagnostics.echo", "completed", hours_ago, 30.0),
        ("diagnostics.echo", "failed", hours_ago, 600.0),
        ("diagnostics.echo", "cancelled", hours_ago, None),
        ("other.type", "completed_with_errors", hours_ago - timedelta(hours=1), 7.0),
    ]
    _write_ends(tenant_id, closed)
    _write_ends(tenant_id, [("diagnostics.echo", "completed", at, 1.0), ("diagnostics.echo", "failed", at, 9.0)])
    _write_ends(other_id, [("diagnostics.echo", "completed", hours_ago, 3.0)])
    stats.add_aggregate(storage, tenant_id, hours_ago, "diagnostics.echo", "completed", 3600.0, count=2)
    other_before = stats.summarize(storage, other_id, 24, at)

    before = stats.summarize(storage, tenant_id, 24, at)
    assert before.total == 9 and before.by_status["completed"] == 5 and before.by_status["failed"] == 2

    assert stats.roll_up(storage, tenant_id, at) == (5, 2)
    after = stats.summarize(storage, tenant_id, 24, at)
    assert after == before
    ends = _partition(tenant_id, "end:")
    assert {row["RowKey"][4:14] for row in ends} == {stats.hour_key(at)}
    aggregates = {row["RowKey"]: row for row in _partition(tenant_id, "agg:")}
    echo_row = aggregates[f"agg:{stats.hour_key(hours_ago)}:diagnostics.echo"]
    assert (echo_row["c_completed"], echo_row["c_failed"], echo_row["c_cancelled"]) == (4, 1, 1)
    assert echo_row["h29"] == 2 and echo_row["h24"] == 1  # 3600 s in bucket 29, 600 s in bucket 24
    assert sum(int(echo_row.get(f"h{i:02d}", 0)) for i in range(stats.BUCKETS)) == 5  # the cancelled end has none
    assert len(aggregates) == 2

    # Idempotent: a rerun (as after a crash right after the fold committed) finds nothing to fold.
    assert stats.roll_up(storage, tenant_id, at) == (0, 2)
    assert stats.summarize(storage, tenant_id, 24, at) == before

    # Once the current hour has closed (past the grace period), its end rows fold too.
    later = at + timedelta(hours=1, seconds=301)
    assert stats.roll_up(storage, tenant_id, later) == (2, 0)
    assert _partition(tenant_id, "end:") == []
    assert stats.summarize(storage, tenant_id, 24, at) == before

    # The other tenant's partition is untouched.
    assert len(_partition(other_id, "end:")) == 1 and _partition(other_id, "agg:") == []
    assert stats.summarize(storage, other_id, 24, at) == other_before


def test_roll_up_respects_the_grace_period(make_tenant: Callable[..., Tenant]) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    storage = deps.jobs().storage
    hour = now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    _write_ends(tenant_id, [("diagnostics.echo", "completed", hour + timedelta(minutes=59), 1.0)])
    just_closed = hour + timedelta(hours=1, seconds=10)
    assert stats.roll_up(storage, tenant_id, just_closed, grace_seconds=300) == (0, 1)
    assert stats.roll_up(storage, tenant_id, just_closed + timedelta(minutes=5)) == (1, 0)


def test_a_crashed_fold_counts_nothing_and_the_rerun_counts_once(
    make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    storage = deps.jobs().storage
    at = now()
    _write_ends(tenant_id, [("diagnostics.echo", "completed", at - timedelta(hours=3), 4.0)] * 3)
    before = stats.summarize(storage, tenant_id, 24, at)
    table = storage.table(JOBS)

    def crash(operations: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the host died before the transaction was sent")

    with monkeypatch.context() as patch:
        patch.setattr(table, "submit_transaction", crash)
        with pytest.raises(ConnectionError):
            stats.roll_up(storage, tenant_id, at)
    assert stats.summarize(storage, tenant_id, 24, at) == before
    assert len(_partition(tenant_id, "end:")) == 3

    real = table.submit_transaction

    def commit_then_crash(operations: Any, **kwargs: Any) -> Any:
        real(operations, **kwargs)
        raise ConnectionError("the host died after the transaction committed")

    with monkeypatch.context() as patch:
        patch.setattr(table, "submit_transaction", commit_then_crash)
        with pytest.raises(ConnectionError):
            stats.roll_up(storage, tenant_id, at)
    assert stats.summarize(storage, tenant_id, 24, at) == before
    assert stats.roll_up(storage, tenant_id, at) == (0, 0)
    assert stats.summarize(storage, tenant_id, 24, at) == before
    assert before.by_status["completed"] == 3


def test_a_concurrent_aggregate_write_makes_the_fold_retry(make_tenant: Callable[..., Tenant]) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    storage = deps.jobs().storage
    at = now()
    ended = at - timedelta(hours=3)
    _write_ends(tenant_id, [("diagnostics.echo", "completed", ended, 4.0)] * 2)
    stats.add_aggregate(storage, tenant_id, ended, "diagnostics.echo", "failed", 4.0)
    table = storage.table(JOBS)
    real = table.get_entity
    calls = {"n": 0}

    def racing_get(*args: Any, **kwargs: Any) -> Any:
        row = real(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 1:  # someone else adds to the aggregate between our read and our write
            stats.add_aggregate(storage, tenant_id, ended, "diagnostics.echo", "failed", 4.0)
        return row

    table.get_entity = racing_get
    try:
        assert stats.roll_up(storage, tenant_id, at) == (2, 0)
    finally:
        del table.get_entity
    body = stats.summarize(storage, tenant_id, 24, at)
    assert body.by_status["completed"] == 2 and body.by_status["failed"] == 2


def test_more_than_99_end_rows_of_an_hour_fold_over_several_transactions(make_tenant: Callable[..., Tenant]) -> None:
    tenant_id = make_tenant()["tenant"]["id"]
    storage = deps.jobs().storage
    table = storage.table(JOBS)
    at = now()
    ended = at - timedelta(hours=2)
    rows = [_end_row(tenant_id, "diagnostics.echo", "completed", ended, float(i % 50 + 1)) for i in range(230)]
    rows += [_end_row(tenant_id, "diagnostics.echo", "failed", ended, 2.0) for _ in range(20)]
    for start in range(0, len(rows), 100):
        table.submit_transaction([("upsert", row) for row in rows[start : start + 100]])
    before = stats.summarize(storage, tenant_id, 24, at)
    assert before.total == 250

    sizes: list[int] = []
    real = table.submit_transaction

    def counting(operations: Any, **kwargs: Any) -> Any:
        operations = list(operations)
        sizes.append(len(operations))
        return real(operations, **kwargs)

    table.submit_transaction = counting
    try:
        assert stats.roll_up(storage, tenant_id, at) == (250, 0)
    finally:
        del table.submit_transaction
    assert sizes == [100, 100, 53] and max(sizes) <= 100
    assert _partition(tenant_id, "end:") == []
    (aggregate,) = _partition(tenant_id, "agg:")
    assert aggregate["c_completed"] == 230 and aggregate["c_failed"] == 20
    assert stats.summarize(storage, tenant_id, 24, at) == before


def test_histogram_buckets_are_log_scale() -> None:
    # Stored aggregates hold bucket counts, so the layout is a storage format: pinned by hand.
    # Ratio R = (129,600 s / 0.1 s) ** (1/40) = e**0.35187 = 1.4217; bucket i spans [0.1*R**i, 0.1*R**(i+1)).
    # 600 s: ln(6000)/0.35187 = 24.7 -> 24; 1000 s: ln(10000)/0.35187 = 26.2 -> 26; 3600 s: 29.8 -> 29.
    assert (stats.bucket_of(600.0), stats.bucket_of(1000.0), stats.bucket_of(3600.0)) == (24, 26, 29)
    assert stats.bucket_value(26) == 1120.988  # 0.1 * R**26.5
    assert stats.bucket_value(0) == 0.142  # bucket 0 reports its upper edge 0.1 * R
    assert stats.bucket_of(0.0) == 0 and stats.bucket_of(0.05) == 0
    assert stats.bucket_of(10**9) == stats.BUCKETS - 1
    values = [stats.bucket_value(i) for i in range(stats.BUCKETS)]
    assert values == sorted(values) and len(set(values)) == stats.BUCKETS
    for seconds in (0.3, 1.0, 7.5, 60.0, 3600.0, 80_000.0):
        estimate = stats.bucket_value(stats.bucket_of(seconds))
        assert seconds / 1.5 < estimate < seconds * 1.5, seconds
    assert stats.percentile([0] * stats.BUCKETS, 0.5) is None
