"""Migrations: records per second against a bare loop, and what four batches in flight buy under latency.

Claims:

1. 50,000 records (45,000 persons and 5,000 organizations) move from the Affinity fake into the
   Attio fake, with no latency, at least **0.8x** as many records per second as a bare loop that
   reads the same pages and asserts the same records through the same fakes in the same run.
2. With 50 ms of latency on every fake call, the time of a migration with four batches in flight
   divided by its time with one is at most **0.35**, and it stays inside the connection's rate
   budget: set below the fake's limit, the fakes answer no ``429``.

Why this shape:

* One private Azurite; the app and the engine run in this process, the fakes
  (``tests/support/crm_fakes.py``, real HTTP on 127.0.0.1) in one of their own, started fresh for
  every run so each run writes into an empty Attio. The job is submitted through the request pipeline
  (``functions._http.serve``), and its work messages are run by ``--in-flight`` worker threads
  that take messages from the work queue, as the host's queue trigger does with ``batchSize``.
* The bare loop is what the job does without the job: page persons (v1, 500 a page) and
  companies (v2, 100 a page), map each record, assert it with the same client, remember the
  companies' record ids in a dict for the persons' references. No planning, no map in Table
  storage, no budget, no engine.
* A job's time runs from its POST to its ``completed_at`` (the step that wrote its end), not to
  the moment the client's poll (once a second) saw it; the bare loop is timed around its loop.
* Claim 1 runs the job with one batch in flight, so that both sides make their calls one at a
  time: the ratio is the cost of the machinery (planning pass, map writes, budget leases, queue
  messages, batch and job records), not of parallelism. Sides alternate (``--rounds`` pairs), each
  job into a fresh Attio fake; medians are the figures.
* Claim 2 uses ``--latency-records`` records (batch size 200) so a one-in-flight run stays short;
  the connection's budget (90 writes a second) sits below the Attio fake's limit (100).

Run ``python -m bench.migration [--records 50000] [--rounds 1] [--latency-records 1600]``;
figures go to ``bench/results/migration.json``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

from bench._azurite import Azurite
from bench._common import (
    ROOT,
    app_environment,
    create_tenant_in_process,
    environment,
    patched_environ,
    print_table,
    verdict,
    write_results,
)

NAME = "migration"
DEFAULT_RECORDS = 50_000
DEFAULT_ROUNDS = 1
DEFAULT_LATENCY_RECORDS = 1_600
DEFAULT_ROUND_TRIP_RECORDS = 10_000
TARGET_RATIO = 0.8
TARGET_PARALLEL_RATIO = 0.35
LATENCY_SECONDS = 0.05
AFFINITY_KEY = "bench-affinity-key"
ATTIO_TOKEN = "bench-attio-token"
CREDENTIALS_KEY = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
UNLIMITED = {"read": {"requests": 1_000_000, "seconds": 1}, "write": {"requests": 1_000_000, "seconds": 1}}
UNDER_LIMIT = {"read": {"requests": 90, "seconds": 1}, "write": {"requests": 90, "seconds": 1}}
TERMINAL = {"completed", "completed_with_errors", "failed", "cancelled"}
POLL_SECONDS = 1.0
"""How often the client reads the job: the figure is timed to the job's completed_at, not to the poll."""


