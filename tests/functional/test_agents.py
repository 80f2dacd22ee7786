"""Agents: the API, and bulk_evaluation rows answered and graded by an agent (a local OpenAI-compatible stub)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.functional.test_bulk_evaluation import run, submit, upload
from tests.functional.test_jobs import drain
from tests.support.inprocess import InProcessClient
from tests.support.openai_stub import OpenAIStub

Tenant = dict[str, Any]
pytestmark = pytest.mark.usefixtures("cluster_settings")


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    with OpenAIStub() as server:
        yield server


def register(client: InProcessClient, tenant: Tenant, stub: OpenAIStub, **fields: Any) -> dict[str, Any]:
    body = {"name": "helper", "endpoint": stub.url + "/v1", "model": "gpt-test", "api_key": "sk-test-key", **fields}
    reply = client.post("/api/v1/agents", json=body, headers=tenant["headers"])
    assert reply.status == 201, reply.body
    agent: dict[str, Any] = reply.json()
    return agent


def test_agent_lifecycle_and_the_key_never_comes_back(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub
) -> None:
    tenant, other = make_tenant(), make_tenant()
    agent = register(client, tenant, stub, system_prompt="Be brief.", temperature=0.2)
    assert agent["has_api_key"] is True and "api_key" not in agent and agent["default"] is False
    assert agent["limits"] == {
        "max_concurrent_calls": 4,
        "requests_per_minute": 60,
        "tokens_per_minute": None,
        "token_budget_per_job": None,
    }
    headers = tenant["headers"]
    path = f"/api/v1/agents/{agent['id']}"
    assert client.get(path, headers=headers).json() == agent
    assert client.get(path, headers=other["headers"]).status == 404
    assert [a["id"] for a in client.get("/api/v1/agents", headers=headers).json()["items"]] == [agent["id"]]
    stored = deps.agents().table.get_entity(f"tenant:{tenant['tenant']['id']}", f"a:{agent['id']}")
    assert "sk-test-key" not in json.dumps({k: str(v) for k, v in stored.items()})

    tested = client.post(f"{path}/test", json={"prompt": "ping"}, headers=headers)
    assert tested.status == 200 and tested.json()["ok"] is True and tested.json()["reply"] == "echo: ping"
    call = stub.state.requests[-1]
    assert call.headers["Authorization"] == "Bearer sk-test-key" and call.body["temperature"] == 0.2
    assert call.body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "ping"},
    ]

    patched = client.patch(path, json={"api_key": "sk-wrong", "default": True}, headers=headers)
    assert patched.status == 200 and patched.json()["default"] is True
    failing = client.post(f"{path}/test", json={}, headers=headers).json()
    assert failing["ok"] is False and failing["error"] == "the agent answered HTTP 401"
    assert "sk-wrong" not in json.dumps(failing)

    assert client.patch(path, json={"api_key": None}, headers=headers).json()["has_api_key"] is False
    assert client.delete(path, headers=headers).status == 204
    assert client.get(path, headers=headers).status == 404


def test_refused_agents(client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub) -> None:
    tenant = make_tenant()
    headers = tenant["headers"]
    metadata = client.post(
        "/api/v1/agents",
        json={"name": "m", "endpoint": "http://169.254.169.254/v1", "model": "x"},
        headers=headers,
    )
    assert metadata.status == 422 and metadata.json()["error"]["code"] == "ENDPOINT_NOT_ALLOWED"
    assert "169.254" not in metadata.body.decode()
    azure = client.post(
        "/api/v1/agents",
        json={"name": "a", "kind": "azure_openai", "endpoint": stub.url, "model": "d"},
        headers=headers,
    )
    assert azure.status == 422 and azure.json()["error"]["details"]["fields"][0]["path"] == "body.api_version"
    register(client, tenant, stub)
    again = client.post(
        "/api/v1/agents", json={"name": "HELPER", "endpoint": stub.url + "/v1", "model": "x"}, headers=headers
    )
    assert again.status == 409 and again.json()["error"]["code"] == "AGENT_NAME_TAKEN"


QUESTIONS = (
    b"id,question,expected\n"
    b"q1,Capital of France?,echo: Capital of France? Answer briefly.\n"
    b"q2,Largest planet?,Jupiter\n"
)


def test_rows_without_response_are_answered_by_the_selected_agent(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    agent = register(client, tenant, stub, system_prompt="You answer quizzes.")
    dataset = upload(client, tenant, QUESTIONS)
    stub.state.rate_limit_next = 1  # the first call is told to slow down: retried, not failed
    job = run(
        client,
        tenant,
        data_source=dataset["id"],
        prompt_template="{question}",
        additional_instructions="Answer briefly.",
        selected_agent_id=agent["id"],
        evaluation_criteria={"custom_evaluators": ["exact"], "similarity_threshold": 1.0},
    )
    assert job["status"] == "completed", job
    rows = {
        r["id"]: r for r in client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    }
    assert rows["q1"]["response"] == "echo: Capital of France?\n\nAnswer briefly." and rows["q1"]["passed"] is True
    assert rows["q2"]["response"] == "echo: Largest planet?\n\nAnswer briefly." and rows["q2"]["passed"] is False
    # prompt words (system 3 + user 5 or 4) + completion words (6 or 5), per the stub's counting
    assert rows["q1"]["tokens"] == 14 and rows["q2"]["tokens"] == 12
    assert job["summary"]["tokens_used"] == 26 and job["summary"]["agent_calls"] == 2
    chats = [r for r in stub.state.requests if r.path == "/v1/chat/completions"]
    assert len(chats) == 3, "two rows, one of them retried after a 429"
    assert all(r.body["messages"][0] == {"role": "system", "content": "You answer quizzes."} for r in chats)


def test_default_agent_knowledge_context_and_failing_rows(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    dataset = upload(client, tenant, QUESTIONS)
    refused = submit(client, tenant, data_source=dataset["id"], prompt_template="{question}")
    assert refused.status == 422 and refused.json()["error"]["code"] == "NO_DEFAULT_AGENT"

    register(client, tenant, stub, default=True, limits={"max_concurrent_calls": 1})
    knowledge = upload(
        client,
        tenant,
        b"id,topic,expected\nk1,Paris is the capital of France,x\nk2,Jupiter is the largest planet,y\n",
    )
    stub.state.fail_next = 5  # the first row's call fails all five attempts
    job = run(
        client,
        tenant,
        data_source=dataset["id"],
        prompt_template="{question}",
        knowledge_source=knowledge["id"],
        evaluation_criteria={"custom_evaluators": ["token_f1"]},
    )
    assert job["status"] == "completed_with_errors", job
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert rows[0]["error"] == "row 1: agent call failed: the agent failed after 5 attempts (HTTP 500)"
    assert rows[1]["error"] is None and rows[1]["response"] == "echo: Largest planet?"
    answered = [r for r in stub.state.requests if r.path == "/v1/chat/completions"][-1]
    context = answered.body["messages"][0]["content"]
    assert context.startswith("Context:\n") and context.index("Jupiter") < context.index("Paris")


def test_llm_judge_scores_strictly_and_token_budget_stops_calls(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    agent = register(client, tenant, stub, limits={"token_budget_per_job": 1})
    dataset = upload(client, tenant, b"id,question,response,expected\na,q,yes,yes\nb,q,no,yes\n")
    criteria = {
        "custom_evaluators": ["llm_judge", "exact"],
        "evaluator_settings": {
            "llm_judge": {"rubric": "1 if the response means the expected answer", "agent_id": agent["id"]}
        },
        "similarity_threshold": 0.5,
    }
    job = run(client, tenant, data_source=dataset["id"], evaluation_criteria=criteria)
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    graded = [r for r in rows if r["error"] is None]
    spent = [r for r in rows if r["error"] is not None]
    assert len(graded) == 1 and len(spent) == 1, "a budget of 1 token allows exactly one call"
    assert graded[0]["scores"]["llm_judge"] == 0.75
    assert spent[0]["error"] == "llm_judge: judge: the job's token budget for this agent is spent"
    judge_call = next(r for r in stub.state.requests if r.path == "/v1/chat/completions")
    assert judge_call.body["messages"][0]["content"].startswith("GRADE")

    stub.state.grade_reply = "I would say 0.8"
    lenient = register(client, tenant, stub, name="judge2")
    criteria["evaluator_settings"]["llm_judge"]["agent_id"] = lenient["id"]  # type: ignore[index]
    job = run(client, tenant, data_source=dataset["id"], evaluation_criteria=criteria)
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert [r["error"] for r in rows] == ["llm_judge: the judge's answer is not a score"] * 2

    missing = submit(
        client,
        tenant,
        data_source=dataset["id"],
        evaluation_criteria={**criteria, "evaluator_settings": {"llm_judge": {"rubric": "r", "agent_id": "agt_gone"}}},
    )
    assert missing.status == 422 and missing.json()["error"]["code"] == "AGENT_NOT_FOUND"
    drain(limit=100)


def test_requests_per_minute_are_shared_and_the_test_call_does_not_wait(
    client: InProcessClient, make_tenant: Callable[..., Tenant], stub: OpenAIStub
) -> None:
    tenant = make_tenant()
    agent = register(client, tenant, stub, limits={"requests_per_minute": 2})
    path = f"/api/v1/agents/{agent['id']}/test"
    results = [client.post(path, json={}, headers=tenant["headers"]).json() for _ in range(3)]
    if results[2]["ok"]:  # the minute turned between the calls: a fresh window, try once more
        results = [client.post(path, json={}, headers=tenant["headers"]).json() for _ in range(3)]
    assert [r["ok"] for r in results].count(False) >= 1
    refused = next(r for r in results if not r["ok"])
    assert refused["error"] == "the agent's requests or tokens per minute are used up; try again next minute"
    assert len(stub.state.requests) <= 4
