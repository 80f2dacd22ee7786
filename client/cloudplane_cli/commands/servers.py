"""``cloudplane servers``: Kubernetes clusters (kubeconfig sealed at rest), their tests and GPU usage."""

from __future__ import annotations

import click

from cloudplane_cli.resources import Area, area_group, operation
from cloudplane_cli.state import State, emit, output_option, pass_state

command = area_group(
    "servers",
    "Kubernetes servers (clusters): register, test, usage.",
    Area(
        tag="servers",
        noun="server",
        columns=("id", "name", "api_url", "namespace", "created_at"),
        list="list_servers",
        get="get_server",
        create="create_server",
        update="patch_server",
        delete="delete_server",
        test="run_server_test",
    ),
)


@command.command()
@click.argument("server_id")
@output_option
@pass_state
def usage(state: State, server_id: str) -> None:
    """Capacity, allocated and free resources (GPUs, CPU, memory) of a server."""
    emit(state, state.call(operation("servers", "get_server_usage"), server_id=server_id))
