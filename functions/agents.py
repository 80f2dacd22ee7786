"""Agents (tenant keys): OpenAI-compatible chat endpoints that answer bulk_evaluation rows and grade them."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.agents import Agent, AgentBody, AgentPatch, AgentTestBody, AgentTestResult
from shared.models.common import Page, PageQuery

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/agents",
    summary="Register an agent",
    tag="agents",
    body=AgentBody,
    response=Agent,
    status=201,
    errors=(409, 422, 503),
)
def create_agent(ctx: RequestContext) -> Agent:
    """The API key is encrypted at rest and never returned (``has_api_key`` says whether one is set).
    The endpoint follows the address rules of server endpoints. ``default: true`` makes it the agent
    of jobs whose ``selected_agent_id`` is null (and clears the flag on the previous default)."""
    return deps.agents_service().create(ctx.caller.require_tenant().id, ctx.body)


@endpoint(bp, "GET", "v1/agents", summary="List agents", tag="agents", query=PageQuery, response=Page[Agent])
def list_agents(ctx: RequestContext) -> Page[Agent]:
    return deps.agents_service().page(ctx.caller.require_tenant().id, ctx.query)


@endpoint(bp, "GET", "v1/agents/{agent_id}", summary="Get an agent", tag="agents", response=Agent, errors=(404,))
def get_agent(ctx: RequestContext) -> Agent:
    return deps.agents_service().get(ctx.caller.require_tenant().id, ctx.path["agent_id"])


@endpoint(
    bp,
    "PATCH",
    "v1/agents/{agent_id}",
    summary="Change some of an agent's fields",
    tag="agents",
    body=AgentPatch,
    response=Agent,
    errors=(404, 409, 422, 503),
)
def patch_agent(ctx: RequestContext) -> Agent:
    """Fields left out keep their value; ``api_key: null`` removes the key, a new value replaces it."""
    return deps.agents_service().update(ctx.caller.require_tenant().id, ctx.path["agent_id"], ctx.body)


@endpoint(bp, "DELETE", "v1/agents/{agent_id}", summary="Delete an agent", tag="agents", status=204, errors=(404,))
def delete_agent(ctx: RequestContext) -> None:
    deps.agents_service().delete(ctx.caller.require_tenant().id, ctx.path["agent_id"])


@endpoint(
    bp,
    "POST",
    "v1/agents/{agent_id}/test",
    summary="Call an agent once",
    tag="agents",
    body=AgentTestBody,
    response=AgentTestResult,
    errors=(404, 422, 503),
)
def test_agent(ctx: RequestContext) -> AgentTestResult:
    """One call without retries, within the agent's limits. A failing agent is a 200 with ``ok: false``
    and the reason (its status, never its body)."""
    return deps.agents_service().test(ctx.caller.require_tenant().id, ctx.path["agent_id"], ctx.body)
