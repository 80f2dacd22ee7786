"""Bulk evaluation: a 50,000-row ``bulk_evaluation`` job, its workers' peak memory, one worker against two.

Claim: a 50,000-row ``bulk_evaluation`` completes with the worker process's peak memory under
300 MB, and its time falls when a second worker process is added: ratio = t(2 workers) /
t(1 worker) < 1, both measured in the same run.

Why this shape:

* One private Azurite (disk mode). One ``python -m devhost --no-queues`` process serves the
  API (upload, submit, poll). Each worker is its own ``python -m devhost`` running the same
  app with queue triggers on, from a script root of symlinks with its own host.json
  (batchSize 16, newBatchThreshold 8, maxPollingInterval 200 ms, visibilityTimeout 5 s,
  maxDequeueCount 5), as the e2e tests run it; it also serves HTTP on its own port, unused.
  Rate limits are raised so nothing throttles; the body and dataset limits are raised so the
  file can be uploaded; logs are at WARNING.
* The dataset (id, question, response, expected) is generated from a fixed seed: a mix of
  exact answers (some differing only in case or punctuation), near answers (a word dropped,
  added or misspelt), wrong answers, and a few malformed rows (wrong number of CSV fields).
  It is uploaded once; every run evaluates the same dataset.
* Each run starts fresh worker processes, so that ``VmHWM`` in ``/proc/<pid>/status`` (the
  peak resident set of the process's lifetime) is the peak of that run alone. It is read
  from each worker when the job has finished, and the max across workers is the figure. The
  idle RSS right after start (``VmRSS`` once the port listens and the host has settled) is
  the baseline, so the job's own share shows.
* Runs alternate 1, 2, 1, 2 workers (``--rounds`` pairs); the medians are the figures. A
  run's time is the job's own ``completed_at - created_at`` (no polling error); the wall time
  from POST to the poll that saw the job finished is shown beside it.
* The machine's core count is reported: on a small machine the workers share the cores with
  Azurite (one Node.js process) and the API host, so a second worker competes with Azurite
  for CPU and the ratio says as much about that as about the app.

Run ``python -m bench.bulk_evaluation [--rows N] [--rounds N]``; figures go to
``bench/results/bulk_evaluation.json``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench._apphost import (
    EVALUATION_HOST_JSON,
    TERMINAL,
    HostProcess,
    devhost,
    evaluation_app,
    status_kb,
    upload_dataset,
)
from bench._common import environment, parse_time, print_table, summarize, verdict, write_results

NAME = "bulk_evaluation"
DEFAULT_ROWS = 50_000
DEFAULT_ROUNDS = 2
DEFAULT_TIMEOUT = 900.0
TARGET_PEAK_MB = 300.0
TARGET_RATIO = 1.0
POLL_SECONDS = 0.25
MALFORMED_ROWS = 7
# ---- the dataset -------------------------------------------------------------------------------

_SUBJECTS = (
    "capital of France", "boiling point of water at sea level", "author of Hamlet", "largest planet",
    "chemical symbol for gold", "speed of light in vacuum", "year the Berlin Wall fell", "tallest mountain",
    "longest river in Africa", "smallest prime number", "currency of Japan", "main gas in the atmosphere",
    "inventor of the telephone", "freezing point of water in Fahrenheit", "number of continents",
    "language spoken in Brazil", "hardest natural material", "closest star to Earth", "square root of 144",
    "first person on the Moon",
)
_ANSWERS = (
    "Paris is the capital of France", "Water boils at 100 degrees Celsius", "William Shakespeare wrote Hamlet",
    "Jupiter is the largest planet in the solar system", "The chemical symbol for gold is Au",
    "About 299,792 kilometres per second", "The Berlin Wall fell in 1989", "Mount Everest is the tallest mountain",
    "The Nile is the longest river in Africa", "The smallest prime number is 2", "The yen is the currency of Japan",
    "Nitrogen is the main gas in the atmosphere", "Alexander Graham Bell invented the telephone",
    "Water freezes at 32 degrees Fahrenheit", "There are seven continents", "Portuguese is spoken in Brazil",
    "Diamond is the hardest natural material", "The Sun is the closest star to Earth", "The square root of 144 is 12",
    "Neil Armstrong was the first person on the Moon",
)


def _near(rng: random.Random, text: str) -> str:
    words = text.split()
    move = rng.randrange(3)
    if move == 0 and len(words) > 2:
        del words[rng.randrange(len(words))]
    elif move == 1:
        words.insert(rng.randrange(len(words) + 1), rng.choice(("actually", "roughly", "indeed", "probably")))
    else:
        index = rng.randrange(len(words))
        word = words[index]
        if len(word) > 3:
            cut = rng.randrange(1, len(word) - 1)
            words[index] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    return " ".join(words)


def make_dataset(rows: int, seed: int = 20_261_122) -> tuple[bytes, dict[str, int]]:
    """A CSV of ``rows`` data rows and how many of each kind it holds (exact, case, near, wrong, malformed)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("id", "question", "response", "expected"))
    malformed = set(rng.sample(range(rows), min(MALFORMED_ROWS, rows)))
    kinds = {"exact": 0, "case_or_punctuation": 0, "near": 0, "wrong": 0, "malformed": 0}
    for row in range(rows):
        pick = rng.randrange(len(_SUBJECTS))
        expected = _ANSWERS[pick]
        question = f"What is the {_SUBJECTS[pick]}? (item {row})"
        if row in malformed:
            kinds["malformed"] += 1
            writer.writerow((f"r{row:06d}", question, expected, expected, "an extra field"))
            continue
        roll = rng.random()
        if roll < 0.30:
            kinds["exact"] += 1
            response = expected
        elif roll < 0.45:
            kinds["case_or_punctuation"] += 1
            response = expected.lower() + rng.choice((".", "!", "", " ."))
        elif roll < 0.75:
            kinds["near"] += 1
            response = _near(rng, expected)
        else:
            kinds["wrong"] += 1
            response = _ANSWERS[(pick + rng.randrange(1, len(_ANSWERS))) % len(_ANSWERS)]
            if rng.random() < 0.3:
                response = f"I think {response.lower()}, but I am not sure"
        writer.writerow((f"r{row:06d}", question, response, expected))
    return out.getvalue().encode("utf-8"), kinds


