"""``cloudplane datasets``: upload CSV or JSON Lines files (with a progress bar), list, delete."""

from __future__ import annotations

import os
from pathlib import Path

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
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="A name to find it by (default: the file name).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@output_option
@pass_state
def upload(state: State, file: Path, name: str | None, progress: bool) -> None:
    """Upload a .csv, .jsonl or .ndjson file as a dataset."""
    content_type = CONTENT_TYPES.get(file.suffix.lower())
    if content_type is None:
        raise click.BadParameter("the file must end in .csv, .jsonl or .ndjson", param_hint="FILE")
    size = os.path.getsize(file)
    client = state.client
    with file.open("rb") as handle:
        if not progress:
            dataset = client.upload_dataset(handle, content_type=content_type, name=name, filename=file.name)
        else:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

            columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
            with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
                task = bar.add_task(f"upload {file.name}", total=size)
                dataset = client.upload_dataset(
                    handle,
                    content_type=content_type,
                    name=name,
                    filename=file.name,
                    on_progress=lambda sent: bar.advance(task, sent),
                )
    emit(state, dataset)