class App:
    """The app in process: submit through the pipeline, run work messages on worker threads."""

    def __init__(self, admin_key: str) -> None:
        import function_app  # noqa: F401 - registers the operations
        from shared.api.router import ROUTES

        self.operations = {op.name: op for op in ROUTES}
        self.tenant_id, key = create_tenant_in_process(self.operations, admin_key, "Migration benchmark")
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def call(self, operation: str, method: str, path: str, body: Any = None, **path_params: str) -> Any:
        from functions._http import serve
        from shared.api.http import ApiRequest

        request = ApiRequest.build(
            method,
            path,
            headers=self.headers,
            route_params=path_params,
            body=json.dumps(body).encode() if body else b"",
        )
        reply = serve(self.operations[operation], request)
        if reply.status >= 300:
            raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.body[:500]!r}")
        return reply.json()

    def connection(self, system: str, key: str, url: str, limits: dict[str, Any]) -> str:
        body = {
            "system": system,
            "name": f"{system}-{secrets.token_hex(4)}",
            "credentials": {"api_key": key},
            "base_url": url,
            "rate_limits": limits,
        }
        return str(self.call("create_connection", "POST", "/api/v1/connections", body)["id"])

    def migrate(self, source: str, target: str, batch_size: int, in_flight: int) -> dict[str, Any]:
        configuration = {
            "source_system": "affinity",
            "target_system": "attio",
            "source_config": {"connection_id": source},
            "target_config": {"connection_id": target},
            "batch_size": batch_size,
        }
        submitted = datetime.now(UTC)
        job = self.call(
            "submit_job", "POST", "/api/v1/jobs", {"type": "migration", "name": "bench", "configuration": configuration}
        )
        self._work(job["id"], in_flight)
        done = self.call("get_job", "GET", f"/api/v1/jobs/{job['id']}", job_id=job["id"])
        if done["status"] not in ("completed", "completed_with_errors"):
            raise RuntimeError(f"the migration ended {done['status']}: {done.get('error')}")
        # From the POST to the moment the last step wrote the job's end (the same machine's clock),
        # so the client's polling interval below is not part of the figure.
        seconds = (datetime.fromisoformat(done["completed_at"].replace("Z", "+00:00")) - submitted).total_seconds()
        return {"seconds": seconds, "job": done}

    def _work(self, job_id: str, in_flight: int) -> None:
        from shared import deps
        from shared.jobs.store import WORK_QUEUE

        engine = deps.jobs()
        queue = engine.storage.queue(WORK_QUEUE)
        finished = threading.Event()
        errors: list[BaseException] = []

        def worker() -> None:
            while not finished.is_set():
                messages = list(queue.receive_messages(max_messages=1, visibility_timeout=600))
                if not messages:
                    time.sleep(0.1)
                    continue
                try:
                    engine.process(json.loads(messages[0].content), messages[0].dequeue_count)
                    queue.delete_message(messages[0])
                except BaseException as error:  # noqa: BLE001 - reported by the main thread
                    errors.append(error)
                    finished.set()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(in_flight)]
        for thread in threads:
            thread.start()
        while not finished.is_set():  # a client polling the job now and then, not a busy loop on storage
            if self.call("get_job", "GET", f"/api/v1/jobs/{job_id}", job_id=job_id)["status"] in TERMINAL:
                finished.set()
            finished.wait(POLL_SECONDS)
        for thread in threads:
            thread.join()
        if errors:
            raise RuntimeError(f"a work message failed: {errors[0]!r}")


def bare_loop(affinity_url: str, attio_url: str) -> dict[str, Any]:
    """The same reads and asserts without the job machinery; (seconds, records written)."""
    from shared.providers.affinity import AffinitySource
    from shared.providers.attio import AttioTarget
    from shared.providers.connectors import RecordRef
    from shared.providers.remote_api import Endpoint, NoBudget, RetryPolicy

    def endpoint(url: str) -> Endpoint:
        host, port = url.removeprefix("http://").split(":")
        return Endpoint("http", host, int(port), host)

    started = time.perf_counter()
    source = AffinitySource(endpoint(affinity_url), AFFINITY_KEY, NoBudget(), RetryPolicy())
    target = AttioTarget(endpoint(attio_url), ATTIO_TOKEN, NoBudget(), RetryPolicy())
    companies: dict[str, str] = {}
    written = 0
    for object_name in ("organizations", "persons"):
        cursor: str | None = None
        while True:
            page = source.page(object_name, cursor, source.page_size(object_name))
            for record in page.records:
                fields = record.fields
                if object_name == "organizations":
                    values = {"name": fields["name"], "domains": fields["domains"]}
                    companies[record.id] = target.assert_record("companies", "domains", values).record_id
                else:
                    values = {
                        "name.first_name": fields["first_name"],
                        "name.last_name": fields["last_name"],
                        "email_addresses": fields["emails"],
                    }
                    if fields["organization_ids"]:
                        values["company"] = RecordRef("companies", companies[fields["organization_ids"][0]])
                    target.assert_record("people", "email_addresses", values)
                written += 1
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    return {"seconds": time.perf_counter() - started, "records": written}


