"""``cloudplane migrations``: move records between systems through connections (``migration`` jobs)."""

from __future__ import annotations

from typing import Any

import click

from cloudplane_cli.resources import operation
from cloudplane_cli.state import RawBody, State, emit, emit_page, output_option, page_options, paged, pass_state

COLUMNS = ("id", "name", "status", "progress.percent", "progress.processed", "progress.failed", "created_at")


@click.group("migrations")
def command() -> None:
    """Migrations between systems (jobs of type `migration`): start, list; `jobs` does the rest."""


@command.command("list")
@page_options
@output_option
@pass_state
def list_(state: State, limit: int, cursor: str | None) -> None:
    """List migration jobs, newest first."""
    page = state.call(operation("jobs", "list_jobs"), **paged(type_="migration", limit=limit, cursor=cursor))
    emit_page(state, page, COLUMNS)


@command.command()
@click.option("--source", "source_id", required=True, help="The source connection's id.")
@click.option("--target", "target_id", required=True, help="The target connection's id.")
@click.option("--source-system", default="affinity", show_default=True)
@click.option("--target-system", default="attio", show_default=True)
@click.option("--object", "objects", multiple=True, help="What to move (repeat); default: the job type's.")
@click.option("--batch-size", type=click.IntRange(1), default=None)
@click.option("--dry-run", is_flag=True, help="Read and map, write nothing.")
@click.option("--name", default="Migration", show_default=True)
@click.option("--wait", is_flag=True, help="Watch with a progress bar until it ends, then summarise.")
@click.option("--wait-timeout", type=float, default=None)
@output_option
@pass_state
def start(
    state: State,
    source_id: str,
    target_id: str,
    source_system: str,
    target_system: str,
    objects: tuple[str, ...],
    batch_size: int | None,
    dry_run: bool,
    name: str,
    wait: bool,
    wait_timeout: float | None,
) -> None:
    """Start a migration from one connection to another."""
    from cloudplane_cli.commands.jobs import finish, submit_job, watch

    configuration: dict[str, Any] = {
        "source_system": source_system,
        "target_system": target_system,
        "source_config": {"connection_id": source_id},
        "target_config": {"connection_id": target_id},
        "dry_run": dry_run,
    }
    if objects:
        configuration["objects"] = list(objects)
    if batch_size is not None:
        configuration["batch_size"] = batch_size
    body = RawBody({"type": "migration", "name": name, "configuration": configuration})
    job, retry_after = submit_job(state, body)
    if not wait:
        emit(state, job)
        return
    click.echo(f"Submitted {job.id}.", err=True)
    finish(state, watch(state, job.id, wait_timeout, retry_after))
