"""OpenStack clouds: Keystone logins per 100 v1 requests, and ``GET /clouds/{id}/users`` against the bare SDK call.

Claims (issue 9):

1. **Logins:** 100 v1 requests on one registered cloud cost **1** Keystone login (Concertim's
   service logs in on every request: 100). Counted on Keystone's side: the ``POST
   /v3/auth/tokens`` lines answered 201 in its uwsgi request log, before and after. For
   comparison the same number of requests is made the way Concertim does it (a new
   openstacksdk connection per request, ``--concertim`` of them), counted the same way.
2. **Overhead:** the median time of ``GET /api/v1/clouds/{id}/users`` is at most **1.3x** the
   median of the same openstacksdk call made directly (``conn.identity.users()`` listed, on a
   connection logged in beforehand), in the same run, the two alternating request by request.

Why this shape:

* Real Keystone and nova-api from Debian's packages (``scripts/openstack/``, the test
  fixtures' classes from ``tests/support/openstack.py``), on free ports, SQLite, one uwsgi
  process each; Azurite on free ports. Nothing leaves 127.0.0.1.
* The app runs in process (``functions._http.serve`` with the app's guards: authentication,
  rate limiting, the request log to ``os.devnull``), as the hot-path and pods benchmarks do;
  each request is a fresh invocation of the trigger, so what persists between them is what
  persists in a warm Functions worker: the process's connection cache.
* The 100 requests mix every read of the v1 API (users, teams, key pairs, limits,
  statistics, quotas) so both Keystone and nova-api are asked. nova-api validates tokens
  with a service token of its own (one login an hour, in the same Keystone log); one nova
  request is made before the count starts so that login is not taken for ours. The app's
  connection cache is cleared then, so the count includes our first login.

Run ``python -m bench.openstack_clouds [--requests 100] [--samples 60] [--concertim 20]``;
figures go to ``bench/results/openstack_clouds.json``. The machine is shared: say so with
the figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench._azurite import Azurite
from bench._common import (
    ROOT,
    app_environment,
    create_tenant_in_process,
    environment,
    patched_environ,
    print_table,
    request_log_to_devnull,
    summarize,
    verdict,
    write_results,
)

NAME = "openstack_clouds"
DEFAULT_REQUESTS = 100
DEFAULT_SAMPLES = 60
DEFAULT_WARMUP = 5
DEFAULT_CONCERTIM = 20
TARGET_LOGINS = 1
TARGET_RATIO = 1.3


@contextmanager
def _cloud_settings() -> Iterator[None]:
    wanted = {
        "CLOUDPLANE_CREDENTIALS_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
        "CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS": "30",
    }
    with patched_environ(wanted):
        yield


@contextmanager
def _openstack(workdir: Path) -> Iterator[tuple[Any, Any]]:
    from tests.support.openstack import Keystone, Nova, installed

    if not installed():
        raise RuntimeError("Keystone/nova-api are not installed: run scripts/openstack/install.sh")
    keystone = Keystone(workdir / "keystone").start()
    try:
        nova = Nova(workdir / "nova", keystone).start()
        try:
            yield keystone, nova
        finally:
            nova.stop()
    finally:
        keystone.stop()


def _measure(admin_key: str, keystone: Any, requests: int, samples: int, warmup: int, concertim: int) -> dict[str, Any]:
    import function_app  # noqa: F401 - registers the operations in ROUTES
    from functions._http import serve
    from shared import deps
    from shared.api.http import ApiRequest
    from shared.api.router import ROUTES
    from shared.models.clouds import CloudConfig
    from shared.providers.openstack import CloudConnections

    deps.reset()
    operations = {op.name: op for op in ROUTES}
    _, key = create_tenant_in_process(operations, admin_key, "OpenStack benchmark")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def call(name: str, method: str, path: str, body: Any = None) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        op = operations[name]
        matched = op.pattern.match(path)
        params = matched.groupdict() if matched else {}
        reply = serve(op, ApiRequest.build(method, path, headers=headers, body=raw, route_params=params))
        if reply.status not in (200, 201):
            raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.body[:500]!r}")
        return reply.json()

    cloud = keystone.admin_cloud()
    server = call("create_server", "POST", "/api/v1/servers", {"name": "bench", "kind": "openstack", "cloud": cloud})
    base = f"/api/v1/clouds/{server['id']}"
    team = call("create_team", "POST", f"{base}/teams", {"name": f"bench-{secrets.token_hex(4)}"})
    for index in range(5):
        call("create_cloud_user", "POST", f"{base}/users", {"name": f"bench-{secrets.token_hex(4)}-{index}"})
    call("list_key_pairs", "GET", f"{base}/key-pairs")  # nova-api's own service login happens here, not below
    deps.cloud_connections().clear()  # the count starts from a cold cache: its one login is counted

    reads: list[tuple[str, str]] = [
        ("list_cloud_users", f"{base}/users"),
        ("list_teams", f"{base}/teams"),
        ("list_key_pairs", f"{base}/key-pairs"),
        ("get_cloud_limits", f"{base}/limits"),
        ("get_team_quotas", f"{base}/teams/{team['id']}/quotas"),
        ("get_cloud_statistics", f"{base}/statistics"),
        ("get_team", f"{base}/teams/{team['id']}"),
    ]
    before = keystone.token_issues()
    started = time.perf_counter()
    for index in range(requests):
        name, path = reads[index % len(reads)]
        call(name, "GET", path)
    v1_seconds = time.perf_counter() - started
    logins = keystone.token_issues() - before

    # Concertim's way: a new connection (a login) for each request.
    config = CloudConfig.model_validate(cloud)
    before = keystone.token_issues()
    for _ in range(concertim):
        fresh = CloudConnections(30.0)
        fresh.call("c", config, lambda conn: list(conn.identity.users()))
        fresh.clear()
    concertim_logins = keystone.token_issues() - before

    # GET /clouds/{id}/users against the same SDK call on a logged-in connection, alternating.
    direct = CloudConnections(30.0).connection("direct", config)
    scenarios: dict[str, Callable[[], Any]] = {
        "v1_get_users": lambda: call("list_cloud_users", "GET", f"{base}/users"),
        "sdk_users": lambda: list(direct.identity.users()),
    }
    names = list(scenarios)
    for name in names * warmup:
        scenarios[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(samples):
        for name in names if index % 2 == 0 else names[::-1]:
            t0 = time.perf_counter_ns()
            scenarios[name]()
            times[name].append((time.perf_counter_ns() - t0) / 1e6)
    direct.close()
    deps.cloud_connections().clear()
    stats = {name: summarize(values) for name, values in times.items()}
    ratio = stats["v1_get_users"]["median"] / stats["sdk_users"]["median"]
    return {
        "v1_requests": requests,
        "v1_seconds": round(v1_seconds, 2),
        "keystone_logins_per_v1_requests": logins,
        "logins_per_100": round(logins * 100 / requests, 2),
        "logins_met": logins * 100 / requests <= TARGET_LOGINS,
        "concertim_requests": concertim,
        "concertim_logins": concertim_logins,
        "v1_get_users_ms": stats["v1_get_users"],
        "sdk_users_ms": stats["sdk_users"],
        "ratio": round(ratio, 3),
        "ratio_met": ratio <= TARGET_RATIO,
        "raw_ms": times,
    }


def run(
    requests: int = DEFAULT_REQUESTS,
    samples: int = DEFAULT_SAMPLES,
    warmup: int = DEFAULT_WARMUP,
    concertim: int = DEFAULT_CONCERTIM,
) -> dict[str, Any]:
    """Start Azurite, Keystone and nova-api, measure, stop them, write ``bench/results/openstack_clouds.json``."""
    admin_key = secrets.token_urlsafe(32)
    with (
        tempfile.TemporaryDirectory(prefix="bench-openstack-") as workdir,
        _openstack(Path(workdir)) as (keystone, _nova),
        Azurite() as azurite,
        app_environment(azurite.connection_string, admin_key),
        _cloud_settings(),
        request_log_to_devnull(),
    ):
        try:
            measured = _measure(admin_key, keystone, requests, samples, warmup, concertim)
        finally:
            from shared import deps

            deps.reset()
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claim": (
            f"{requests} v1 requests on one cloud cost {TARGET_LOGINS} Keystone login per 100 (counted in Keystone's "
            f"request log); median GET /clouds/{{id}}/users <= {TARGET_RATIO}x the same openstacksdk call"
        ),
        "unit": "Keystone POST /v3/auth/tokens answered 201; milliseconds in process",
        "samples_per_scenario": samples,
        **measured,
        "environment": environment(),
    }
    figures["claim_met"] = figures["logins_met"] and figures["ratio_met"]
    figures["results_file"] = str(write_results(NAME, figures).relative_to(ROOT))
    return figures


def report(figures: dict[str, Any]) -> None:
    v1, sdk = figures["v1_get_users_ms"], figures["sdk_users_ms"]
    print_table(
        "OpenStack clouds: Keystone logins (counted in Keystone's request log)",
        ("requests", "made how", "logins"),
        [
            (figures["v1_requests"], "v1 API, one registered cloud", figures["keystone_logins_per_v1_requests"]),
            (figures["concertim_requests"], "a new connection per request (Concertim)", figures["concertim_logins"]),
        ],
    )
    print(
        f"  logins per 100 v1 requests {figures['logins_per_100']} <= {TARGET_LOGINS} -> "
        f"{verdict(figures['logins_met'])}"
    )
    print_table(
        f"GET /clouds/{{id}}/users against conn.identity.users(), {figures['samples_per_scenario']} each, interleaved",
        ("request", "median ms", "p90 ms", "min ms", "max ms"),
        [
            (label, f"{s['median']:.1f}", f"{s['p90']:.1f}", f"{s['min']:.1f}", f"{s['max']:.1f}")
            for label, s in (("GET /api/v1/clouds/{id}/users", v1), ("openstacksdk identity.users()", sdk))
        ],
    )
    print(f"  ratio {figures['ratio']:.3f} <= {TARGET_RATIO} -> {verdict(figures['ratio_met'])}")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.openstack_clouds", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="v1 requests counted for logins")
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="timed requests per scenario")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="warm-up requests per scenario")
    parser.add_argument("--concertim", type=int, default=DEFAULT_CONCERTIM, help="requests made Concertim's way")
    args = parser.parse_args(argv)
    report(run(max(1, args.requests), max(2, args.samples), max(0, args.warmup), max(0, args.concertim)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