class Fakes:
    """The Affinity and Attio fakes in their own process (``tests/support/crm_fakes_process.py``)."""

    def __init__(
        self, persons: int, orgs: int, latency: float = 0.0, attio_writes: int = 0, attio_reads: int = 0
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "tests.support.crm_fakes_process",
            "--affinity-key",
            AFFINITY_KEY,
            "--attio-token",
            ATTIO_TOKEN,
            "--persons",
            str(persons),
            "--orgs",
            str(orgs),
            "--latency",
            str(latency),
            "--attio-writes",
            str(attio_writes),
            "--attio-reads",
            str(attio_reads),
        ]
        self._process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        urls = json.loads(self._process.stdout.readline())
        self.affinity_url, self.attio_url = urls["affinity"], urls["attio"]

    def stats(self, which: str) -> dict[str, Any]:
        import urllib.request

        url = self.affinity_url if which == "affinity" else self.attio_url
        with urllib.request.urlopen(f"{url}/__stats", timeout=30) as answer:  # noqa: S310 - loopback
            stats: dict[str, Any] = json.loads(answer.read())
            return stats

    def stop(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def _throughput(app: App, records: int, rounds: int) -> dict[str, Any]:
    orgs = records // 10
    job_rates: list[float] = []
    bare_rates: list[float] = []
    samples: list[dict[str, Any]] = []
    for _ in range(rounds):
        fakes = Fakes(records - orgs, orgs)
        try:
            bare = bare_loop(fakes.affinity_url, fakes.attio_url)
        finally:
            fakes.stop()
        fakes = Fakes(records - orgs, orgs)
        try:
            source = app.connection("affinity", AFFINITY_KEY, fakes.affinity_url, UNLIMITED)
            target = app.connection("attio", ATTIO_TOKEN, fakes.attio_url, UNLIMITED)
            run = app.migrate(source, target, batch_size=1000, in_flight=1)
            written = sum(fakes.stats("attio")["records"].values())
        finally:
            fakes.stop()
        processed = run["job"]["progress"]["processed"]
        if processed != records or written != records or bare["records"] != records:
            raise RuntimeError(f"expected {records} records: job {processed}, target {written}, bare {bare['records']}")
        bare_rates.append(records / bare["seconds"])
        job_rates.append(records / run["seconds"])
        samples.append({"bare_seconds": round(bare["seconds"], 2), "job_seconds": round(run["seconds"], 2)})
    bare_rate, job_rate = statistics.median(bare_rates), statistics.median(job_rates)
    ratio = job_rate / bare_rate
    return {
        "records": records,
        "bare_records_per_second": round(bare_rate, 1),
        "job_records_per_second": round(job_rate, 1),
        "ratio": round(ratio, 3),
        "ratio_met": ratio >= TARGET_RATIO,
        "samples": samples,
    }


def _parallel(app: App, records: int) -> dict[str, Any]:
    orgs = max(1, records // 10)
    runs: dict[int, dict[str, Any]] = {}
    throttled = 0
    for in_flight in (1, 4):
        fakes = Fakes(records - orgs, orgs, latency=LATENCY_SECONDS, attio_writes=100, attio_reads=100)
        try:
            source = app.connection("affinity", AFFINITY_KEY, fakes.affinity_url, UNDER_LIMIT)
            target = app.connection("attio", ATTIO_TOKEN, fakes.attio_url, UNDER_LIMIT)
            run = app.migrate(source, target, batch_size=200, in_flight=in_flight)
            attio, affinity = fakes.stats("attio"), fakes.stats("affinity")
        finally:
            fakes.stop()
        throttled += attio["throttled"] + affinity["throttled"]
        runs[in_flight] = {
            "seconds": round(run["seconds"], 2),
            "answers_429": attio["throttled"] + affinity["throttled"],
            "max_concurrent_attio_calls": attio["max_in_flight"],
            "processed": run["job"]["progress"]["processed"],
        }
    ratio = runs[4]["seconds"] / runs[1]["seconds"]
    return {
        "records": records,
        "latency_seconds": LATENCY_SECONDS,
        "runs": runs,
        "ratio": round(ratio, 3),
        "ratio_met": ratio <= TARGET_PARALLEL_RATIO,
        "answers_429": throttled,
        "budget_kept": throttled == 0,
    }


def _round_trips(app: App, records: int) -> dict[str, Any]:
    """Storage requests of one job of ``records`` (batch 1,000, one in flight), counted at the SDK's
    transport, per table, queue or container: the steady figure beside the noisy ratio."""
    from bench.hot_path import RoundTripCounter, _transport_type
    from shared import deps

    orgs = records // 10
    fakes = Fakes(records - orgs, orgs)
    counter = RoundTripCounter()
    try:
        source = app.connection("affinity", AFFINITY_KEY, fakes.affinity_url, UNLIMITED)
        target = app.connection("attio", ATTIO_TOKEN, fakes.attio_url, UNLIMITED)
        counter.scope = "job"
        with counter.installed(_transport_type(deps.storage().table("jobs"))):
            app.migrate(source, target, batch_size=1000, in_flight=1)
    finally:
        fakes.stop()
    used = dict(counter.by_scope["job"].most_common())
    return {"records": records, "total": sum(used.values()), "by_resource": used}


def run(
    records: int = DEFAULT_RECORDS,
    rounds: int = DEFAULT_ROUNDS,
    latency_records: int = DEFAULT_LATENCY_RECORDS,
    round_trip_records: int = DEFAULT_ROUND_TRIP_RECORDS,
) -> dict[str, Any]:
    admin_key = secrets.token_urlsafe(32)
    settings = {
        "CLOUDPLANE_CREDENTIALS_KEY": CREDENTIALS_KEY,
        "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
        "CLOUDPLANE_RATE_LIMIT_JOBS": "1000000",
        "CLOUDPLANE_LOG_LEVEL": "WARNING",
    }
    with Azurite() as azurite, app_environment(azurite.connection_string, admin_key), patched_environ(settings):
        from shared import deps

        deps.reset()
        try:
            app = App(admin_key)
            throughput = _throughput(app, records, rounds)
            parallel = _parallel(app, latency_records)
            trips = _round_trips(app, round_trip_records) if round_trip_records else None
        finally:
            deps.reset()
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claims": [
            f"{records} records through the fakes with no latency: job records/s >= {TARGET_RATIO}x a bare loop",
            f"50 ms latency on every fake call: t(4 batches in flight) / t(1) <= {TARGET_PARALLEL_RATIO}, no 429",
        ],
        "throughput": throughput,
        "parallel": parallel,
        "round_trips": trips,
        "environment": environment(),
    }
    figures["results_file"] = str(write_results(NAME, figures).relative_to(ROOT))
    return figures


