"""Agent calls alone: a batch's responder against a bare ``requests`` loop, and its Table round trips a call.

Claim: the limits a batch's calls go through (a slot of ``max_concurrent_calls`` held across
instances, the per-minute budget, the job's token budget) cost few Table round trips a call
(a claim per batch, a renewal and a keeper read while slots are held, a lease per 32 calls for
the per-minute budget, one per chunk for the token budget) and keep the calls at the rate of a
bare HTTP loop.

Why this shape:

* The stub (tests/support/openai_stub.py, 200 ms a call) runs in its own process, as an
  endpoint would; a private Azurite holds the shared rows.
* The responder is the job's own (``Responder`` with an ``AgentUsage``'s slots, per-minute pacing
  and token allowance, 8 wide), without the job around it (no queue, no dataset, no results):
  ``bench/agent_rows.py`` measures the whole job.
* Baseline in the same run: 8 threads posting the same calls with one ``requests`` session.
  Rounds alternate bare, ours; the ratio is time(ours) / time(bare) per round.

Run ``python -m bench.agent_calls [--calls 400] [--rounds 2] [--budget N]``; figures go to
``bench/results/agent_calls.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench._azurite import Azurite
from bench._common import ROOT, app_environment, environment, print_table, write_results

NAME = "agent_calls"
WIDTH = 8
DELAY_SECONDS = 0.2
_STUB = """
import sys, time
from tests.support.openai_stub import OpenAIStub, StubState
with OpenAIStub(StubState(delay=float(sys.argv[1]))) as stub:
    print(stub.url, flush=True)
    time.sleep(3600)
"""


class _Handle:
    """What a responder needs of an agent, built from the real pieces (``AgentHandle``'s shape)."""

    def __init__(self, client: Any, slots: Any, spent: Any) -> None:
        self.client, self.slots, self.spent = client, slots, spent


def run(calls: int, rounds: int, budget: int | None) -> dict[str, Any]:
    import requests

    stub = subprocess.Popen([sys.executable, "-c", _STUB, str(DELAY_SECONDS)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert stub.stdout is not None
        url = stub.stdout.readline().strip()
        with Azurite() as azurite, app_environment(azurite.connection_string, "unused-admin-key"):
            from shared import deps
            from shared.jobs.evaluation.chat_client import ChatClient, ChatTarget
            from shared.jobs.evaluation.responder import Responder, TokenBudget
            from shared.models.agents import AgentLimits
            from shared.storage.agents import AgentUsage

            deps.reset()
            usage = AgentUsage(deps.storage())
            limits = AgentLimits(max_concurrent_calls=WIDTH, requests_per_minute=100_000)
            target = ChatTarget("openai", url + "/v1", "gpt-test", None, "sk-test-key", "", 0.0, 512)

            def pace() -> None:
                usage.wait_for_call("t", "a", limits)

            client = ChatClient(target, limits=pace)
            handle = _Handle(client, usage.slots("t", "a", WIDTH), lambda n: usage.spent("t", "a", n))
            session = requests.Session()
            session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=64))

            def ours(n: int, job: str) -> float:
                allowance = usage.job_allowance("t", "a", job, budget)
                started = time.perf_counter()
                with allowance.session(), handle.slots.session():
                    outcomes = Responder(handle, TokenBudget(allowance), WIDTH).answer(
                        [f"Question {i}?" for i in range(n)], [None] * n
                    )
                seconds = time.perf_counter() - started
                if not all(o.text for o in outcomes):
                    raise RuntimeError(f"a call failed: {next(o.error for o in outcomes if not o.text)}")
                return seconds

            def bare(n: int) -> float:
                def call(i: int) -> None:
                    body: dict[str, Any] = {
                        "model": "gpt-test", "messages": [{"role": "user", "content": f"Question {i}?"}]
                    }
                    session.post(url + "/v1/chat/completions", json=body,
                                 headers={"Authorization": "Bearer sk-test-key"}, timeout=60).raise_for_status()

                started = time.perf_counter()
                with ThreadPoolExecutor(WIDTH) as pool:
                    list(pool.map(call, range(n)))
                return time.perf_counter() - started

            bare(2 * WIDTH)
            ours(2 * WIDTH, "warm-up")
            results: list[dict[str, Any]] = []
            for index in range(rounds):
                before = usage.round_trips + usage.holdings_round_trips
                ours_seconds = ours(calls, f"job-{index}")
                trips = usage.round_trips + usage.holdings_round_trips - before
                bare_seconds = bare(calls)
                results.append({"bare_seconds": bare_seconds, "ours_seconds": ours_seconds,
                                "ratio": ours_seconds / bare_seconds, "round_trips_per_call": trips / calls,
                                "load_average": os.getloadavg()})
                print(f"  round {index + 1}: bare {bare_seconds:.2f} s, ours {ours_seconds:.2f} s, "
                      f"ratio {ours_seconds / bare_seconds:.3f}, {trips / calls:.3f} round trips a call", flush=True)
    finally:
        stub.kill()
        stub.wait(timeout=10)
    figures = {"benchmark": NAME, "environment": environment(), "calls": calls, "budget": budget,
               "delay_seconds": DELAY_SECONDS, "width": WIDTH, "rounds": results,
               "ratio": min(float(r["ratio"]) for r in results),
               "round_trips_per_call": max(float(r["round_trips_per_call"]) for r in results)}
    figures["results_file"] = str(write_results(NAME, figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--budget", type=int, default=None, help="the job's token budget (default: none)")
    args = parser.parse_args(argv)
    figures = run(args.calls, args.rounds, args.budget)
    print_table(
        "Agent calls alone",
        ["figure", "value", "note"],
        [
            ["time ours / bare (best round)", f"{figures['ratio']:.3f}", f"{args.calls} calls, {WIDTH} wide"],
            ["Table round trips a call (most)", f"{figures['round_trips_per_call']:.3f}",
             f"token budget {args.budget}"],
        ],
    )
    print(json.dumps({k: figures[k] for k in ("ratio", "round_trips_per_call")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
