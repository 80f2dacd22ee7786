"""``cloudplane agents``: chat endpoints that answer bulk-evaluation rows."""

from __future__ import annotations

import click

from cloudplane_cli.resources import Area, area_group, operation
from cloudplane_cli.state import RawBody, State, emit, output_option, pass_state

command = area_group(
    "agents",
    "Agents: OpenAI-compatible chat endpoints for bulk evaluation.",
    Area(
        tag="agents",
        noun="agent",
        columns=("id", "name", "kind", "model", "default", "created_at"),
        list="list_agents",
        get="get_agent",
        create="create_agent",
        update="patch_agent",
        delete="delete_agent",
    ),
)


@command.command()
@click.argument("agent_id")
@click.option("--prompt", default="Say ok.", show_default=True)
@output_option
@pass_state
def test(state: State, agent_id: str, prompt: str) -> None:
    """Send one prompt to the agent and show its answer or the reason it failed."""
    result = state.call(operation("agents", "test_agent"), agent_id=agent_id, body=RawBody({"prompt": prompt}))
    emit(state, result)
    if not getattr(result, "ok", True):
        raise click.exceptions.Exit(1)
