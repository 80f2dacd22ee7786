"""Jobs listing: a page of a tenant's jobs with 100,000 jobs against the same page with 100.

Claim: ``GET /api/v1/jobs?limit=50`` for a tenant with 100,000 jobs takes at most 1.5 times
what it takes for a tenant with 100, measured in the same run (job ids sort newest first, so
a page is one partition read in RowKey order and should not grow with the history).

Why this shape:

* One private Azurite (disk mode), as the app runs locally. Two tenants are created through
  the pipeline (``POST /api/v1/tenants``, admin key), so each has a real API key. Their jobs
  are written straight into table ``jobs`` with the field set ``Engine.submit`` writes (plus
  the timestamps and summary a finished job carries), ids from ``shared.jobs.store.new_job_id``
  with increasing creation times, in ``submit_transaction`` batches of 100 per partition.
  Seeding is timed and printed; it is not part of the figure.
* The requests go through the real pipeline in process: ``pipeline.handle`` of the
  ``list_jobs`` operation with an ``ApiRequest`` carrying the tenant's key, so
  authentication, rate limiting (raised so nothing throttles), the storage query and the
  conversion to API items all count. The request log line is written to ``os.devnull``.
* The scenarios alternate request by request (order rotating each round) after a warm-up,
  so load on the machine hits both tenants alike; the medians are compared. The second page
  (through ``next_cursor``) and a filtered listing (``status=completed``) are shown too, for
  information.

Run ``python -m bench.jobs_listing [--jobs N] [--small N] [--requests N] [--warmup N]``;
figures go to ``bench/results/jobs_listing.json``.
"""

from __future__ import annotations

import argparse
import collections
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench._azurite import Azurite
from bench._common import (
    ROOT,
    app_environment,
    create_tenant_in_process,
    environment,
    print_table,
    request_log_to_devnull,
    summarize,
    verdict,
    write_results,
)

NAME = "jobs_listing"
DEFAULT_LARGE = 100_000
DEFAULT_SMALL = 100
DEFAULT_REQUESTS = 200
DEFAULT_WARMUP = 20
PAGE = 50
TARGET_RATIO = 1.5
TRANSACTION = 100  # entities per submit_transaction (the service's limit)
SEED_THREADS = 4
SEED_ATTEMPTS = 5


def _entities(tenant_id: str, count: int, origin: datetime) -> list[dict[str, Any]]:
    """``count`` finished echo jobs, one second apart, oldest first (so the newest id sorts first)."""
    from shared.jobs.store import dumps, new_job_id
    from shared.jobs.types.echo import EchoConfig

    configuration = EchoConfig(items=1).model_dump_json()
    summary = dumps({"rows": 1, "failed": 0, "passed": 1})
    entities = []
    for index in range(count):
        created = origin + timedelta(seconds=index)
        status = "cancelled" if index % 10 == 0 else "completed_with_errors" if index % 10 == 1 else "completed"
        entity: dict[str, Any] = {
            # The field set Engine.submit writes ...
            "PartitionKey": tenant_id,
            "RowKey": new_job_id(created),
            "type": "diagnostics.echo",
            "name": f"seeded {index}",
            "description": None,
            "status": status,
            "configuration": configuration,
            "created_at": created,
            "updated_at": created + timedelta(seconds=1),
            "trace_id": uuid.uuid4().hex,
            "processed": 0 if status == "cancelled" else 1,
            "failed": 1 if status == "completed_with_errors" else 0,
            "total": -1 if status == "cancelled" else 1,
            "batches_total": -1 if status == "cancelled" else 1,
            "batches_done": 0 if status == "cancelled" else 1,
            "done_mask": "" if status == "cancelled" else "1",
            "message": status.capitalize(),
            "seq": 2 if status == "cancelled" else 4,
            # ... and what the job carries once it ended.
            "completed_at": created + timedelta(seconds=1),
        }
        if status != "cancelled":
            entity |= {"started_at": created + timedelta(milliseconds=200), "summary": summary}
        entity = {k: v for k, v in entity.items() if v is not None}
        entities.append(entity)
    return entities


