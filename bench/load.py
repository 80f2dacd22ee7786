"""A bounded load test on loopback: eight asyncio clients, a fixed number of requests, a mix of routes.

- **Where:** the app in a local host process (``python -m devhost``, queue triggers on) on a
  free loopback port, against a private Azurite; the loopback allow-list is set.
- **Load:** ``--clients`` (8) clients share ``--requests`` (4,000) requests, each client
  sending its next request as soon as the previous answer arrives (a closed loop, so the
  host is never asked for more than 8 at a time). The mix, by weight: ``GET /me`` 3, list
  jobs 2, submit a small ``diagnostics.echo`` job 1, get a job submitted earlier 2, list
  servers 1, ``GET /health`` 1.
- **Figures:** p50 and p99 per route, answers by status, 5xx (goal 0), and lost jobs: every
  submitted job must reach a terminal status within ``--drain`` seconds after the load (goal 0).
  As every benchmark here, a ratio against a baseline measured in the same run: each route's
  p50 over ``GET /health``'s p50 in the same mix (health touches no dependency, so the ratio is
  the cost of auth, rate limit and storage on top of the host's own HTTP path).

    .venv/bin/python -m bench.load [--requests 4000] [--clients 8] [--drain 120]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

from bench._apphost import devhost, host_environment, new_tenant
from bench._azurite import Azurite
from bench._common import DEFAULTS_KEPT, environment, print_table, verdict, write_results

DEFAULT_REQUESTS = 4000
DEFAULT_CLIENTS = 8
DEFAULT_DRAIN = 120.0
SEED = 20261129
FINISHED = {"completed", "completed_with_errors", "failed", "cancelled"}
MIX: tuple[tuple[str, int], ...] = (
    ("GET /me", 3), ("GET /jobs", 2), ("POST /jobs", 1), ("GET /jobs/{id}", 2), ("GET /servers", 1),
    ("GET /health", 1),
)
HOST_JSON = {
    "version": "2.0",
    "extensions": {
        "http": {"routePrefix": "api"},
        "queues": {"batchSize": 16, "maxPollingInterval": "00:00:00.200", "visibilityTimeout": "00:00:01",
                   "maxDequeueCount": 5},
    },
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _load(base: str, key: str, requests: int, clients: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    rng = random.Random(SEED)
    routes = [name for name, weight in MIX for _ in range(weight)]
    plan = [rng.choice(routes) for _ in range(requests)]
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    transport_errors: Counter[str] = Counter()
    job_ids: list[str] = []
    cursor = 0

    async def one(client: httpx.AsyncClient, route: str) -> None:
        if route == "GET /jobs/{id}" and not job_ids:
            route = "GET /jobs"
        if route == "POST /jobs":
            call = client.post(f"{base}/api/v1/jobs", headers=headers, json={
                "type": "diagnostics.echo", "name": "load",
                "configuration": {"items": 4, "batch_size": 2, "sleep_ms": 10}})
        elif route == "GET /jobs/{id}":
            call = client.get(f"{base}/api/v1/jobs/{rng.choice(job_ids)}", headers=headers)
        elif route == "GET /jobs":
            call = client.get(f"{base}/api/v1/jobs", headers=headers, params={"limit": 20})
        elif route == "GET /servers":
            call = client.get(f"{base}/api/v1/servers", headers=headers)
        elif route == "GET /me":
            call = client.get(f"{base}/api/v1/me", headers=headers)
        else:
            call = client.get(f"{base}/api/v1/health")
        started = time.perf_counter()
        try:
            reply = await call
        except httpx.HTTPError as error:
            transport_errors[type(error).__name__] += 1
            return
        latencies[route].append(time.perf_counter() - started)
        statuses[route][reply.status_code] += 1
        if route == "POST /jobs" and reply.status_code == 202:
            job_ids.append(reply.json()["id"])

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal cursor
        while cursor < len(plan):
            route = plan[cursor]
            cursor += 1
            await one(client, route)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "statuses": statuses, "transport_errors": transport_errors,
            "job_ids": job_ids, "elapsed": elapsed}


def _drain(base: str, key: str, job_ids: list[str], timeout: float) -> dict[str, str]:
    """Each submitted job's last status, once all are finished or the time is up."""
    headers = {"Authorization": f"Bearer {key}"}
    last: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=30) as http:
        pending = list(job_ids)
        while pending and time.monotonic() < deadline:
            for job_id in list(pending):
                reply = http.get(f"{base}/api/v1/jobs/{job_id}", headers=headers)
                last[job_id] = reply.json()["status"] if reply.status_code == 200 else f"HTTP {reply.status_code}"
                if last[job_id] in FINISHED:
                    pending.remove(job_id)
            if pending:
                time.sleep(0.5)
    return last