def report(figures: dict[str, Any]) -> None:
    t, p = figures["throughput"], figures["parallel"]
    print_table(
        "Migrations",
        ("figure", "measured", "target", "verdict"),
        [
            (
                f"records/s, job vs bare loop ({t['records']} records)",
                f"{t['job_records_per_second']} / {t['bare_records_per_second']} = {t['ratio']}",
                f">= {TARGET_RATIO}",
                verdict(t["ratio_met"]),
            ),
            (
                f"time, 4 in flight / 1 ({p['records']} records, 50 ms a call)",
                f"{p['runs'][4]['seconds']} / {p['runs'][1]['seconds']} s = {p['ratio']}",
                f"<= {TARGET_PARALLEL_RATIO}",
                verdict(p["ratio_met"]),
            ),
            ("429 answers with the budget under the limit", str(p["answers_429"]), "0", verdict(p["budget_kept"])),
        ],
    )
    trips = figures.get("round_trips")
    if trips:
        print(f"  storage round trips of a {trips['records']}-record job: {trips['total']} {trips['by_resource']}")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.migration", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="records for the throughput figure")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="pairs of runs (bare loop, job)")
    parser.add_argument(
        "--latency-records",
        type=int,
        default=DEFAULT_LATENCY_RECORDS,
        help="records for the in-flight figure (50 ms latency)",
    )
    parser.add_argument(
        "--round-trip-records",
        type=int,
        default=DEFAULT_ROUND_TRIP_RECORDS,
        help="records of the job whose storage round trips are counted (0: skip)",
    )
    args = parser.parse_args(argv)
    trip_records = max(100, args.round_trip_records) if args.round_trip_records else 0
    report(run(max(100, args.records), max(1, args.rounds), max(100, args.latency_records), trip_records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