# ---- processes ---------------------------------------------------------------------------------


# ---- API calls ---------------------------------------------------------------------------------


def _find_int(value: Any, key: str) -> int | None:
    """The first integer stored under ``key`` anywhere in ``value`` (nested dicts and lists)."""
    if isinstance(value, dict):
        if isinstance(value.get(key), int) and not isinstance(value.get(key), bool):
            return int(value[key])
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return None
    for child in children:
        found = _find_int(child, key)
        if found is not None:
            return found
    return None


def _batches(http: Any, url: str, headers: dict[str, str]) -> int | None:
    """The batch count the job logged when it started (its ``job_started`` event), if it can be found."""
    reply = http.get(f"{url}/logs", params={"limit": 100}, headers=headers)
    if reply.status_code != 200:
        return None
    for event in reply.json().get("items", []):
        if "job_started" in json.dumps(event):
            found = _find_int(event, "batches")
            if found is not None:
                return found
    return None


def _run_job(api: HostProcess, http: Any, headers: dict[str, str], dataset_id: str, timeout: float) -> dict[str, Any]:
    body = {
        "type": "bulk_evaluation",
        "name": "bench bulk evaluation",
        "configuration": {"data_source": dataset_id, "prompt_template": "{question}",
                          "evaluation_criteria": {"similarity_threshold": 0.8}},
    }
    started = time.perf_counter()
    reply = http.post(f"{api.base_url}/api/v1/jobs", json=body, headers=headers)
    if reply.status_code != 202:
        raise RuntimeError(f"submitting the job failed: {reply.status_code} {reply.text[:500]}")
    url = api.base_url + reply.headers["Location"]
    polls = 0
    deadline = time.monotonic() + timeout
    while True:
        got = http.get(url, headers=headers)
        polls += 1
        if got.status_code != 200:
            raise RuntimeError(f"polling the job answered {got.status_code}: {got.text[:500]}")
        job = got.json()
        if job["status"] in TERMINAL:
            wall = time.perf_counter() - started
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"the job is still {job['status']} after {timeout} s: {job['progress']}")
        time.sleep(POLL_SECONDS)
    if job["status"] not in ("completed", "completed_with_errors"):
        raise RuntimeError(f"the job ended {job['status']}: {job.get('error')}")
    own = (parse_time(job["completed_at"]) - parse_time(job["created_at"])).total_seconds()
    summary = job.get("summary") or {}
    return {
        "job_id": job["id"],
        "status": job["status"],
        "seconds": own,
        "wall_seconds": wall,
        "polls": polls,
        "processed": job["progress"]["processed"],
        "failed": job["progress"]["failed"],
        "batches": _batches(http, url, headers),
        "summary": {k: summary.get(k) for k in ("rows", "scored", "passed", "failed", "errored", "pass_rate",
                                                "mean_score", "p50", "p90")},
    }


