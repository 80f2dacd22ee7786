"""``cloudplane datasets``: upload CSV or JSON Lines files (with a progress bar), list, delete."""

from __future__ import annotations

import os

import click

from cloudplane_cli.resources import Area, area_group
from cloudplane_cli.state import State, emit, output_option, pass_state

command = area_group(
    "datasets",
    "Datasets for bulk evaluation: upload, list, show, delete.",
    Area(
        tag="datasets",
        noun="dataset",
        columns=("id", "name", "filename", "format", "row_count", "size_bytes", "created_at"),
        list="list_datasets",
        get="get_dataset",
        delete="delete_dataset",
    ),
)

CONTENT_TYPES = {".csv": "text/csv", ".jsonl": "application/x-ndjson", ".ndjson": "application/x-ndjson"}


@command.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", help="A name to find it by (default: the file name).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@output_option
@pass_state
def upload(state: State, file: str, name: str | None, progress: bool) -> None:
    """Upload a .csv, .jsonl or .ndjson file as a dataset."""
    filename = os.path.basename(file)
    content_type = CONTENT_TYPES.get(os.path.splitext(filename)[1].lower())
    if content_type is None:
        raise click.BadParameter("the file must end in .csv, .jsonl or .ndjson", param_hint="FILE")
    size = os.path.getsize(file)
    client = state.client
    with open(file, "rb") as handle:
        if not progress:
            dataset = client.upload_dataset(handle, content_type=content_type, name=name, filename=filename)
        else:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

            columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
            with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
                task = bar.add_task(f"upload {filename}", total=size)
                dataset = client.upload_dataset(
                    handle,
                    content_type=content_type,
                    name=name,
                    filename=filename,
                    on_progress=lambda sent: bar.advance(task, sent),
                )
    emit(state, dataset)
