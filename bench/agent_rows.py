"""Agent-backed rows: a ``bulk_evaluation`` whose rows are answered by an agent that takes 200 ms a call.

Claim: with the agent limited to 8 concurrent calls and a stub answering in 200 ms, rows per
second are at least 0.8 x 8 / 0.2 s = 32 (80 % of what the limit allows).

Why this shape:

* The agent is the project's local OpenAI-compatible stub (tests/support/openai_stub.py) on
  127.0.0.1 with ``delay = 0.2`` s; it records the most calls it ever had in flight, which
  must not pass the limit of 8.
* The job runs as in production: a private Azurite, an API host and one worker host
  (``python -m devhost``). The dataset has ``question`` and ``expected`` columns and no
  ``response``, so every row is one chat call. Requests per minute are set high enough not to
  bind (the per-minute budget is still taken through Table storage for every call, in leases).
* The figure is rows / the job's own ``completed_at - created_at``: queueing, the Table
  round trips of the limits (slots, per-minute budget), scoring and results are all inside it.
  The job's time is also split around its calls (before the first call, the calls, after the
  last answer), and the calls' phase gives what each call costs beyond the stub's 200 ms.
* Baseline in the same run: a bare ``requests`` loop, 8 threads in a process of its own,
  calling the same stub (400 calls before the job and 400 after; the faster counts). The
  machine is shared and its load moves the figure; the job's rows/s over the bare loop's
  calls/s is the share of the calls' ceiling the app keeps, whatever the load.

Run ``python -m bench.agent_rows [--rows 2000]`` (one batch: the job's fixed costs, queue hops, the
agent's lookup and the results, are spread over its 2,000 rows); figures go to ``bench/results/agent_rows.json``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
from datetime import datetime
from typing import Any

from bench._apphost import evaluation_app
from bench._common import environment, parse_time, print_table, verdict, write_results

NAME = "agent_rows"
DELAY_SECONDS = 0.2
CONCURRENCY = 8
TARGET_ROWS_PER_SECOND = 0.8 * CONCURRENCY / DELAY_SECONDS


def _phases(job: dict[str, Any], arrivals: list[float]) -> dict[str, float]:
    """The job's time split around its calls: before the first, the calls, after the last.

    The calls' phase gives the time each call costs beyond the stub's 200 ms:
    ``CONCURRENCY * phase / calls - DELAY_SECONDS`` (one call's share of the slots).
    """
    created = parse_time(job["created_at"]).timestamp()
    completed = parse_time(job["completed_at"]).timestamp()
    first, last = min(arrivals), max(arrivals)
    calls_seconds = last - first + DELAY_SECONDS  # the last call's answer came 200 ms after it arrived
    return {
        "before_first_call_seconds": first - created,
        "calls_seconds": calls_seconds,
        "after_last_answer_seconds": completed - (last + DELAY_SECONDS),
        "overhead_per_call_ms": 1000 * (CONCURRENCY * calls_seconds / len(arrivals) - DELAY_SECONDS),
    }


_BARE_LOOP = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
import requests
url, key, model, calls, width = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
session = requests.Session()
session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=64))
def call(i):
    body = {"model": model, "messages": [{"role": "user", "content": f"Question number {i}?"}]}
    reply = session.post(url, json=body, headers={"Authorization": "Bearer " + key}, timeout=60)
    reply.raise_for_status()
    return reply.json()["choices"][0]["message"]["content"]
with ThreadPoolExecutor(width) as pool:
    list(pool.map(call, range(width)))
    started = time.perf_counter()
    list(pool.map(call, range(calls)))
print(json.dumps({"calls_per_second": calls / (time.perf_counter() - started)}))
"""


def bare_calls_per_second(stub: Any, calls: int) -> float:
    """The baseline: the same stub called from a bare requests loop, 8 threads, in its own process.

    It is what the machine gives at that moment to any client making these calls (the stub
    answers in its own process, the bench's, as it does for the job's worker), so the job's
    rows/s over it is the share of the calls' ceiling the app keeps.
    """
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _BARE_LOOP, stub.url + "/v1/chat/completions", stub.state.api_key,
         stub.state.model, str(calls), str(CONCURRENCY)],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout
    return float(json.loads(out)["calls_per_second"])