# ---- one run: fresh workers, the job, their peak memory ------------------------------------------------


def _one_run(workers: int, env: dict[str, str], workdir: Path, api: HostProcess, http: Any,
             headers: dict[str, str], dataset_id: str, timeout: float) -> dict[str, Any]:
    with ExitStack() as stack:
        hosts = [stack.enter_context(devhost(env, workdir / f"worker-{i}", EVALUATION_HOST_JSON, queues=True))
                 for i in range(workers)]
        time.sleep(2.0)  # let each host finish starting its pollers before the idle reading
        idle = [status_kb(h.pid) for h in hosts]
        for host in hosts:
            if host.process.poll() is not None:
                raise RuntimeError(f"a worker exited with {host.process.returncode}:\n{host.tail()}")
        result = _run_job(api, http, headers, dataset_id, timeout)
        end = [status_kb(h.pid) for h in hosts]
    per_worker = [
        {"pid": h.pid, "idle_rss_mb": i["VmRSS"] / 1024, "idle_hwm_mb": i["VmHWM"] / 1024,
         "end_rss_mb": e["VmRSS"] / 1024, "peak_mb": e["VmHWM"] / 1024}
        for h, i, e in zip(hosts, idle, end, strict=True)
    ]
    result |= {
        "workers": workers,
        "per_worker": per_worker,
        "peak_mb": max(w["peak_mb"] for w in per_worker),
        "idle_rss_mb": max(w["idle_rss_mb"] for w in per_worker),
    }
    return result