def run(requests: int, clients: int, drain: float) -> dict[str, Any]:
    admin_key = f"bench-admin-{uuid.uuid4().hex}"
    with Azurite() as azurite, tempfile.TemporaryDirectory(prefix="cloudplane-bench-load-") as workdir:
        env = host_environment(
            azurite.connection_string, admin_key, kept=(*DEFAULTS_KEPT, "CLOUDPLANE_JOB_MAX_ATTEMPTS"),
            extra={"CLOUDPLANE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128", "CLOUDPLANE_LOG_LEVEL": "WARNING"},
        )
        with devhost(env, Path(workdir), HOST_JSON, queues=True) as host:
            with httpx.Client(timeout=30) as http:
                key = new_tenant(http, host.base_url, admin_key)
            measured = asyncio.run(_load(host.base_url, key, requests, clients))
            final = _drain(host.base_url, key, measured["job_ids"], drain)
    baseline = statistics.median(measured["latencies"]["GET /health"])
    routes = {}
    for route, _ in MIX:
        samples = measured["latencies"].get(route, [])
        if not samples:
            continue
        p50 = statistics.median(samples)
        routes[route] = {"n": len(samples), "p50_ms": p50 * 1000, "p99_ms": percentile(samples, 0.99) * 1000,
                         "ratio_p50_to_health": p50 / baseline,
                         "statuses": {str(k): v for k, v in sorted(measured["statuses"][route].items())}}
    server_errors = sum(n for counter in measured["statuses"].values() for s, n in counter.items() if s >= 500)
    by_status: Counter[int] = Counter()
    for counter in measured["statuses"].values():
        by_status.update(counter)
    lost = sorted(j for j in measured["job_ids"] if final.get(j) not in FINISHED)
    return {
        "name": "load",
        "environment": environment(),
        "requests": requests,
        "clients": clients,
        "elapsed_seconds": measured["elapsed"],
        "requests_per_second": requests / measured["elapsed"],
        "baseline": "GET /health p50 in the same mix",
        "baseline_p50_ms": baseline * 1000,
        "routes": routes,
        "by_status": {str(k): v for k, v in sorted(by_status.items())},
        "transport_errors": dict(measured["transport_errors"]),
        "server_errors": server_errors,
        "jobs_submitted": len(measured["job_ids"]),
        "jobs_final": dict(Counter(final.values())),
        "lost_jobs": lost,
        "goal_met": server_errors == 0 and not lost and not measured["transport_errors"],
    }


def report(figures: dict[str, Any]) -> None:
    print_table(
        f"Load: {figures['requests']} requests, {figures['clients']} clients, loopback"
        f" ({figures['requests_per_second']:.0f} req/s over {figures['elapsed_seconds']:.1f} s)",
        ("route", "n", "p50 ms", "p99 ms", "p50 / health p50", "statuses"),
        [(route, r["n"], f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}", f"{r['ratio_p50_to_health']:.2f}",
          " ".join(f"{k}:{v}" for k, v in r["statuses"].items())) for route, r in figures["routes"].items()],
    )
    print_table("Goals", ("figure", "measured", "target", "verdict"), [
        ("5xx answers", figures["server_errors"], "0", verdict(figures["server_errors"] == 0)),
        ("transport errors", sum(figures["transport_errors"].values()), "0", verdict(not figures["transport_errors"])),
        (f"lost jobs (of {figures['jobs_submitted']})", len(figures["lost_jobs"]), "0",
         verdict(not figures["lost_jobs"])),
    ])
    print(f"  answers by status: {figures['by_status']}; jobs at the end: {figures['jobs_final']}")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS)
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument("--drain", type=float, default=DEFAULT_DRAIN, help="seconds for jobs to finish after the load")
    args = parser.parse_args(argv)
    figures = run(max(1, args.requests), max(1, args.clients), max(1.0, args.drain))
    figures["results_file"] = str(write_results("load", figures))
    report(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
