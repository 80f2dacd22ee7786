"""Capacity plan, checked by simulation: how many jobs a second one deployment sustains.

A discrete-event model of one-row jobs (``diagnostics.echo``, ``items=1``) flowing through
Azure Storage, fed with the storage calls per job that bench/jobs_throughput.py counts and
with Azure Storage's published scalability targets (docs/capacity.md cites them):

* per queue: 2,000 messages a second; every put, delete and receive request counts one;
* per table partition: 2,000 entities a second; a transaction counts each entity it holds;
* per account: 20,000 requests a second; a transaction or a batch receive counts one.

Each storage target is a server with that capacity (a virtual clock: a call waits until the
target has served what came before it). Jobs arrive as a Poisson stream spread over the
tenants; each job submits (HTTP), then runs its start step when the work message is
visible; every JobMessage put on the events queue is received and deleted by a subscriber.
A run reports each target's utilization and how far behind the busiest one fell.

The sustainable rate of a layout is the rate at which its busiest target reaches 100%
(``rate / max utilization`` from a probe run), checked by two more runs: at 90% of it every
target keeps up, at 120% the bottleneck falls behind. The 70% rate is where no queue,
partition or account passes 70% of its target. Layouts: today's (one work queue, one events
queue, a tenant's jobs in one partition, one account) and the sharded one: N work/events
queue pairs by a stable hash of the job id, P partitions per tenant (all of one job's rows in
one of them, so each step stays one transaction), A accounts, and a larger rate-limit lease.

Run ``.venv/bin/python -m bench.capacity_sim [--jobs N] [--seed S]``; stdlib only,
deterministic for a seed. Figures go to bench/results/capacity_sim.json.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import math
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

GOAL_JOBS_PER_SECOND = 20_000.0
TARGET_UTILIZATION = 0.7
CALL_LATENCY = 0.005  # seconds a storage call takes on top of any wait (it only shifts timings)
POLL_DELAY = 0.05  # a worker picks a visible message up after this long
# A target that ends further behind than 0.25 s + 5% of the measured window is not keeping up: at
# 120% of its capacity it falls 20% of the window behind; at 90% it keeps a queue of milliseconds.
BEHIND_BASE = 0.25
BEHIND_SHARE = 0.05
CHECK_SECONDS = 2.0  # the checks simulate at least this long
CHECK_BELOW, CHECK_ABOVE = 0.9, 1.2
HOST_BATCH = 16  # host.json queues.batchSize: one receive request per 16 work messages
SUBSCRIBER_BATCH = 32  # a subscriber receives job-events 32 at a time


@dataclass(frozen=True)
class Limits:
    """Azure Storage's published scalability targets (standard general-purpose v2)."""

    queue_messages: float = 2_000.0
    partition_entities: float = 2_000.0
    account_requests: float = 20_000.0


@dataclass(frozen=True)
class Layout:
    """Where a job's calls land: N queue pairs, P partitions per tenant, A accounts, rate-limit lease.

    ``work_queues`` > 0 caps the work queues apart from the events queues, as the engine does
    (CLOUDPLANE_WORK_QUEUES, at most 40 with a trigger, beside CLOUDPLANE_EVENT_QUEUES = N).
    """

    name: str
    queues: int = 1
    partitions: int = 1
    accounts: int = 1
    lease: int = 10  # CLOUDPLANE_RATE_LIMIT_LEASE_MAX: grants per write of a rate-limit counter
    work_queues: int = 0  # 0: one work queue per events queue (pairs)


TODAY = Layout("today")


@dataclass(frozen=True)
class Call:
    """One storage request: on a queue (``work``/``events``) or a table (``jobs``/``ratelimits``).

    ``units`` is what it costs the target: a table call's entities (a transaction counts each),
    a queue call's one message operation. ``every`` > 1: one request per that many messages
    (a batch receive). ``app``: made by the app's own code (bench/jobs_throughput.py counts
    those); otherwise by the Functions host, a subscriber or the rate limiter.
    """

    service: str
    target: str
    what: str
    units: float = 1.0
    every: int = 1
    app: bool = True


