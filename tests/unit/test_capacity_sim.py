"""The capacity simulation's bookkeeping, on small cases worked out by hand."""

from __future__ import annotations

import pytest

from bench.capacity_sim import (
    SUBMIT,
    TODAY,
    Layout,
    Limits,
    Simulation,
    Target,
    capacity,
    find_layout,
    per_job,
    route,
    stable_hash,
    tenant_weights,
)


def test_calls_per_job_are_the_measured_ones() -> None:
    """bench/jobs_throughput.py: 9 app calls (4 submit, 5 start), two of them transactions (4 and 7 rows)."""
    counts = per_job(TODAY)
    assert counts["app_calls"] == 9
    assert sum(1 for call in SUBMIT if call.app) == 4
    assert counts["transactions"] == 2
    # The tenant's partition: 4 + 1 (submit) + 1 + 7 + 1 (start) entities in 5 requests.
    assert counts["table:jobs:units"] == 14
    assert counts["table:jobs"] == 5
    # Work queue: a send, the host's delete and 1/16 of a receive. Events: 3 sends, 3 deletes, 3/32 receives.
    assert counts["queue:work"] == pytest.approx(2 + 1 / 16)
    assert counts["queue:events"] == pytest.approx(6 + 3 / 32)
    assert counts["table:ratelimits"] == pytest.approx(0.1)  # one counter write per 10 grants
    assert counts["account_requests"] == pytest.approx(5 + 2 + 1 / 16 + 6 + 3 / 32 + 0.1)
    without = per_job(TODAY, subscriber=False)
    assert without["queue:events"] == 3 and without["account_requests"] == pytest.approx(10 + 1 / 16 + 0.1)


def test_a_target_serves_in_order_at_its_capacity() -> None:
    target = Target(capacity=2.0)
    assert target.serve(1, now=0.0, measured=True) == 0.5
    assert target.serve(1, now=0.0, measured=True) == 1.0  # waits behind the first
    assert target.serve(4, now=5.0, measured=False) == 7.0  # idle since 1.0: starts at once
    assert target.used == 2  # only measured units count


def test_routes_today_put_everything_in_one_place() -> None:
    where = route(TODAY, "t7", "job_1")
    assert (where.work_queue, where.events_queue) == ("a0/jobs", "a0/job-events")
    assert where.partition == "a0/jobs/t7" and where.ratelimit_partition == "a0/ratelimits/t7"


def test_sharded_routes_are_stable_and_spread() -> None:
    layout = Layout("s", queues=4, partitions=8, accounts=2)
    assert stable_hash("job_1") == stable_hash("job_1") != stable_hash("job_2")
    routes = [route(layout, "t0", f"job_{n}") for n in range(4000)]
    assert routes[5] == route(layout, "t0", "job_5")
    queues = {r.work_queue for r in routes}
    assert queues == {"a0/jobs-0", "a1/jobs-1", "a0/jobs-2", "a1/jobs-3"}  # queue i in account i % A
    assert all(r.events_queue == r.work_queue.replace("jobs-", "job-events-") for r in routes)
    partitions = {r.partition.rsplit("/", 1)[1] for r in routes}
    assert partitions == {f"t0#{k}" for k in range(8)}
    share = sum(r.work_queue.endswith("-0") for r in routes) / len(routes)
    assert share == pytest.approx(0.25, abs=0.03)


def test_work_queues_apart_from_the_events_queues() -> None:
    """The engine caps work queues at 40 triggers while events queues may be more: work queue i is
    in account i % A, whatever the events queue of the same job."""
    layout = Layout("s", queues=6, partitions=1, accounts=4, work_queues=3)
    routes = [route(layout, "t0", f"job_{n}") for n in range(3000)]
    assert {r.work_queue for r in routes} == {"a0/jobs-0", "a1/jobs-1", "a2/jobs-2"}
    assert {r.events_queue for r in routes} == {f"a{i % 4}/job-events-{i}" for i in range(6)}
    assert route(Layout("s", queues=4, work_queues=1), "t0", "job_1").work_queue == "a0/jobs"


def test_tenant_weights() -> None:
    assert tenant_weights(4, 0.0) == [0.25] * 4
    assert tenant_weights(2, 1.0) == pytest.approx([2 / 3, 1 / 3])


def test_a_light_run_measures_each_targets_load() -> None:
    """50 jobs/s of one tenant: its partition carries 50 x 14 = 700 entities/s, 35% of 2,000."""
    run = Simulation(TODAY, Limits(), tenants=1, rate=50.0, jobs=3000, seed=3).run()
    assert run.utilization["table:a0/jobs/t0"] == pytest.approx(0.35, rel=0.06)
    assert run.utilization["queue:a0/jobs"] == pytest.approx(50 * (2 + 1 / 16) / 2000, rel=0.06)
    assert run.utilization["account:a0"] == pytest.approx(50 * per_job(TODAY)["account_requests"] / 20000, rel=0.06)
    assert run.keeps_up and run.busiest[0] == "table:a0/jobs/t0"
    assert 0 < run.percentile(0.5) < 1


def test_the_same_seed_gives_the_same_run() -> None:
    first = Simulation(TODAY, Limits(), 10, 200.0, 1500, seed=5).run()
    again = Simulation(TODAY, Limits(), 10, 200.0, 1500, seed=5).run()
    assert first.utilization == again.utilization and first.latencies == again.latencies


def test_overload_falls_behind_and_capacity_finds_the_bottleneck() -> None:
    """One tenant today: its partition binds at 2,000 / 14 = 143 jobs/s."""
    result = capacity(TODAY, Limits(), tenants=1, jobs=3000, seed=7, probe_rate=50.0)
    assert result.bottleneck == "table:a0/jobs/t0"
    assert result.sustainable == pytest.approx(2000 / 14, rel=0.06)
    assert result.at_70 == pytest.approx(0.7 * result.sustainable)
    assert result.below.keeps_up and not result.above.keeps_up


def test_many_tenants_today_hit_the_events_queue_first() -> None:
    """Spread over tenants, partitions are cool; job-events carries 6.09 operations a job: 2,000 / 6.09."""
    result = capacity(TODAY, Limits(), tenants=100, jobs=3000, seed=7, probe_rate=100.0)
    assert result.bottleneck == "queue:a0/job-events"
    assert result.sustainable == pytest.approx(2000 / (6 + 3 / 32), rel=0.06)


def test_the_layout_search_grows_what_binds() -> None:
    """A small goal: 1,000 jobs/s from one tenant needs its partition split (14,000 entities/s / 1,400)
    and the events queue split (6,094 / 1,400), each target at or under 70%."""
    layout, runs = find_layout(Limits(), [1], jobs=4000, seed=11, goal=1000.0)
    assert layout.partitions >= 10 and layout.queues >= 5 and layout.accounts == 1
    assert all(run.busiest[1] <= 0.7 for run in runs)
