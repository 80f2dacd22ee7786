"""``cloudplane keys`` (admin key): a tenant's API keys; secrets are shown once, at creation."""

from __future__ import annotations

import click

from cloudplane_cli.resources import operation
from cloudplane_cli.state import RawBody, State, emit, emit_page, output_option, page_options, paged, pass_state

COLUMNS = ("id", "name", "prefix", "scopes", "created_at", "revoked_at")


@click.group("keys")
def command() -> None:
    """A tenant's API keys (admin key): list, create, revoke."""


@command.command("list")
@click.argument("tenant_id")
@page_options
@output_option
@pass_state
def list_(state: State, tenant_id: str, limit: int, cursor: str | None) -> None:
    """List a tenant's keys (never their secrets)."""
    page = state.call(operation("tenants", "list_api_keys"), **paged(tenant_id=tenant_id, limit=limit, cursor=cursor))
    emit_page(state, page, COLUMNS)


@command.command()
@click.argument("tenant_id")
@click.option("--name", required=True)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(["read", "write"]),
    default=("read", "write"),
    show_default=True,
)
@output_option
@pass_state
def create(state: State, tenant_id: str, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key; its secret is in this output and nowhere else, ever."""
    body = RawBody({"name": name, "scopes": list(scopes)})
    emit(state, state.call(operation("tenants", "create_api_key"), tenant_id=tenant_id, body=body))


@command.command()
@click.argument("tenant_id")
@click.argument("key_id")
@pass_state
def revoke(state: State, tenant_id: str, key_id: str) -> None:
    """Revoke a key: every instance refuses it within seconds."""
    state.call(operation("tenants", "revoke_api_key"), tenant_id=tenant_id, key_id=key_id)
    click.echo(f"Revoked key {key_id}.", err=True)
