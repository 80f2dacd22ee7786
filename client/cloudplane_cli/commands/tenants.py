"""``cloudplane tenants`` (admin key): tenants and their first key."""

from __future__ import annotations

import click

from cloudplane_cli.resources import Area, area_group, operation
from cloudplane_cli.state import RawBody, State, emit, output_option, pass_state

command = area_group(
    "tenants",
    "Tenants (admin key): list, show, create.",
    Area(
        tag="tenants",
        noun="tenant",
        columns=("id", "slug", "name", "created_at"),
        list="list_tenants",
        get="get_tenant",
    ),
)


@command.command()
@click.option("--name", required=True, help="Display name.")
@click.option("--slug", required=True, help="Unique short name (lower case, digits, dashes).")
@output_option
@pass_state
def create(state: State, name: str, slug: str) -> None:
    """Create a tenant and its first API key (the key's secret is shown this once)."""
    created = state.call(operation("tenants", "create_tenant"), body=RawBody({"name": name, "slug": slug}))
    emit(state, created)
    click.echo("The key's secret is shown this once: store it now.", err=True)
