"""Helpers the benchmarks share: statistics, the results file, a plain table, the app's settings.

Kept free of any project import at module level so that ``bench.cold_start`` can run without
importing ``function_app`` into its own process (it measures that import in children); the
in-process helpers import the project inside the function that needs it.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
# Overrides every benchmark removes from the app's environment, because these defaults (auth
# cache, rate-limit lease, storage account and timeout) shape the figures; a benchmark that
# runs jobs adds the job settings it relies on to this list.
DEFAULTS_KEPT = (
    "CLOUDPLANE_AUTH_CACHE_SECONDS",
    "CLOUDPLANE_RATE_LIMIT_LEASE_MAX",
    "CLOUDPLANE_RATE_LIMIT_WINDOW_SECONDS",
    "CLOUDPLANE_STORAGE",
    "CLOUDPLANE_STORAGE_ACCOUNT",
    "AzureWebJobsStorage__accountName",
    "CLOUDPLANE_STORAGE_TIMEOUT_SECONDS",
)


def summarize(values: Sequence[float]) -> dict[str, float | int]:
    """Median, min, max and p90 of ``values``: the median is the figure; the rest show the spread."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "p90": p90,
    }


def environment() -> dict[str, Any]:
    """Where the figures were taken, so two results files can be compared knowingly."""
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """Write ``figures`` to ``bench/results/<name>.json`` (git-ignored) and return the path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print an aligned text table (no dependency, readable in a CI log)."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  " + "  ".join("-" * width for width in widths))


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def parse_time(value: str) -> datetime:
    """An API timestamp (ISO 8601, ``Z`` for UTC) as an aware datetime, for a job's own time spans."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@contextmanager
def patched_environ(wanted: Mapping[str, str | None]) -> Iterator[None]:
    """Set (a string) or remove (``None``) each variable in ``wanted``; put every one back as it was.

    The in-process benchmarks configure the app through ``os.environ``, as the host does, and must
    not leave that configuration behind for the next benchmark in ``python -m bench``.
    """
    saved = {name: os.environ.get(name) for name in wanted}
    try:
        _set_environ(wanted)
        yield
    finally:
        _set_environ(saved)


def _set_environ(values: Mapping[str, str | None]) -> None:
    """Set each variable to its string, or remove it where the value is ``None`` (it was unset)."""
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def app_environment(connection_string: str, admin_key: str) -> Iterator[None]:
    """Point the in-process app at a private Azurite with default caches and leases; restore afterwards.

    Only the per-window rate limit is raised, so the run is not throttled while a lease still
    holds its default maximum of grants.
    """
    wanted: dict[str, str | None] = {name: None for name in DEFAULTS_KEPT}
    wanted |= {
        "AzureWebJobsStorage": connection_string,
        "CLOUDPLANE_ADMIN_KEY": admin_key,
        "CLOUDPLANE_RATE_LIMIT_DEFAULT": "1000000",
        "CLOUDPLANE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",  # the app may connect to loopback only
    }
    with patched_environ(wanted):
        yield


@contextmanager
def request_log_to_devnull() -> Iterator[None]:
    """Emit the pipeline's INFO request lines (as the host would) into ``os.devnull``, so their cost counts."""
    logger = logging.getLogger("cloudplane")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    with open(os.devnull, "w", encoding="utf-8") as sink:
        handler = logging.StreamHandler(sink)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            yield
        finally:
            logger.setLevel(saved[0])
            logger.handlers = saved[1]
            logger.propagate = saved[2]


def create_tenant_in_process(operations: Mapping[str, Any], admin_key: str, name: str) -> tuple[str, str]:
    """Create a tenant through ``pipeline.handle`` (admin key) and return its id and API key.

    Through the pipeline rather than straight into storage, so the tenant and its key are real
    and the benchmark's requests authenticate as a client's would.
    """
    from functions._http import serve
    from shared.api.http import ApiRequest

    created = serve(
        operations["create_tenant"],
        ApiRequest.build(
            "POST",
            "/api/v1/tenants",
            headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"},
            body=json.dumps({"name": name, "slug": f"bench-{uuid.uuid4().hex[:12]}"}).encode(),
        ),
    )
    if created.status != 201:
        raise RuntimeError(f"creating a tenant failed: {created.status} {created.body[:500]!r}")
    data = created.json()
    return data["tenant"]["id"], data["api_key"]["key"]