def run(rows: int, timeout: float, bare_calls: int = 400) -> dict[str, Any]:
    from tests.support.openai_stub import OpenAIStub, StubState

    body = (
        "id,question,expected\n"
        + "".join(f"r{i},Question number {i}?,echo: Question number {i}?\n" for i in range(rows))
    ).encode()
    extra = {
        "CLOUDPLANE_CREDENTIALS_KEY": base64.b64encode(os.urandom(32)).decode(),
        "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
    }
    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    load_before = os.getloadavg()
    with OpenAIStub(StubState(delay=DELAY_SECONDS)) as stub, evaluation_app("agent", extra) as app:
        with app.worker("worker"):
            limits = {"max_concurrent_calls": CONCURRENCY, "requests_per_minute": 100_000}
            agent = app.post(
                "/api/v1/agents",
                {"name": "bench", "endpoint": stub.url + "/v1", "model": stub.state.model,
                 "api_key": stub.state.api_key, "limits": limits},
            ).json()
            dataset = app.upload(body)
            bare_before = bare_calls_per_second(stub, bare_calls) if bare_calls else None
            with stub.state.lock:  # the job's own calls and peak from here on
                first_of_job = len(stub.state.requests)
                stub.state.max_in_flight = 0
            job = app.run_job(
                {
                    "type": "bulk_evaluation",
                    "name": "bench agent rows",
                    "configuration": {
                        "data_source": dataset["id"],
                        "prompt_template": "{question}",
                        "selected_agent_id": agent["id"],
                        "evaluation_criteria": {"custom_evaluators": ["exact"], "similarity_threshold": 1.0},
                    },
                },
                timeout,
            )
            with stub.state.lock:
                arrivals = [r.at for r in stub.state.requests[first_of_job:] if r.path.endswith("/chat/completions")]
                max_in_flight = stub.state.max_in_flight
            bare_after = bare_calls_per_second(stub, bare_calls) if bare_calls else None
    if job["status"] != "completed":
        raise RuntimeError(f"the job ended {job['status']}: {job.get('error')} {job.get('summary')}")
    rate = rows / job["seconds"]
    bare = [b for b in (bare_before, bare_after) if b is not None]
    figures = {
        "benchmark": NAME,
        "environment": environment(),
        "started_at": started_at,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "rows": rows,
        "seconds": job["seconds"],
        "rows_per_second": rate,
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
        "met": rate >= TARGET_ROWS_PER_SECOND,
        "stub_calls": len(arrivals),
        "max_in_flight": max_in_flight,
        "concurrency_limit": CONCURRENCY,
        "passed": job["summary"]["passed"],
        "tokens_used": job["summary"].get("tokens_used"),
        **_phases(job, arrivals),
        "bare_calls_per_second_before_and_after": bare,
        "bare_calls_per_second": max(bare) if bare else None,
        "ratio_to_bare": rate / max(bare) if bare else None,
    }
    figures["results_file"] = str(write_results(NAME, figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--bare-calls", type=int, default=400, help="calls of the bare baseline loop (0: none)")
    args = parser.parse_args(argv)
    figures = run(args.rows, args.timeout, args.bare_calls)
    print_table(
        "Agent-backed rows",
        ["figure", "value", "note"],
        [
            [
                "rows/s",
                f"{figures['rows_per_second']:.1f}",
                f"{figures['rows']} rows in {figures['seconds']:.1f} s; target >= {TARGET_ROWS_PER_SECOND:.0f}: "
                f"{verdict(figures['met'])}",
            ],
            ["most calls in flight", figures["max_in_flight"], f"limit {CONCURRENCY}"],
            ["calls", figures["stub_calls"], f"passed rows {figures['passed']}"],
            ["before the first call", f"{figures['before_first_call_seconds']:.2f} s", "submit, queue hops, plan"],
            ["calls", f"{figures['calls_seconds']:.1f} s",
             f"{figures['overhead_per_call_ms']:.1f} ms a call beyond the stub's 200 ms"],
            ["after the last answer", f"{figures['after_last_answer_seconds']:.2f} s", "scoring, results, end"],
            *(
                [["bare requests loop", f"{figures['bare_calls_per_second']:.1f} calls/s",
                  f"same stub, 8 threads; job / bare = {figures['ratio_to_bare']:.3f}"]]
                if figures["bare_calls_per_second"] else []
            ),
            ["load average", " / ".join(f"{x:.1f}" for x in figures["load_average_before"]), "1/5/15 min, before"],
        ],
    )
    keys = ("rows_per_second", "max_in_flight", "overhead_per_call_ms", "ratio_to_bare")
    print(json.dumps({k: figures[k] for k in keys}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