def _seed(connection_string: str, tenants: dict[str, int]) -> dict[str, Any]:
    """Write each tenant's jobs in transactions of 100, on a few threads; returns the timing."""
    from azure.core.exceptions import ResourceExistsError, ServiceResponseError
    from azure.data.tables import TableServiceClient

    service = TableServiceClient.from_connection_string(connection_string)
    try:
        service.create_table("jobs")
    except ResourceExistsError:
        pass
    table = service.get_table_client("jobs")
    origin = datetime.now(UTC) - timedelta(days=30)
    chunks: list[list[dict[str, Any]]] = []
    started = time.perf_counter()
    for tenant_id, count in tenants.items():
        entities = _entities(tenant_id, count, origin)
        chunks += [entities[i : i + TRANSACTION] for i in range(0, len(entities), TRANSACTION)]
    built = time.perf_counter() - started
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        while True:
            with lock:
                if not chunks or errors:
                    return
                chunk = chunks.pop()
            for attempt in range(SEED_ATTEMPTS):
                try:
                    # Upserts, so a transaction retried after a dropped connection cannot collide.
                    table.submit_transaction([("upsert", entity) for entity in chunk])
                    break
                except ServiceResponseError as error:
                    if attempt == SEED_ATTEMPTS - 1:
                        with lock:
                            errors.append(error)
                    time.sleep(0.5 * (attempt + 1))
                except BaseException as error:  # noqa: BLE001 - re-raised on the main thread
                    with lock:
                        errors.append(error)
                    return

    transactions = len(chunks)
    threads = [threading.Thread(target=work) for _ in range(SEED_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"seeding failed: {errors[0]!r}")
    for tenant_id, count in tenants.items():  # upserts could hide a lost write: check the counts
        found = sum(1 for _ in table.query_entities("PartitionKey eq @pk", parameters={"pk": tenant_id},
                                                     select=["RowKey"]))
        if found != count:
            raise RuntimeError(f"seeding wrote {found} jobs for a tenant, not {count}")
    return {
        "entities": sum(tenants.values()),
        "transactions": transactions,
        "threads": SEED_THREADS,
        "build_seconds": round(built, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


def _measure(connection_string: str, admin_key: str, large: int, small: int, requests: int,
             warmup: int) -> dict[str, Any]:
    import function_app  # noqa: F401 - registers the operations in ROUTES
    from functions._http import serve
    from shared import deps
    from shared.api.http import ApiRequest
    from shared.api.router import ROUTES

    deps.reset()
    operations = {op.name: op for op in ROUTES}
    tenants = {size: create_tenant_in_process(operations, admin_key, "Listing benchmark")
               for size in ("small", "large")}
    seeding = _seed(connection_string, {tenants["small"][0]: small, tenants["large"][0]: large})
    op = operations["list_jobs"]

    def lister(size: str, query: dict[str, str]) -> Callable[[], dict[str, Any]]:
        headers = {"Authorization": f"Bearer {tenants[size][1]}"}

        def call() -> dict[str, Any]:
            reply = serve(op, ApiRequest.build("GET", "/api/v1/jobs", headers=headers, query=query))
            if reply.status != 200:
                raise RuntimeError(f"listing {size} {query} answered {reply.status}: {reply.body[:500]!r}")
            page: dict[str, Any] = reply.json()
            return page

        return call

    first = {size: lister(size, {"limit": str(PAGE)})() for size in tenants}
    for size, page in first.items():
        if len(page["items"]) != PAGE or not page.get("next_cursor"):
            raise RuntimeError(f"the {size} tenant's first page has {len(page['items'])} items and no cursor")
        ids = [item["id"] for item in page["items"]]
        if ids != sorted(ids):
            raise RuntimeError(f"the {size} tenant's page is not in id order")
    table = deps.jobs().storage.table("jobs")

    def raw(size: str) -> Callable[[], dict[str, Any]]:
        """The storage query the listing makes, straight through the SDK: what the emulator itself costs."""
        from shared.jobs.store import JOB_ROWS

        parameters = {"pk": tenants[size][0], "first": JOB_ROWS[0], "last": JOB_ROWS[1]}

        def call() -> dict[str, Any]:
            pages = table.query_entities("PartitionKey eq @pk and RowKey ge @first and RowKey lt @last",
                                         parameters=parameters, results_per_page=PAGE).by_page()
            return {"items": list(next(pages))}

        return call

    calls = {
        "raw_query_small": raw("small"),
        "raw_query_large": raw("large"),
        "first_page_small": lister("small", {"limit": str(PAGE)}),
        "first_page_large": lister("large", {"limit": str(PAGE)}),
        "second_page_small": lister("small", {"limit": str(PAGE), "cursor": first["small"]["next_cursor"]}),
        "second_page_large": lister("large", {"limit": str(PAGE), "cursor": first["large"]["next_cursor"]}),
        "completed_small": lister("small", {"limit": str(PAGE), "status": "completed"}),
        "completed_large": lister("large", {"limit": str(PAGE), "status": "completed"}),
    }
    names = list(calls)
    counts: dict[str, int] = {}
    for name in names * warmup:
        counts[name] = len(calls[name]()["items"])
    times: dict[str, list[float]] = {name: [] for name in names}
    started = time.perf_counter()
    for index in range(requests):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            t0 = time.perf_counter_ns()
            calls[name]()
            times[name].append((time.perf_counter_ns() - t0) / 1000)
    measured_seconds = time.perf_counter() - started
    round_trips = _round_trips_per_page(deps, lister("small", {"limit": str(PAGE)}), tenants["small"][0])
    stats = {name: summarize(values) for name, values in times.items()}
    scenarios: dict[str, Any] = {}
    for kind in ("first_page", "second_page", "completed", "raw_query"):
        small_stats, large_stats = stats[f"{kind}_small"], stats[f"{kind}_large"]
        ratio = large_stats["median"] / small_stats["median"]
        scenarios[kind] = {
            "small_us": small_stats,
            "large_us": large_stats,
            "items": {"small": counts[f"{kind}_small"], "large": counts[f"{kind}_large"]},
            "ratio": round(ratio, 3),
            "ratio_met": ratio <= TARGET_RATIO,
        }
    return {
        "seeding": seeding,
        "round_trips_per_page": round_trips,
        "measured_seconds": round(measured_seconds, 2),
        "scenarios": scenarios,
        "raw_us": times,
    }


def _round_trips_per_page(deps: Any, call: Callable[[], dict[str, Any]], tenant_id: str) -> dict[str, Any]:
    """Storage calls one listing page makes, counted at the SDK's transport, when every job on it
    has a configuration claim-checked to Blob storage (the case that once cost a download per job).

    The small tenant's newest page is rewritten so: each job's ``configuration`` becomes a
    ``{"$blob": ...}`` reference to a blob that exists, as ``Engine.submit`` writes for a
    configuration over 30 KB. A warm-up call first (the API key is then cached, as in a warm
    instance); the second call is the one counted.
    """
    from azure.core.pipeline.transport import RequestsTransport
    from azure.data.tables import UpdateMode

    from shared.jobs.store import PAYLOADS_CONTAINER, configuration_blob, dumps

    engine = deps.jobs()
    container = engine.storage.container(PAYLOADS_CONTAINER)
    table = engine.storage.table("jobs")
    for item in call()["items"]:
        name = configuration_blob(tenant_id, item["id"])
        container.upload_blob(name, dumps({"items": 1, "padding": "x" * 40_000}).encode(), overwrite=True)
        table.update_entity({"PartitionKey": tenant_id, "RowKey": item["id"], "configuration": dumps({"$blob": name})},
                            mode=UpdateMode.MERGE)
    counts: collections.Counter[str] = collections.Counter()
    original = RequestsTransport.send
    owned = "send" in vars(RequestsTransport)

    def send(transport: Any, request: Any, **kwargs: Any) -> Any:
        counts["blob" if "/job-payloads/" in str(request.url) else "table or other"] += 1
        return original(transport, request, **kwargs)

    call()
    RequestsTransport.send = send  # type: ignore[method-assign]
    try:
        page = call()
    finally:
        if owned:
            RequestsTransport.send = original  # type: ignore[method-assign]
        else:
            del RequestsTransport.send
    omitted = sum(1 for item in page["items"] if "$omitted" in item["configuration"])
    return {"total": sum(counts.values()), "by_kind": dict(counts), "items": len(page["items"]),
            "claim_checked_items": omitted}


def run(large: int = DEFAULT_LARGE, small: int = DEFAULT_SMALL, requests: int = DEFAULT_REQUESTS,
        warmup: int = DEFAULT_WARMUP) -> dict[str, Any]:
    """Start Azurite, seed, measure, stop Azurite, write ``bench/results/jobs_listing.json``."""
    admin_key = secrets.token_urlsafe(32)
    with Azurite() as azurite, app_environment(azurite.connection_string, admin_key), request_log_to_devnull():
        try:
            measured = _measure(azurite.connection_string, admin_key, large, small, requests, warmup)
        finally:
            from shared import deps

            deps.reset()
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claim": (f"GET /api/v1/jobs?limit={PAGE} with {large} jobs in the tenant takes at most {TARGET_RATIO}x "
                  f"what it takes with {small} (medians, same run)"),
        "unit": "microseconds of serve(list_jobs, ApiRequest.build(...)) in process",
        "target_ratio": TARGET_RATIO,
        "jobs": {"small": small, "large": large},
        "page_limit": PAGE,
        "requests_per_scenario": requests,
        "warmup_per_scenario": warmup,
        **measured,
        "environment": environment(),
    }
    figures["ratio"] = figures["scenarios"]["first_page"]["ratio"]
    figures["claim_met"] = figures["ratio_met"] = figures["scenarios"]["first_page"]["ratio_met"]
    figures["results_file"] = str(write_results(NAME, figures).relative_to(ROOT))
    return figures


def report(figures: dict[str, Any]) -> None:
    seeding = figures["seeding"]
    jobs = figures["jobs"]
    described = {
        "first_page": f"GET /api/v1/jobs?limit={figures['page_limit']}",
        "second_page": "  the same, second page (next_cursor)",
        "completed": "  the same, status=completed",
        "raw_query": "its storage query alone (SDK, first page)",
    }
    rows: list[tuple[object, ...]] = []
    for kind, s in figures["scenarios"].items():
        rows.append((described[kind], f"{s['small_us']['median']:.0f}", f"{s['large_us']['median']:.0f}",
                     f"{s['small_us']['p90']:.0f}", f"{s['large_us']['p90']:.0f}", f"{s['ratio']:.3f}"))
    print_table(
        f"Jobs listing: {jobs['large']} jobs against {jobs['small']}, {figures['requests_per_scenario']} requests "
        "per scenario, interleaved",
        ("request", f"median us ({jobs['small']})", f"median us ({jobs['large']})", f"p90 us ({jobs['small']})",
         f"p90 us ({jobs['large']})", "ratio"),
        rows,
    )
    print(f"  seeding: {seeding['entities']} entities in {seeding['transactions']} transactions on "
          f"{seeding['threads']} threads took {seeding['seconds']} s")
    print(f"  ratio (first page) <= {figures['target_ratio']} -> {verdict(figures['ratio_met'])}")
    trips = figures["round_trips_per_page"]
    print(f"  storage round trips for one page of {trips['items']} jobs, {trips['claim_checked_items']} of them with a "
          f"claim-checked configuration: {trips['total']} {trips['by_kind']} (target 1)")
    raw = figures["scenarios"]["raw_query"]
    app_extra = {size: figures["scenarios"]["first_page"][f"{size}_us"]["median"] - raw[f"{size}_us"]["median"]
                 for size in ("small", "large")}
    print(f"  the emulator's own query grows {raw['ratio']:.3f}x; the app's time beyond its query: "
          f"{app_extra['small']:.0f} us ({jobs['small']}) vs {app_extra['large']:.0f} us ({jobs['large']})")
    print(f"  measured over {figures['measured_seconds']} s; figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs_listing", description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=DEFAULT_LARGE, help="jobs in the large tenant")
    parser.add_argument("--small", type=int, default=DEFAULT_SMALL, help="jobs in the small tenant")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="warm-up requests per scenario")
    args = parser.parse_args(argv)
    report(run(max(PAGE + 1, args.jobs), max(PAGE + 1, args.small), max(1, args.requests), max(1, args.warmup)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
