"""Pods listing: ``GET /api/v1/pods`` across 10 slow clusters against the same list on one.

Claim: listing a tenant's pods across 10 servers that each answer in about 100 ms takes
well under 2 times a single server's list (the servers are asked at once, so the time is
the slowest answer plus merging, not the sum), measured in the same run; the ratio
t(10 servers) / t(1 server) of the medians is the figure, target < 2.

Why this shape:

* Eleven Kubernetes emulators (kmock over real HTTP, ``tests.support.kube.KubeEmulator``),
  each in its own thread and event loop, each delaying every answer by ``--delay`` (100 ms)
  before serving it, so a list costs a real round trip plus the delay, as a remote cluster
  would. Each holds ``--pods`` (5) pods labelled for the benchmark's tenants, plus one
  unlabelled pod that must be filtered out.
* Two tenants through the real pipeline (``POST /api/v1/tenants``): ``ten`` registers ten
  of the emulators as servers, ``one`` registers the eleventh. Servers and credentials go
  through ``POST /api/v1/servers`` (token credentials, encrypted at rest), so the list reads
  the server records, opens credentials once per server (the client cache keeps the client)
  and asks every cluster through the official ``kubernetes`` client.
* The requests go through ``pipeline.handle`` in process (authentication and rate
  limiting included; the limit is raised so nothing throttles); the two scenarios
  alternate request by request after a warm-up, so machine noise hits both alike. Every
  answer is checked: all pods present, no ``errors`` entry.
* For information the sum of the ten servers' delays (what asking them one after another
  would at least cost) is printed next to the figure.

Run ``python -m bench.pods_list [--requests N] [--warmup N] [--delay S] [--pods N]``;
figures go to ``bench/results/pods_list.json``.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from bench._azurite import Azurite
from bench._common import (
    ROOT,
    app_environment,
    environment,
    patched_environ,
    print_table,
    request_log_to_devnull,
    summarize,
    verdict,
    write_results,
)

NAME = "pods_list"
DEFAULT_REQUESTS = 40
DEFAULT_WARMUP = 3
DEFAULT_DELAY = 0.1
DEFAULT_PODS = 5
SERVERS = 10
TARGET_RATIO = 2.0
NAMESPACE = "bench"


@contextmanager
def _kube_settings() -> Iterator[None]:
    """A fresh credentials key, private endpoints allowed (the emulators are on 127.0.0.1), a short timeout."""
    wanted = {
        "CLOUDPLANE_CREDENTIALS_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
        "CLOUDPLANE_K8S_TIMEOUT_SECONDS": "5",
    }
    with patched_environ(wanted):
        yield


def _pods(tenant_id: str, count: int) -> list[dict[str, Any]]:
    from tests.support.kube import pod

    items = []
    for index in range(count):
        item = pod(f"p{index}-{uuid.uuid4().hex[:6]}", NAMESPACE, cpu="1", memory="1Gi")
        item["metadata"]["labels"] = {
            "app.kubernetes.io/managed-by": "cloudplane",
            "cloudplane.io/tenant": tenant_id,
            "cloudplane.io/pod-id": f"pod_{uuid.uuid4().hex}",
        }
        items.append(item)
    items.append(pod("someone-elses", NAMESPACE))
    return items


def _measure(admin_key: str, requests: int, warmup: int, delay: float, pods: int) -> dict[str, Any]:
    import function_app  # noqa: F401 - registers the operations in ROUTES
    from functions._http import serve
    from shared import deps
    from shared.api.http import ApiRequest
    from shared.api.router import ROUTES
    from shared.providers import kubernetes as kube
    from tests.support.kube import KubeEmulator

    deps.reset()
    kube.CLIENTS.clear()
    operations = {op.name: op for op in ROUTES}
    admin = {"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"}

    def call(name: str, method: str, path: str, headers: dict[str, str], body: Any = None) -> dict[str, Any]:
        raw = json.dumps(body).encode() if body is not None else b""
        reply = serve(operations[name], ApiRequest.build(method, path, headers=headers, body=raw))
        if reply.status not in (200, 201):
            raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.body[:500]!r}")
        result: dict[str, Any] = reply.json()
        return result

    tenants: dict[str, tuple[str, dict[str, str]]] = {}
    for size in ("ten", "one"):
        made = call("create_tenant", "POST", "/api/v1/tenants", admin,
                    {"name": f"Pods benchmark {size}", "slug": f"bench-{uuid.uuid4().hex[:12]}"})
        headers = {"Authorization": f"Bearer {made['api_key']['key']}", "Content-Type": "application/json"}
        tenants[size] = (made["tenant"]["id"], headers)

    with ExitStack() as stack:
        counts = {"ten": SERVERS, "one": 1}
        for size, count in counts.items():
            tenant_id, headers = tenants[size]
            for _ in range(count):
                emulator = stack.enter_context(KubeEmulator(pods=_pods(tenant_id, pods), delay=delay))
                call("create_server", "POST", "/api/v1/servers", headers,
                     {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": emulator.url, "token": secrets.token_hex(16),
                      "namespace": NAMESPACE})

        op = operations["list_pods"]

        def lister(size: str) -> Callable[[], int]:
            headers = tenants[size][1]
            expected = counts[size] * pods

            def run() -> int:
                reply = serve(op, ApiRequest.build("GET", "/api/v1/pods", headers=headers,
                                                             query={"limit": "100"}))
                page = reply.json()
                if reply.status != 200 or page["errors"] or len(page["items"]) != expected:
                    raise RuntimeError(f"listing {size}: {reply.status}, {len(page.get('items', []))} items, "
                                       f"errors {page.get('errors')}")
                return len(page["items"])

            return run

        calls = {"one_server": lister("one"), "ten_servers": lister("ten")}
        names = list(calls)
        for name in names * warmup:
            calls[name]()
        times: dict[str, list[float]] = {name: [] for name in names}
        started = time.perf_counter()
        for index in range(requests):
            order = names if index % 2 == 0 else names[::-1]
            for name in order:
                t0 = time.perf_counter_ns()
                calls[name]()
                times[name].append((time.perf_counter_ns() - t0) / 1e6)
        measured_seconds = time.perf_counter() - started
    kube.CLIENTS.clear()
    stats = {name: summarize(values) for name, values in times.items()}
    ratio = stats["ten_servers"]["median"] / stats["one_server"]["median"]
    return {
        "measured_seconds": round(measured_seconds, 2),
        "one_server_ms": stats["one_server"],
        "ten_servers_ms": stats["ten_servers"],
        "sequential_floor_ms": round(SERVERS * delay * 1000, 1),
        "ratio": round(ratio, 3),
        "ratio_met": ratio < TARGET_RATIO,
        "raw_ms": times,
    }


def run(requests: int = DEFAULT_REQUESTS, warmup: int = DEFAULT_WARMUP, delay: float = DEFAULT_DELAY,
        pods: int = DEFAULT_PODS) -> dict[str, Any]:
    """Start Azurite and 11 emulators, measure, stop them, write ``bench/results/pods_list.json``."""
    admin_key = secrets.token_urlsafe(32)
    with (Azurite() as azurite, app_environment(azurite.connection_string, admin_key), _kube_settings(),
          request_log_to_devnull()):
        try:
            measured = _measure(admin_key, requests, warmup, delay, pods)
        finally:
            from shared import deps

            deps.reset()
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claim": (f"GET /api/v1/pods across {SERVERS} servers answering in ~{delay * 1000:.0f} ms each takes "
                  f"< {TARGET_RATIO}x a single server's list (medians, same run)"),
        "unit": "milliseconds of serve(list_pods, ApiRequest.build(...)) in process",
        "target_ratio": TARGET_RATIO,
        "servers": SERVERS,
        "delay_seconds": delay,
        "pods_per_server": pods,
        "requests_per_scenario": requests,
        "warmup_per_scenario": warmup,
        **measured,
        "environment": environment(),
    }
    figures["claim_met"] = figures["ratio_met"]
    figures["results_file"] = str(write_results(NAME, figures).relative_to(ROOT))
    return figures


def report(figures: dict[str, Any]) -> None:
    one, ten = figures["one_server_ms"], figures["ten_servers_ms"]
    print_table(
        f"Pods listing: {figures['servers']} servers against 1, each answering after {figures['delay_seconds']} s, "
        f"{figures['requests_per_scenario']} requests per scenario, interleaved",
        ("request", "median ms", "p90 ms", "min ms", "max ms"),
        [
            ("GET /api/v1/pods (1 server)", f"{one['median']:.1f}", f"{one['p90']:.1f}", f"{one['min']:.1f}",
             f"{one['max']:.1f}"),
            (f"GET /api/v1/pods ({figures['servers']} servers)", f"{ten['median']:.1f}", f"{ten['p90']:.1f}",
             f"{ten['min']:.1f}", f"{ten['max']:.1f}"),
        ],
    )
    print(f"  one after another would take at least {figures['sequential_floor_ms']} ms")
    print(f"  ratio {figures['ratio']:.3f} < {figures['target_ratio']} -> {verdict(figures['ratio_met'])}")
    print(f"  measured over {figures['measured_seconds']} s; figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pods_list", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="warm-up requests per scenario")
    parser.add_argument("--delay", type=float, default=DEFAULT_DELAY, help="seconds each cluster waits per answer")
    parser.add_argument("--pods", type=int, default=DEFAULT_PODS, help="tenant pods per cluster")
    args = parser.parse_args(argv)
    report(run(max(1, args.requests), max(0, args.warmup), max(0.0, args.delay), max(1, args.pods)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
