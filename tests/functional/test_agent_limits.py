"""An agent's concurrent calls and a job's token budget hold across instances.

Each "instance" is its own ``AgentUsage`` and ``AgentsService`` (its own holder id, leases and
threads) sharing only Azurite with the others, as two worker processes do; the crash test runs
the first instance in a real subprocess and kills it. Calls go to the local OpenAI-compatible
stub, which records the most calls it ever had in flight and the words it counted as tokens.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from shared import deps
from shared.clock import utc_now
from shared.config import get_settings
from shared.jobs.evaluation.responder import Outcome, Responder, TokenBudget
from shared.services.agents import AgentsService
from shared.storage.agents import AgentUsage
from shared.storage.rate_budget import Holdings, HoldingsRepository, SlotPool
from tests.functional.test_agents import register
from tests.support.inprocess import InProcessClient
from tests.support.openai_stub import OpenAIStub, StubState

pytestmark = pytest.mark.usefixtures("cluster_settings")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub(StubState(delay=0.1)) as server:
        yield server


class Instance:
    """One worker's view of the agents: its own usage counters, leases and keeper threads."""

    def __init__(self) -> None:
        self.usage = AgentUsage(deps.storage())
        self.service = AgentsService(
            deps.agents(), self.usage, deps.endpoint_policy(), get_settings(), utc_now, sleep=lambda _: None
        )

    def run_batch(self, tenant_id: str, agent_id: str, job_id: str, prompts: list[str]) -> list[Outcome]:
        """What a ``bulk_evaluation`` batch does with its rows without a response."""
        handle = self.service.handle(tenant_id, agent_id)
        limits = handle.agent.limits
        allowance = self.usage.job_allowance(tenant_id, agent_id, job_id, limits.token_budget_per_job)
        with allowance.session(), handle.slots.session():
            responder = Responder(handle, TokenBudget(allowance), limits.max_concurrent_calls)
            return responder.answer(prompts, [None] * len(prompts))


def run_together(*batches: Callable[[], list[Outcome]]) -> list[list[Outcome]]:
    results: list[list[Outcome]] = [[] for _ in batches]

    def go(index: int) -> None:
        results[index] = batches[index]()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_instances_never_pass_the_agents_concurrent_calls(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    agent = register(client, tenant, stub, limits={"max_concurrent_calls": 3, "requests_per_minute": 10_000})
    tenant_id, job = tenant["tenant"]["id"], f"job_{uuid.uuid4().hex}"
    first, second = Instance(), Instance()
    # Each instance runs its batch 3 threads wide: alone, either would keep 3 calls in flight.
    a, b = run_together(
        lambda: first.run_batch(tenant_id, agent["id"], job, [f"a{i}" for i in range(60)]),
        lambda: second.run_batch(tenant_id, agent["id"], job, [f"b{i}" for i in range(60)]),
    )
    assert [o.text for o in a] == [f"echo: a{i}" for i in range(60)]
    assert [o.text for o in b] == [f"echo: b{i}" for i in range(60)]
    assert stub.state.max_in_flight == 3, "never more than the limit, and the limit was reached"
    # The instance that came second was not kept waiting until the first one's batch ended:
    # the first gave back its surplus over a fair share once it saw the second waiting.
    order = [r.body["messages"][-1]["content"][0] for r in stub.state.requests]
    last_of = {name: max(i for i, c in enumerate(order) if c == name) for name in "ab"}
    first_of = {name: order.index(name) for name in "ab"}
    later = "a" if first_of["a"] > first_of["b"] else "b"
    assert first_of[later] < last_of["b" if later == "a" else "a"], order
    # Every slot went back when the batches ended.
    holdings = HoldingsRepository(deps.storage()).read(f"agent:{tenant_id}:{agent['id']}", "slots")
    assert holdings.leases == {}


def test_a_crashed_instances_slots_come_back_when_its_lease_expires(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    scope, ttl = f"agent:t:{uuid.uuid4().hex}", 3.0
    code = (
        "import sys, time\n"
        "from shared import deps\n"
        "from shared.storage.rate_budget import HoldingsRepository, SlotPool\n"
        f"pool = SlotPool(HoldingsRepository(deps.storage()), {scope!r}, 'slots', 'doomed', 2, ttl={ttl})\n"
        "pool.acquire(); pool.acquire()\n"
        "print('holding', flush=True)\n"
        "time.sleep(120)\n"
    )
    doomed = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, text=True
    )
    try:
        assert doomed.stdout is not None and doomed.stdout.readline().strip() == "holding"
        survivor = SlotPool(HoldingsRepository(deps.storage()), scope, "slots", "survivor", 2, ttl=ttl)
        time.sleep(ttl)  # the live instance renews its lease: its slots stay taken past the first ttl
        assert survivor.acquire(timeout=0.5) is False
        doomed.kill()
        doomed.wait(timeout=10)
        killed_at = time.monotonic()
        assert survivor.acquire(timeout=ttl + 5) is True
        assert survivor.acquire(timeout=1) is True, "both of the dead instance's slots came back"
        assert time.monotonic() - killed_at <= ttl + 2
        survivor.release()
        survivor.release()
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait(timeout=10)


def test_two_instances_stay_within_a_jobs_token_budget(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], stub: OpenAIStub
) -> None:
    budget = 200
    tenant = make_tenant()
    agent = register(
        client,
        tenant,
        stub,
        max_tokens=16,
        limits={"max_concurrent_calls": 8, "requests_per_minute": 10_000, "token_budget_per_job": budget},
    )
    tenant_id, job = tenant["tenant"]["id"], f"job_{uuid.uuid4().hex}"
    first, second = Instance(), Instance()
    prompts = {name: [f"Question {name} {i} for the agent?" for i in range(40)] for name in "ab"}
    a, b = run_together(
        lambda: first.run_batch(tenant_id, agent["id"], job, prompts["a"]),
        lambda: second.run_batch(tenant_id, agent["id"], job, prompts["b"]),
    )
    outcomes = a + b
    spent = sum(o.tokens for o in outcomes)
    answered = [o for o in outcomes if o.text is not None]
    refused = [o for o in outcomes if o.error == "the job's token budget for this agent is spent"]
    assert len(answered) + len(refused) == 80 and answered and refused
    per_call = answered[0].tokens
    assert per_call == 13 and {o.tokens for o in answered} == {13}  # 6 prompt words, 7 answer words
    # The bound: a call is refused only when the used tokens reach the budget with nothing in
    # flight anywhere, and a reservation that crosses the budget is one call's; so
    # budget <= spent < budget + one call's reservation (here the reservation is the prompt's
    # bytes, message framing and max_tokens: about 60 tokens for a call that uses 13).
    reservation = first.service.handle(tenant_id, agent["id"]).client.token_bound(prompts["a"][0])
    assert budget <= spent < budget + reservation
    assert spent < budget + per_call, "at most one call crossed the budget"
    assert stub.state.max_in_flight <= 8
    # The shared row holds exactly what was spent, and no lease once both batches ended.
    holdings = HoldingsRepository(deps.storage()).read(f"agent:{tenant_id}:{agent['id']}", f"job:{job}")
    assert holdings.used == spent and holdings.leases == {}
    assert first.usage.job_tokens(tenant_id, agent["id"], job) == spent


