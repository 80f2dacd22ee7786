"""Billing: drafting an invoice from 100,000 usage records against reading those records raw.

Claim: drafting one account's invoice from N usage records (default 100,000) takes at most
1.3 times as long as reading the same records raw from Table storage (the same query, the
same columns, no rating), and its peak Python memory stays under 200 MB. Drafts read the
pre-aggregated rows written with the records, so the draft is also compared with reading
just 100 records raw (a second account holding 100).

How: a private Azurite; one account with N one-hour GPU/CPU records spread over one month,
written through the provider (``record_usage``, 99 records and the account row per
transaction). Then ``--rounds`` pairs of (raw read, draft), the order flipping every pair so
load on the shared machine hits both alike; the figure is the ratio of the medians. Peak
memory is ``tracemalloc``'s peak over one more draft (traced separately: tracing slows it).

Run ``python -m bench.billing_draft [--records N] [--rounds R]``; figures go to
``bench/results/billing_draft.json``.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from bench._azurite import Azurite
from bench._common import app_environment, environment, print_table, summarize, verdict, write_results

NAME = "billing_draft"
TARGET_RATIO = 1.3
MEMORY_LIMIT_MB = 200
COLUMNS = ["kind", "label", "period", "amount", "start", "end"]


class Fixed:
    now = datetime(2026, 11, 28, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def run(records: int, rounds: int) -> dict[str, Any]:
    from shared import deps
    from shared.billing.builtin import BuiltinBilling
    from shared.models.billing import UsageRecord

    with Azurite() as azurite, app_environment(azurite.connection_string, "bench-admin"):
        # Seeding 100,000 records keeps Azurite busy; a 5 s read timeout on a loaded machine is too tight.
        os.environ["CLOUDPLANE_STORAGE_TIMEOUT_SECONDS"] = "120"
        deps.reset()
        repository = deps.billing_repository()
        billing = BuiltinBilling(repository, Fixed())
        account = billing.open_account("bench", owner_kind="tenant", owner_id="bench", name="Bench")
        start = datetime(2026, 11, 1, tzinfo=UTC)
        usage = [
            UsageRecord(
                id=f"ev{n}",
                kind="gpu_hours" if n % 2 else "cpu_hours",
                resource_id=f"pod{n % 500}",
                label="nvidia-a100" if n % 2 else "",
                amount=1 if n % 2 else 1500,
                start=start + timedelta(seconds=(n * 23) % (27 * 86400)),
                end=start + timedelta(seconds=(n * 23) % (27 * 86400) + 3600),
            )
            for n in range(records)
        ]
        began = time.perf_counter()
        for offset in range(0, records, 9_900):
            billing.record_usage("bench", account.id, usage[offset : offset + 9_900])
            print(f"seeded {min(records, offset + 9_900)} in {time.perf_counter() - began:.1f} s", flush=True)
        seeded = time.perf_counter() - began
        small = billing.open_account("bench", owner_kind="team", owner_id="small", name="Small")
        billing.record_usage("bench", small.id, usage[:100])

        def raw() -> int:
            return sum(1 for _ in repository.usage_rows(account.id, "2026-11", select=COLUMNS))

        def raw_100() -> int:
            return sum(1 for _ in repository.usage_rows(small.id, "2026-11", select=COLUMNS))

        def draft() -> int:
            return billing.draft_invoice("bench", account.id).subtotal

        assert raw() == records and raw_100() == 100
        times: dict[str, list[float]] = {"raw": [], "raw_100": [], "draft": []}
        calls = {"raw": raw, "raw_100": raw_100, "draft": draft}
        for pair in range(rounds):
            order = ["raw", "raw_100", "draft"]
            if pair % 2:
                order.reverse()
            for name in order:
                began = time.perf_counter()
                calls[name]()
                times[name].append(time.perf_counter() - began)
        raw_times, draft_times = times["raw"], times["draft"]
        tracemalloc.start()
        subtotal = draft()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        os.environ.pop("CLOUDPLANE_STORAGE_TIMEOUT_SECONDS", None)
        deps.reset()
    raw_median = summarize(raw_times)["median"]
    draft_median = summarize(draft_times)["median"]
    ratio = draft_median / raw_median
    ratio_100 = draft_median / summarize(times["raw_100"])["median"]
    peak_mb = peak / 2**20
    return {
        "records": records,
        "rounds": rounds,
        "seed_seconds": round(seeded, 2),
        "raw_read_seconds": summarize(raw_times),
        "draft_seconds": summarize(draft_times),
        "raw_read_100_seconds": summarize(times["raw_100"]),
        "ratio": round(ratio, 3),
        "ratio_to_100_records": round(ratio_100, 3),
        "ratio_met": ratio <= TARGET_RATIO,
        "draft_peak_mb": round(peak_mb, 1),
        "memory_met": peak_mb < MEMORY_LIMIT_MB,
        "subtotal": subtotal,
        "environment": environment(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.billing_draft", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    figures = run(args.records, args.rounds)
    path = write_results(NAME, figures)
    print_table(
        "Billing draft vs raw read",
        (
            "records",
            "raw median s",
            "raw 100 s",
            "draft median s",
            "ratio",
            f"<= {TARGET_RATIO}",
            "vs 100",
            "peak MB",
            f"< {MEMORY_LIMIT_MB}",
        ),
        [
            (
                figures["records"],
                round(figures["raw_read_seconds"]["median"], 3),
                round(figures["raw_read_100_seconds"]["median"], 4),
                round(figures["draft_seconds"]["median"], 4),
                figures["ratio"],
                verdict(figures["ratio_met"]),
                figures["ratio_to_100_records"],
                figures["draft_peak_mb"],
                verdict(figures["memory_met"]),
            )
        ],
    )
    print(f"seeded in {figures['seed_seconds']} s; results in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