# The calls of one one-row job, as bench/jobs_throughput.py counted them (2026-11-29): 9 from the app.
SUBMIT = (
    Call("table", "jobs", "transaction: job, act:, ev:, out: rows", units=4),
    Call("queue", "events", "send job_created"),
    Call("queue", "work", "send start"),
    Call("table", "jobs", "delete out: row"),
)
START = (
    Call("queue", "work", "host receive (batch)", every=HOST_BATCH, app=False),
    Call("table", "jobs", "read job"),
    Call("table", "jobs", "transaction: job, 2 ev:, out:, act: delete, res:, end:", units=7),
    Call("queue", "events", "send job_started"),
    Call("queue", "events", "send job_completed"),
    Call("table", "jobs", "delete out: row"),
    Call("queue", "work", "host delete", app=False),
)
SUBSCRIBER = (  # per JobMessage on job-events
    Call("queue", "events", "subscriber receive (batch)", every=SUBSCRIBER_BATCH, app=False),
    Call("queue", "events", "subscriber delete", app=False),
)


def rate_limit_call(layout: Layout) -> Call:
    """The submission's share of its rate-limit counter: one conditional write per lease."""
    return Call("table", "ratelimits", "lease grants", every=layout.lease, app=False)


def stable_hash(text: str) -> int:
    """The same number for the same text in every process (Python's hash() is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@dataclass
class Target:
    """A queue, partition or account: serves ``capacity`` units a second, first come first served."""

    capacity: float
    free_at: float = 0.0
    used: float = 0.0  # units served inside the measured window

    def serve(self, units: float, now: float, measured: bool) -> float:
        """Queue ``units`` at ``now``; returns when they are served."""
        self.free_at = max(now, self.free_at) + units / self.capacity
        if measured:
            self.used += units
        return self.free_at


@dataclass(frozen=True)
class Route:
    """The targets one job's calls use."""

    work_queue: str
    events_queue: str
    partition: str
    ratelimit_partition: str