def test_a_failed_call_gives_its_reservation_back(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    agent = register(
        client,
        tenant,
        stub,
        max_tokens=16,
        limits={"max_concurrent_calls": 4, "requests_per_minute": 10_000, "token_budget_per_job": 100},
    )
    tenant_id, job = tenant["tenant"]["id"], f"job_{uuid.uuid4().hex}"
    first, second = Instance(), Instance()
    stub.state.fail_next = 5 * 10  # ten calls, five attempts each, all answered 500
    failed = first.run_batch(tenant_id, agent["id"], job, [f"q{i}" for i in range(10)])
    assert all(o.error == "the agent failed after 5 attempts (HTTP 500)" for o in failed)
    assert first.usage.job_tokens(tenant_id, agent["id"], job) == 0
    # Ten reservations of about 40 tokens were taken from a budget of 100 and all came back:
    # the other instance can still spend the whole budget.
    answered = second.run_batch(tenant_id, agent["id"], job, [f"Question {i}?" for i in range(40)])
    spent = sum(o.tokens for o in answered)
    assert 100 <= spent < 100 + 5, [o.tokens for o in answered if o.text]


def test_holdings_drop_expired_leases() -> None:
    """A slot of an expired lease is free again; a reservation of one counts as spent."""
    row = Holdings(used=10, leases={"dead": [5, 100.0], "live": [3, 300.0]}, waiting={"w": 100.0})
    slots = Holdings(**{**row.__dict__, "leases": dict(row.leases)})
    slots.prune(200.0, consumable=False)
    assert slots.leases == {"live": [3, 300.0]} and slots.used == 10 and slots.waiting == {}
    row.prune(200.0, consumable=True)
    assert row.leases == {"live": [3, 300.0]} and row.used == 15
    assert SlotPool.SYNC_SECONDS < 30.0 / 3  # the keeper renews well inside the lease


def test_the_test_call_takes_a_slot_and_says_when_none_is_free(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    stub: OpenAIStub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shared.services import agents as agents_module

    monkeypatch.setattr(agents_module, "TEST_SLOT_WAIT_SECONDS", 0.5)
    tenant = make_tenant()
    agent = register(client, tenant, stub, limits={"max_concurrent_calls": 1})
    path = f"/api/v1/agents/{agent['id']}/test"
    worker = Instance()  # another instance, its one slot taken by a batch
    slots = worker.service.handle(tenant["tenant"]["id"], agent["id"]).slots
    with slots.session():
        assert slots.acquire(timeout=5)
        busy = client.post(path, json={}, headers=tenant["headers"]).json()
        assert busy == {**busy, "ok": False, "error": agents_module.ALL_SLOTS_BUSY}
        slots.release()
    calls = len(stub.state.requests)
    free = client.post(path, json={}, headers=tenant["headers"]).json()
    assert free["ok"] is True and len(stub.state.requests) == calls + 1
