"""Cold start: what importing ``function_app`` costs beyond the libraries it cannot avoid.

Claim: importing ``function_app`` does not import ``kubernetes`` or ``openstack``, and its
median import time is at most 1.3 times that of importing the third-party libraries it
cannot avoid, measured side by side in one run.

Why this shape:

* Each sample is a fresh interpreter, because a cold start is one; the time is taken inside
  the child around the ``import`` statement, so interpreter start-up (the same for both and
  outside the app's control) does not dilute the ratio.
* The baseline is found, not assumed: a probe child imports ``function_app`` and reports
  which of the candidate libraries ended up in ``sys.modules``; the baseline imports exactly
  those. A second probe checks that the baseline loads every third-party module the app
  does, so the ratio is the app's own code and wiring, not a library it forgot to defer.
* Baseline and app samples alternate, and the order within each pair flips every pair, so a
  burst of load on the shared machine hits both sides alike.

Run ``python -m bench.cold_start [--samples N]``; figures go to ``bench/results/cold_start.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Any

from bench._common import ROOT, environment, print_table, summarize, verdict, write_results

NAME = "cold_start"
APP_MODULE = "function_app"
TARGET_RATIO = 1.3
DEFAULT_SAMPLES = 17

# Third-party libraries the app may load; the baseline imports those it does load.
CANDIDATES = (
    "azure.functions",
    "pydantic",
    "pydantic_settings",
    "azure.data.tables",
    "azure.storage.queue",
    "azure.storage.blob",
    "azure.identity",
    "azure.core",
)
# Must never load at import: the cloud SDKs the control plane talks to only in jobs.
FORBIDDEN = ("kubernetes", "openstack")
# Loaded on first use only, so cold start and the health endpoint do not pay for them.
LAZY = ("azure.storage.queue", "azure.storage.blob", "azure.identity")
PROJECT_PACKAGES = frozenset({"function_app", "functions", "shared"})

_TIMED = "import time\nt = time.perf_counter()\nimport {modules}\nprint(repr(time.perf_counter() - t))\n"
_LISTED = "import json, sys\nimport {modules}\nprint(json.dumps(sorted(sys.modules)))\n"


def _child_env() -> dict[str, str]:
    """The parent's environment minus switches that would make a child do extra work."""
    env = dict(os.environ)
    for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONTRACEMALLOC", "PYTHONDEVMODE", "PYTHONVERBOSE"):
        env.pop(name, None)
    return env


def _run_child(code: str) -> str:
    """Run ``code`` in a fresh interpreter from the project root and return its stdout."""
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({completed.returncode}):\n{completed.stderr.strip()}")
    return completed.stdout.strip().splitlines()[-1]


def _loaded_modules(modules: tuple[str, ...]) -> set[str]:
    return set(json.loads(_run_child(_LISTED.format(modules=", ".join(modules)))))


def _import_seconds(modules: tuple[str, ...]) -> float:
    return float(_run_child(_TIMED.format(modules=", ".join(modules))))


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def probe() -> dict[str, Any]:
    """Which candidates and heavy modules ``import function_app`` loads, and what the baseline misses."""
    app_modules = _loaded_modules((APP_MODULE,))
    baseline = tuple(m for m in CANDIDATES if m in app_modules)
    baseline_modules = _loaded_modules(baseline) if baseline else set()
    beyond = sorted(
        m for m in app_modules - baseline_modules if m.split(".")[0] not in PROJECT_PACKAGES and not _is_stdlib(m)
    )
    return {
        "baseline_modules": list(baseline),
        "baseline_excluded": [m for m in CANDIDATES if m not in baseline],
        "heavy_modules_loaded": [m for m in (*FORBIDDEN, *LAZY) if m in app_modules],
        "forbidden_modules_loaded": [m for m in FORBIDDEN if m in app_modules],
        "modules_loaded": {"app": len(app_modules), "baseline": len(baseline_modules)},
        # Third-party modules the app loads that the baseline does not: should be empty,
        # otherwise the baseline understates what the app cannot avoid (or the app loads too much).
        "third_party_beyond_baseline": beyond,
    }


def run(samples: int = DEFAULT_SAMPLES) -> dict[str, Any]:
    """Measure, write ``bench/results/cold_start.json`` and return the figures."""
    found = probe()
    baseline = tuple(found["baseline_modules"])
    # The libraries come with bytecode compiled by pip; compile the app's the same way (a
    # deployment ships it too), since PYTHONDONTWRITEBYTECODE may keep imports from caching it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "function_app.py", "functions", "shared"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # One discarded pair first: it writes any stale bytecode cache, which is not a cold start's cost.
    _import_seconds(baseline)
    _import_seconds((APP_MODULE,))
    base_times: list[float] = []
    app_times: list[float] = []
    for index in range(samples):
        order = ("base", "app") if index % 2 == 0 else ("app", "base")
        for side in order:
            if side == "base":
                base_times.append(_import_seconds(baseline))
            else:
                app_times.append(_import_seconds((APP_MODULE,)))
    base = {k: v * 1000 if isinstance(v, float) else v for k, v in summarize(base_times).items()}
    app = {k: v * 1000 if isinstance(v, float) else v for k, v in summarize(app_times).items()}
    ratio = app["median"] / base["median"]
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claim": (
            "importing function_app loads neither kubernetes nor openstack, and its median import time "
            f"is at most {TARGET_RATIO}x that of the third-party libraries it cannot avoid"
        ),
        "samples_per_side": samples,
        "unit": "ms (import statement only, measured inside a fresh interpreter)",
        **found,
        "baseline_ms": base,
        "app_ms": app,
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "ratio_met": ratio <= TARGET_RATIO,
        "no_forbidden_modules": not found["forbidden_modules_loaded"],
        "raw_ms": {"baseline": [t * 1000 for t in base_times], "app": [t * 1000 for t in app_times]},
        "environment": environment(),
    }
    figures["claim_met"] = figures["ratio_met"] and figures["no_forbidden_modules"]
    figures["results_file"] = str(write_results(NAME, figures).relative_to(ROOT))
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures as a short table."""
    base, app = figures["baseline_ms"], figures["app_ms"]
    print_table(
        f"Cold start: import time, {figures['samples_per_side']} fresh interpreters per side (ms)",
        ("import", "median", "min", "max"),
        [
            (
                "baseline: " + ", ".join(figures["baseline_modules"]),
                f"{base['median']:.1f}",
                f"{base['min']:.1f}",
                f"{base['max']:.1f}",
            ),
            (APP_MODULE, f"{app['median']:.1f}", f"{app['min']:.1f}", f"{app['max']:.1f}"),
        ],
    )
    print(
        f"  ratio app/baseline (medians): {figures['ratio']:.3f}  target <= {figures['target_ratio']}"
        f"  -> {verdict(figures['ratio_met'])}"
    )
    print(
        f"  heavy modules loaded by import: {figures['heavy_modules_loaded'] or 'none'}"
        f"  (kubernetes/openstack absent -> {verdict(figures['no_forbidden_modules'])})"
    )
    print(f"  baseline leaves out (app does not load them): {', '.join(figures['baseline_excluded']) or 'nothing'}")
    print(f"  third-party modules beyond the baseline: {figures['third_party_beyond_baseline'] or 'none'}")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="fresh interpreters per side")
    args = parser.parse_args(argv)
    report(run(max(1, args.samples)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