def run(rows: int, rounds: int, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    body, kinds = make_dataset(rows)
    runs: list[dict[str, Any]] = []
    with evaluation_app("bulk") as app:
        dataset, upload_seconds = upload_dataset(app.http, app.api.base_url, app.headers, body)
        print(f"  dataset {dataset['id']}: {dataset['row_count']} rows, {dataset['malformed_rows']} malformed, "
              f"{dataset['size_bytes'] / 1e6:.1f} MB, uploaded in {upload_seconds:.1f} s", flush=True)
        for round_index in range(rounds):
            for workers in (1, 2):
                result = _one_run(workers, app.env, app.workdir / f"run-{round_index}-{workers}", app.api, app.http,
                                  app.headers, dataset["id"], timeout)
                result["round"] = round_index
                runs.append(result)
                print(f"  round {round_index + 1}, {workers} worker(s): {result['seconds']:.1f} s "
                      f"(wall {result['wall_seconds']:.1f} s), {result['status']}, "
                      f"peak {result['peak_mb']:.0f} MB", flush=True)

    def of(workers: int) -> list[dict[str, Any]]:
        return [r for r in runs if r["workers"] == workers]

    t1 = statistics.median(r["seconds"] for r in of(1))
    t2 = statistics.median(r["seconds"] for r in of(2))
    w1 = statistics.median(r["wall_seconds"] for r in of(1))
    w2 = statistics.median(r["wall_seconds"] for r in of(2))
    peak = max(r["peak_mb"] for r in runs)
    ratio = t2 / t1
    batches = next((r["batches"] for r in runs if r["batches"] is not None), None)
    figures: dict[str, Any] = {
        "benchmark": NAME,
        "claim": "a 50,000-row bulk_evaluation completes with worker peak memory < 300 MB, "
                 "and t(2 workers) / t(1 worker) < 1",
        "environment": environment(),
        "cpu_count": os.cpu_count(),
        "cpu_note": "the workers, the API host and Azurite (Node.js) share these cores",
        "host_json": EVALUATION_HOST_JSON,
        "rows": rows,
        "dataset": {k: dataset.get(k) for k in ("id", "row_count", "malformed_rows", "size_bytes", "columns")},
        "dataset_kinds": kinds,
        "upload_seconds": upload_seconds,
        "batches": batches,
        "rounds": rounds,
        "seconds_1_worker": summarize([r["seconds"] for r in of(1)]),
        "seconds_2_workers": summarize([r["seconds"] for r in of(2)]),
        "wall_seconds_1_worker": summarize([r["wall_seconds"] for r in of(1)]),
        "wall_seconds_2_workers": summarize([r["wall_seconds"] for r in of(2)]),
        "t1": t1,
        "t2": t2,
        "ratio": ratio,
        "wall_ratio": w2 / w1,
        "target_ratio": TARGET_RATIO,
        "ratio_met": ratio < TARGET_RATIO,
        "peak_mb": peak,
        "peak_mb_1_worker": max(r["peak_mb"] for r in of(1)),
        "peak_mb_2_workers": max(r["peak_mb"] for r in of(2)),
        "idle_rss_mb": statistics.median(w["idle_rss_mb"] for r in runs for w in r["per_worker"]),
        "target_peak_mb": TARGET_PEAK_MB,
        "peak_met": peak < TARGET_PEAK_MB,
        "runs": runs,
    }
    figures["results_file"] = str(write_results(NAME, figures))
    return figures


def report(figures: dict[str, Any]) -> None:
    cores = figures["cpu_count"]
    print(f"\nBulk evaluation: {figures['rows']} rows ({figures['dataset']['malformed_rows']} malformed), "
          f"{figures['batches']} batches, {figures['rounds']} round(s) of 1 then 2 workers; "
          f"{cores} core(s), shared by the workers, the API host and Azurite")
    wall1 = figures["wall_seconds_1_worker"]["median"]
    wall2 = figures["wall_seconds_2_workers"]["median"]
    rows: list[tuple[object, ...]] = []
    for r in figures["runs"]:
        rows.append((r["round"] + 1, r["workers"], f"{r['seconds']:.2f}", f"{r['wall_seconds']:.2f}", r["status"],
                     f"{r['idle_rss_mb']:.0f}", " / ".join(f"{w['peak_mb']:.0f}" for w in r["per_worker"])))
    print_table("Runs", ("round", "workers", "job s (own timestamps)", "wall s", "status", "idle RSS MB",
                         "peak MB per worker (VmHWM)"), rows)
    print_table(
        "Figures",
        ("figure", "measured", "target", "verdict"),
        [
            ("time, 1 worker (median, s)", f"{figures['t1']:.2f} (wall {wall1:.2f})", "", ""),
            ("time, 2 workers (median, s)", f"{figures['t2']:.2f} (wall {wall2:.2f})", "", ""),
            ("ratio t2 / t1", f"{figures['ratio']:.3f} (wall {figures['wall_ratio']:.3f})",
             f"< {figures['target_ratio']:g}", verdict(figures["ratio_met"])),
            ("peak MB per worker (max)", f"{figures['peak_mb']:.0f} (idle {figures['idle_rss_mb']:.0f})",
             f"< {figures['target_peak_mb']:g}", verdict(figures["peak_met"])),
        ],
    )
    if cores is not None and cores <= 2:
        print(f"  note: only {cores} cores; the second worker competes with Azurite and the API host for CPU")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk_evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="data rows in the generated dataset")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="pairs of runs (1 worker, then 2)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds one job may take")
    args = parser.parse_args(argv)
    report(run(max(1, args.rows), max(1, args.rounds), args.timeout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