def route(layout: Layout, tenant: str, job_id: str) -> Route:
    """Today: everything in one place. Sharded: a stable hash of the job id picks its queue pair and
    its tenant partition; accounts hold queues round-robin and partitions by a hash of their key."""
    h = stable_hash(job_id)
    shard = h % layout.queues
    part = (h // layout.queues) % layout.partitions
    partition = tenant if layout.partitions == 1 else f"{tenant}#{part}"
    queue_account = shard % layout.accounts
    suffix = "" if layout.queues == 1 else f"-{shard}"
    work_suffix, work_account = suffix, queue_account
    if layout.work_queues:
        work_shard = h % layout.work_queues
        work_suffix = "" if layout.work_queues == 1 else f"-{work_shard}"
        work_account = work_shard % layout.accounts
    return Route(
        work_queue=f"a{work_account}/jobs{work_suffix}",
        events_queue=f"a{queue_account}/job-events{suffix}",
        partition=f"a{stable_hash(partition) % layout.accounts}/jobs/{partition}",
        ratelimit_partition=f"a{stable_hash('rl:' + tenant) % layout.accounts}/ratelimits/{tenant}",
    )


@dataclass
class Run:
    """What one simulated run measured."""

    rate: float
    jobs: int
    window: float
    utilization: dict[str, float] = field(default_factory=dict)
    behind: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    @property
    def busiest(self) -> tuple[str, float]:
        name = max(self.utilization, key=lambda key: self.utilization[key])
        return name, self.utilization[name]

    @property
    def keeps_up(self) -> bool:
        return max(self.behind.values(), default=0.0) <= BEHIND_BASE + BEHIND_SHARE * self.window

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def tenant_weights(tenants: int, skew: float) -> list[float]:
    """Each tenant's share of the jobs: equal for skew 0, Zipf(skew) otherwise (tenant 0 busiest)."""
    raw = [1.0 / (rank + 1) ** skew for rank in range(tenants)]
    total = sum(raw)
    return [value / total for value in raw]


class Simulation:
    """One run of ``jobs`` jobs arriving at ``rate`` a second over ``tenants`` tenants."""

    def __init__(self, layout: Layout, limits: Limits, tenants: int, rate: float, jobs: int,
                 seed: int = 1, skew: float = 0.0, subscriber: bool = True) -> None:
        self.layout, self.limits, self.rate, self.jobs = layout, limits, rate, jobs
        self.random = random.Random(seed)
        self.names = [f"t{index}" for index in range(tenants)]
        self.weights = tenant_weights(tenants, skew)
        self.subscriber = subscriber
        self.targets: dict[str, Target] = {}
        self.counters: dict[tuple[str, str], int] = {}
        self.window = (0.0, 0.0)

    def target(self, name: str, capacity: float) -> Target:
        found = self.targets.get(name)
        if found is None:
            found = self.targets[name] = Target(capacity)
        return found

    def call(self, call: Call, where: Route, now: float, measured: bool) -> float:
        """Make ``call`` at ``now`` (or skip it: a batch receive is one request per ``every``)."""
        place = {"work": where.work_queue, "events": where.events_queue, "jobs": where.partition,
                 "ratelimits": where.ratelimit_partition}[call.target]
        if call.every > 1:
            key = (place, call.what)
            count = self.counters[key] = self.counters.get(key, 0) + 1
            if count % call.every:
                return now
        account = place.split("/", 1)[0]
        limit = self.limits.queue_messages if call.service == "queue" else self.limits.partition_entities
        done = max(
            self.target(f"{call.service}:{place}", limit).serve(call.units, now, measured),
            self.target(f"account:{account}", self.limits.account_requests).serve(1.0, now, measured),
        )
        return done + CALL_LATENCY

    def run(self) -> Run:
        """Every call is an event, handled in time order, so each target serves in arrival order.

        A target's load counts the calls of the jobs that arrived inside the measured window
        (what the window offers, even if the target serves it later); how far behind a target
        is at the end says whether it kept up.
        """
        arrivals: list[tuple[float, str]] = []
        now = 0.0
        cumulative = list(_accumulate(self.weights))
        for _ in range(self.jobs):
            now += self.random.expovariate(self.rate)
            arrivals.append((now, self.random.choices(self.names, cum_weights=cumulative)[0]))
        self.window = (arrivals[len(arrivals) // 10][0], now)  # the first tenth warms up
        stages = ((rate_limit_call(self.layout), *SUBMIT), START, SUBSCRIBER)
        # (time, sequence, job index, stage, call index)
        events = [(at, index, index, 0, 0) for index, (at, _) in enumerate(arrivals)]
        sequence = len(events)
        routes: dict[int, Route] = {}
        latencies: list[float] = []
        while events:
            at, _, job, stage, index = heapq.heappop(events)
            created, tenant = arrivals[job]
            where = routes.get(job)
            if where is None:
                where = routes[job] = route(self.layout, tenant, f"job_{job:09d}")
            measured = self.window[0] <= created <= self.window[1]
            calls = stages[stage]
            if index < len(calls):
                call = calls[index]
                done = self.call(call, where, at, measured)
                sequence += 1
                heapq.heappush(events, (done, sequence, job, stage, index + 1))
                if self.subscriber and call.target == "events" and call.what.startswith("send"):
                    sequence += 1  # the subscriber's work, off the job's path
                    heapq.heappush(events, (done, sequence, job, 2, 0))
            elif stage == 0:
                sequence += 1
                heapq.heappush(events, (at + POLL_DELAY, sequence, job, 1, 0))
            elif stage == 1 and measured:
                latencies.append(at - created)
        span = self.window[1] - self.window[0]
        result = Run(self.rate, self.jobs, span, latencies=latencies)
        for name, target in self.targets.items():
            result.utilization[name] = target.used / (target.capacity * span) if span > 0 else 0.0
            result.behind[name] = max(0.0, target.free_at - self.window[1] - POLL_DELAY - 20 * CALL_LATENCY)
        return result


def _accumulate(values: list[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def per_job(layout: Layout, subscriber: bool = True) -> dict[str, float]:
    """Requests per job by kind, without simulation: the bookkeeping the tests check by hand."""
    calls = [rate_limit_call(layout), *SUBMIT, *START]
    events_sends = sum(1 for call in calls if call.target == "events" and call.what.startswith("send"))
    if subscriber:
        calls += list(SUBSCRIBER) * events_sends
    counts: dict[str, float] = {"app_calls": sum(1 for call in calls if call.app),
                                "transactions": sum(1 for call in calls if call.units > 1)}
    for call in calls:
        share = 1.0 / call.every
        counts[f"{call.service}:{call.target}"] = counts.get(f"{call.service}:{call.target}", 0.0) + share
        unit_key = f"{call.service}:{call.target}:units"
        counts[unit_key] = counts.get(unit_key, 0.0) + share * call.units
        counts["account_requests"] = counts.get("account_requests", 0.0) + share
    return counts


@dataclass
class Capacity:
    """A layout's sustainable rate for a tenant mix, and the simulation runs that check it."""

    layout: Layout
    tenants: int
    skew: float
    sustainable: float
    bottleneck: str
    at_70: float
    below: Run
    above: Run

    def row(self) -> dict[str, Any]:
        return {
            "layout": asdict(self.layout), "tenants": self.tenants, "skew": self.skew,
            "sustainable_jobs_per_second": round(self.sustainable, 1),
            "jobs_per_second_at_70_percent": round(self.at_70, 1), "first_bottleneck": self.bottleneck,
            "check_90_percent_keeps_up": self.below.keeps_up, "check_120_percent_keeps_up": self.above.keeps_up,
            "latency_p50_s_at_90_percent": round(self.below.percentile(0.5), 3),
            "latency_p99_s_at_90_percent": round(self.below.percentile(0.99), 3),
        }


def capacity(layout: Layout, limits: Limits, tenants: int, jobs: int, seed: int, skew: float = 0.0,
             probe_rate: float = 50.0) -> Capacity:
    """Probe, scale to the busiest target's limit, then check below and above it.

    The first probe is light and only aims the second, which runs at 90% of the first estimate
    for at least a second of arrivals: random arrivals make the busiest of many targets busier
    than their mean, and a light probe would exaggerate that (few calls per target).
    """
    first = Simulation(layout, limits, tenants, probe_rate, jobs, seed, skew).run()
    aim = 0.9 * probe_rate / first.busiest[1]
    probe = Simulation(layout, limits, tenants, aim, max(jobs, math.ceil(aim * 1.2)), seed, skew).run()
    bottleneck, load = probe.busiest
    sustainable = aim / load
    checks = [max(jobs, math.ceil(factor * sustainable * CHECK_SECONDS / 0.9)) for factor in (CHECK_BELOW, CHECK_ABOVE)]
    below = Simulation(layout, limits, tenants, CHECK_BELOW * sustainable, checks[0], seed + 1, skew).run()
    above = Simulation(layout, limits, tenants, CHECK_ABOVE * sustainable, checks[1], seed + 2, skew).run()
    return Capacity(layout, tenants, skew, sustainable, bottleneck, TARGET_UTILIZATION * sustainable, below, above)


def find_layout(limits: Limits, tenant_counts: Iterable[int], jobs: int, seed: int,
                goal: float = GOAL_JOBS_PER_SECOND, start: Layout = TODAY) -> tuple[Layout, list[Run]]:
    """The layout that runs ``goal`` jobs a second with every target at or under 70%, for each tenant
    count: simulate at the goal for at least a second, grow what binds by what it lacks, repeat.

    Arrivals are random, so the busiest of 200 partitions is busier than their mean; a second of
    arrivals is the scale at which Azure's per-second targets apply.
    """
    layout = replace(start, name="sharded")
    jobs = max(jobs, math.ceil(goal * 1.2))
    for _ in range(12):
        runs = [Simulation(layout, limits, tenants, goal, jobs, seed).run() for tenants in tenant_counts]
        worst = max(runs, key=lambda run: run.busiest[1])
        name, load = worst.busiest
        if load <= TARGET_UTILIZATION:
            return layout, runs

        if name.startswith("account:"):
            layout = replace(layout, accounts=_grown(layout.accounts, load))
        elif "/ratelimits/" in name:
            layout = replace(layout, lease=_grown(layout.lease, load))
        elif name.startswith("table:"):
            layout = replace(layout, partitions=_grown(layout.partitions, load))
        else:
            layout = replace(layout, queues=_grown(layout.queues, load))
    raise RuntimeError("no layout found in 12 rounds")


def _grown(current: int, load: float) -> int:
    """Enough more of a target for ``load`` to fall to 70% (and a little under)."""
    return max(current + 1, math.ceil(current * load / TARGET_UTILIZATION * 1.02))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=10_000, help="jobs per simulated run (the checks run longer)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--account-limit", type=float, default=20_000.0, help="requests/s per storage account")
    parser.add_argument("--queues", type=int, help="N for the sharded layout (default: found by search)")
    parser.add_argument("--partitions", type=int, help="P for the sharded layout")
    parser.add_argument("--accounts", type=int, help="A for the sharded layout")
    parser.add_argument("--lease", type=int, help="rate-limit lease for the sharded layout")
    parser.add_argument("--work-queues", type=int, default=0,
                        help="work queues apart from the N events queues (the engine's cap is 40); 0: N pairs")
    args = parser.parse_args()
    limits = Limits(account_requests=args.account_limit)
    tenant_counts = (1, 10, 100)

    print("Calls per one-row job (measured by bench/jobs_throughput.py; host and subscriber calls added):")
    for key, value in per_job(TODAY).items():
        print(f"  {key:28} {value:8.3f}")

    fixed = [args.queues, args.partitions, args.accounts, args.lease]
    if all(value is not None for value in fixed):
        sharded = Layout("sharded", args.queues, args.partitions, args.accounts, args.lease, args.work_queues)
        goal_runs = [Simulation(sharded, limits, t, GOAL_JOBS_PER_SECOND, args.jobs, args.seed).run()
                     for t in tenant_counts]
    else:
        sharded, goal_runs = find_layout(limits, tenant_counts, args.jobs, args.seed)
    work = f" ({sharded.work_queues} work queues)" if sharded.work_queues else ""
    print(f"\nSharded layout for {GOAL_JOBS_PER_SECOND:,.0f} jobs/s at <= 70%: N={sharded.queues} queue pairs{work}, "
          f"P={sharded.partitions} partitions per tenant, A={sharded.accounts} accounts, lease {sharded.lease}")
    for tenants, run in zip(tenant_counts, goal_runs, strict=True):
        name, load = run.busiest
        print(f"  {tenants:>3} tenants at {GOAL_JOBS_PER_SECOND:,.0f} jobs/s: busiest {name} at {load:.0%}, "
              f"keeps up: {run.keeps_up}, latency p50 {run.percentile(0.5):.3f} s p99 {run.percentile(0.99):.3f} s")

    rows: list[dict[str, Any]] = []
    print(f"\n{'layout':8} {'tenants':>8} {'jobs/s (100%)':>14} {'jobs/s (70%)':>13}  first bottleneck"
          f"  [checks: keeps up at 90% / at 120%]")
    for layout in (TODAY, sharded):
        for tenants, skew in ((1, 0.0), (10, 0.0), (100, 0.0), (100, 1.0)):
            probe = 50.0 if layout is TODAY else 2_000.0
            result = capacity(layout, limits, tenants, args.jobs, args.seed, skew, probe)
            rows.append(result.row())
            label = f"{tenants}" + (" zipf" if skew else "")
            print(f"{layout.name:8} {label:>8} {result.sustainable:14,.0f} {result.at_70:13,.0f}  "
                  f"{result.bottleneck}  [{result.below.keeps_up} / {result.above.keeps_up}]")
    out = Path(__file__).resolve().parent / "results" / "capacity_sim.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"limits": asdict(limits), "per_job_today": per_job(TODAY),
                               "per_job_sharded": per_job(sharded), "sharded": asdict(sharded), "rows": rows},
                              indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
