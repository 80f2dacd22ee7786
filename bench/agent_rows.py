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
  round trips of the budget, scoring and results are all inside it.

Run ``python -m bench.agent_rows [--rows 2000]`` (one batch: the job's fixed costs, queue hops, the
agent's lookup and the results, are spread over its 2,000 rows); figures go to ``bench/results/agent_rows.json``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._apphost import devhost, host_environment, new_tenant
from bench._azurite import Azurite
from bench._common import environment, parse_time, print_table, verdict, write_results
from bench.bulk_evaluation import _DEFAULTS_KEPT, _HOST_SETTINGS, HOST_JSON, TERMINAL, _upload

NAME = "agent_rows"
DELAY_SECONDS = 0.2
CONCURRENCY = 8
TARGET_ROWS_PER_SECOND = 0.8 * CONCURRENCY / DELAY_SECONDS


def run(rows: int, timeout: float) -> dict[str, Any]:
    import httpx

    from tests.support.openai_stub import OpenAIStub, StubState

    admin_key = secrets.token_urlsafe(24)
    body = (
        "id,question,expected\n"
        + "".join(f"r{i},Question number {i}?,echo: Question number {i}?\n" for i in range(rows))
    ).encode()
    extra = {
        **_HOST_SETTINGS,
        "CLOUDPLANE_CREDENTIALS_KEY": base64.b64encode(os.urandom(32)).decode(),
        "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
    }
    with (
        Azurite() as azurite,
        tempfile.TemporaryDirectory(prefix="cloudplane-bench-agent-") as tmp,
        OpenAIStub(StubState(delay=DELAY_SECONDS)) as stub,
    ):
        env = host_environment(azurite.connection_string, admin_key, kept=_DEFAULTS_KEPT, extra=extra)
        workdir = Path(tmp)
        with (
            devhost(env, workdir / "api", HOST_JSON, queues=False) as api,
            devhost(env, workdir / "worker", HOST_JSON, queues=True),
            httpx.Client(timeout=120) as http,
        ):
            headers = {"Authorization": f"Bearer {new_tenant(http, api.base_url, admin_key)}"}
            agent = http.post(
                f"{api.base_url}/api/v1/agents",
                json={
                    "name": "bench",
                    "endpoint": stub.url + "/v1",
                    "model": stub.state.model,
                    "api_key": stub.state.api_key,
                    "limits": {"max_concurrent_calls": CONCURRENCY, "requests_per_minute": 100_000},
                },
                headers=headers,
            )
            if agent.status_code != 201:
                raise RuntimeError(f"registering the agent failed: {agent.status_code} {agent.text[:300]}")
            dataset, _ = _upload(http, api.base_url, headers, body)
            job_body = {
                "type": "bulk_evaluation",
                "name": "bench agent rows",
                "configuration": {
                    "data_source": dataset["id"],
                    "prompt_template": "{question}",
                    "selected_agent_id": agent.json()["id"],
                    "evaluation_criteria": {"custom_evaluators": ["exact"], "similarity_threshold": 1.0},
                },
            }
            reply = http.post(f"{api.base_url}/api/v1/jobs", json=job_body, headers=headers)
            if reply.status_code != 202:
                raise RuntimeError(f"submitting the job failed: {reply.status_code} {reply.text[:300]}")
            url = api.base_url + reply.headers["Location"]
            deadline = time.monotonic() + timeout
            while True:
                job = http.get(url, headers=headers).json()
                if job["status"] in TERMINAL:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the job is still {job['status']} after {timeout} s")
                time.sleep(0.25)
    if job["status"] != "completed":
        raise RuntimeError(f"the job ended {job['status']}: {job.get('error')} {job.get('summary')}")
    seconds = (parse_time(job["completed_at"]) - parse_time(job["created_at"])).total_seconds()
    calls = sum(1 for r in stub.state.requests if r.path.endswith("/chat/completions"))
    rate = rows / seconds
    figures = {
        "benchmark": NAME,
        "environment": environment(),
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rate,
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
        "met": rate >= TARGET_ROWS_PER_SECOND,
        "stub_calls": calls,
        "max_in_flight": stub.state.max_in_flight,
        "concurrency_limit": CONCURRENCY,
        "passed": job["summary"]["passed"],
        "tokens_used": job["summary"].get("tokens_used"),
    }
    figures["results_file"] = str(write_results(NAME, figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    figures = run(args.rows, args.timeout)
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
        ],
    )
    print(json.dumps({k: figures[k] for k in ("rows_per_second", "max_in_flight")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
