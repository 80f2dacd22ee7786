"""``python -m bench`` (``make bench``): both benchmarks, then a one-line verdict per claim.

Cold start runs first, in child interpreters, so the hot path's in-process imports cannot
warm anything it measures. The exit status is 0 unless a benchmark crashes: a claim that is
not met is a figure to look at, not a failure (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse

from bench import cold_start, hot_path
from bench._common import print_table, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=cold_start.DEFAULT_SAMPLES,
                        help="cold start: fresh interpreters per side")
    parser.add_argument("--requests", type=int, default=hot_path.DEFAULT_REQUESTS,
                        help="hot path: measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=hot_path.DEFAULT_WARMUP,
                        help="hot path: warm-up requests per scenario")
    args = parser.parse_args(argv)

    cold = cold_start.run(max(1, args.samples))
    cold_start.report(cold)
    hot = hot_path.run(max(1, args.requests), max(1, args.warmup))
    hot_path.report(hot)

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
    print_table("Summary", ("figure", "measured", "target", "verdict"), rows)
    print(f"  figures: {cold['results_file']}, {hot['results_file']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
