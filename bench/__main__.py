"""``python -m bench`` (``make bench``): all six benchmarks, then a one-line verdict per claim.

Cold start runs first, in child interpreters, so the hot path's in-process imports cannot
warm anything it measures. Jobs throughput runs the app in a local host process; jobs
listing runs in process, as the hot path does; bulk evaluation runs last, in its own host
processes; pods listing runs in process against emulated clusters. The exit status is 0
unless a benchmark crashes: a claim that is
not met is a figure to look at, not a failure (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse

from bench import bulk_evaluation, cold_start, hot_path, jobs_listing, jobs_throughput, pods_list
from bench._common import print_table, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=cold_start.DEFAULT_SAMPLES,
                        help="cold start: fresh interpreters per side")
    parser.add_argument("--requests", type=int, default=hot_path.DEFAULT_REQUESTS,
                        help="hot path: measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=hot_path.DEFAULT_WARMUP,
                        help="hot path: warm-up requests per scenario")
    parser.add_argument("--jobs", type=int, default=jobs_throughput.DEFAULT_JOBS,
                        help="jobs throughput: jobs (and bare messages) per round")
    parser.add_argument("--rounds", type=int, default=jobs_throughput.DEFAULT_ROUNDS,
                        help="jobs throughput: rounds of each side, interleaved")
    parser.add_argument("--listing-jobs", type=int, default=jobs_listing.DEFAULT_LARGE,
                        help="jobs listing: jobs in the large tenant")
    parser.add_argument("--listing-requests", type=int, default=jobs_listing.DEFAULT_REQUESTS,
                        help="jobs listing: measured requests per scenario")
    parser.add_argument("--bulk-rows", type=int, default=bulk_evaluation.DEFAULT_ROWS,
                        help="bulk evaluation: rows in the generated dataset")
    parser.add_argument("--bulk-rounds", type=int, default=bulk_evaluation.DEFAULT_ROUNDS,
                        help="bulk evaluation: pairs of runs (1 worker, then 2)")
    parser.add_argument("--pods-requests", type=int, default=pods_list.DEFAULT_REQUESTS,
                        help="pods listing: measured requests per scenario")
    args = parser.parse_args(argv)

    cold = cold_start.run(max(1, args.samples))
    cold_start.report(cold)
    hot = hot_path.run(max(1, args.requests), max(1, args.warmup))
    hot_path.report(hot)
    throughput = jobs_throughput.run(max(1, args.jobs), max(1, args.rounds))
    jobs_throughput.report(throughput)
    listing = jobs_listing.run(max(jobs_listing.PAGE + 1, args.listing_jobs), requests=max(1, args.listing_requests))
    jobs_listing.report(listing)
    bulk = bulk_evaluation.run(max(1, args.bulk_rows), max(1, args.bulk_rounds))
    bulk_evaluation.report(bulk)
    pods = pods_list.run(max(1, args.pods_requests))
    pods_list.report(pods)

    rows: list[tuple[object, ...]] = [
        ("cold start: import ratio", f"{cold['ratio']:.3f}", f"<= {cold['target_ratio']}", verdict(cold["ratio_met"])),
        ("cold start: kubernetes/openstack loaded", ", ".join(cold["forbidden_modules_loaded"]) or "none", "none",
         verdict(cold["no_forbidden_modules"])),
    ]
    for name, s in hot["scenarios"].items():
        rows.append((f"hot path {name}: round trips/req", f"{s['round_trips_per_request']:.3f}",
                     f"<= {hot['target_round_trips_per_request']:g}", verdict(s["round_trips_met"])))
        rows.append((f"hot path {name}: time ratio", f"{s['ratio']:.3f}", f"<= {hot['target_ratio']}",
                     verdict(s["ratio_met"])))
    rows.append(("jobs throughput: ratio to bare queue loop", f"{throughput['ratio']:.3f}",
                 f">= {throughput['target_ratio']}", verdict(throughput["ratio_met"])))
    rows.append((f"jobs listing: ratio {listing['jobs']['large']} / {listing['jobs']['small']} jobs",
                 f"{listing['ratio']:.3f}", f"<= {listing['target_ratio']}", verdict(listing["ratio_met"])))
    rows.append((f"bulk evaluation: time ratio 2 / 1 workers ({bulk['cpu_count']} cores)", f"{bulk['ratio']:.3f}",
                 f"< {bulk['target_ratio']:g}", verdict(bulk["ratio_met"])))
    rows.append(("bulk evaluation: peak MB per worker", f"{bulk['peak_mb']:.0f}", f"< {bulk['target_peak_mb']:g}",
                 verdict(bulk["peak_met"])))
    rows.append((f"pods listing: ratio {pods['servers']} servers / 1 (~{pods['delay_seconds'] * 1000:.0f} ms each)",
                 f"{pods['ratio']:.3f}", f"< {pods['target_ratio']:g}", verdict(pods["ratio_met"])))
    print_table("Summary", ("figure", "measured", "target", "verdict"), rows)
    print(f"  figures: {cold['results_file']}, {hot['results_file']}, {throughput['results_file']},"
          f" {listing['results_file']}, {bulk['results_file']}, {pods['results_file']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
