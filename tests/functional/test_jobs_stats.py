"""GET /api/v1/stats: counts, success rate and percentiles from the hourly aggregates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from shared import deps
from shared.jobs import stats
from shared.jobs.store import WORK_QUEUE, now
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


def test_window_filters_old_hours_and_is_validated(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    storage = deps.jobs().storage
    old = now() - timedelta(hours=30)
    for _ in range(3):
        stats.add(storage, tenant_id, old, "diagnostics.echo", "failed", 100.0)
    stats.add(storage, tenant_id, now(), "diagnostics.echo", "completed", 1.0)
    stats.add(storage, tenant_id, now(), "other.type", "completed", 1000.0, count=9)

    day = get_stats(client, tenant)
    assert day["by_status"]["failed"] == 0 and day["by_status"]["completed"] == 10
    assert day["success_rate"] == 1.0
    assert day["by_type"] == {"diagnostics.echo": {"completed": 1}, "other.type": {"completed": 9}}
    # 10 durations: one ~1 s, nine ~1000 s; the percentiles come from the summed histograms.
    assert day["duration_seconds"]["p50"] == stats.bucket_value(stats.bucket_of(1000.0))
    assert day["duration_seconds"]["p99"] == stats.bucket_value(stats.bucket_of(1000.0))
    assert 700 < day["duration_seconds"]["p50"] < 1400

    two_days = get_stats(client, tenant, window_hours="48")
    assert two_days["window_hours"] == 48
    assert two_days["by_status"]["failed"] == 3 and two_days["total"] == 13
    assert two_days["success_rate"] == round(10 / 13, 4)
    assert two_days["duration_seconds"]["p50"] == stats.bucket_value(stats.bucket_of(1000.0))

    for bad in ("0", "721", "x"):
        reply = client.get("/api/v1/stats", headers=tenant["headers"], params={"window_hours": bad})
        assert reply.status in (400, 422), bad
    assert client.get("/api/v1/stats").status == 401


def test_a_job_is_counted_once_even_if_the_terminal_hook_runs_again(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=2).json()
    drain()
    engine = deps.jobs()
    entity = engine.load(tenant["tenant"]["id"], job["id"])
    assert entity["status"] == "completed"
    before = get_stats(client, tenant)
    assert before["by_status"]["completed"] == 1

    assert stats.record(engine.storage, entity) is False
    engine._on_terminal(entity)
    engine._on_terminal(entity)
    again = get_stats(client, tenant)
    assert again["by_status"] == before["by_status"] and again["duration_seconds"] == before["duration_seconds"]


def test_histogram_buckets_are_log_scale() -> None:
    assert stats.bucket_of(0.0) == 0 and stats.bucket_of(0.05) == 0
    assert stats.bucket_of(10**9) == stats.BUCKETS - 1
    values = [stats.bucket_value(i) for i in range(stats.BUCKETS)]
    assert values == sorted(values) and len(set(values)) == stats.BUCKETS
    for seconds in (0.3, 1.0, 7.5, 60.0, 3600.0, 80_000.0):
        estimate = stats.bucket_value(stats.bucket_of(seconds))
        assert seconds / 1.5 < estimate < seconds * 1.5, seconds
    assert stats.percentile([0] * stats.BUCKETS, 0.5) is None
