"""``cloudplane me``: who the current profile's key acts as."""

from __future__ import annotations

import click

from cloudplane_cli.resources import operation
from cloudplane_cli.state import State, emit, output_option, pass_state


@click.command("me")
@output_option
@pass_state
def command(state: State) -> None:
    """Show the key's tenant, key id, scopes and whether it is the admin key."""
    emit(state, state.call(operation("tenants", "get_me")))
