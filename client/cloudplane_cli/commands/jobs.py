"""``cloudplane jobs``: submit (and watch with a progress bar), logs, results, cancel, retry, stats."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from cloudplane_cli import exits
from cloudplane_cli.resources import Area, area_group, operation
from cloudplane_cli.state import RawBody, State, emit, output_option, pass_state, plain, read_document

STATUSES = ("queued", "running", "completed", "completed_with_errors", "failed", "cancelling", "cancelled")

command = area_group(
    "jobs",
    "Asynchronous jobs: submit, watch, logs, results, cancel, retry, statistics.",
    Area(
        tag="jobs",
        noun="job",
        columns=(
            "id",
            "type",
            "name",
            "status",
            "progress.percent",
            "progress.processed",
            "progress.failed",
            "created_at",
        ),
        list="list_jobs",
        get="get_job",
        filters={"status": f"One of: {', '.join(STATUSES)}.", "type_": "Only jobs of this type."},
    ),
)


def _seconds(job: dict[str, Any]) -> float | None:
    from datetime import datetime

    started, ended = job.get("started_at"), job.get("completed_at")
    if not started or not ended:
        return None
    return (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds()


def summary(job: Any) -> dict[str, Any]:
    """The line a person wants when a job ends: status, counts, duration, error, the type's summary."""
    data = plain(job)
    progress = data.get("progress") or {}
    out: dict[str, Any] = {
        "id": data["id"],
        "status": data["status"],
        "processed": progress.get("processed"),
        "failed": progress.get("failed"),
        "total": progress.get("total"),
        "duration_s": _seconds(data),
    }
    if data.get("error"):
        out["error"] = f"{data['error'].get('code')}: {data['error'].get('message')}"
    for key, value in (data.get("summary") or {}).items():
        out[f"summary.{key}"] = value
    return out


def watch(state: State, job_id: str, timeout: float | None, first_delay: float | None = None) -> Any:
    """Wait for the job with a progress bar on stderr: percent, processed, failed, rate and ETA."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    started = time.monotonic()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[processed]} processed, {task.fields[failed]} failed, {task.fields[rate]}/s"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(job_id, total=100.0, processed=0, failed=0, rate="0.0")

        def update(job: Any) -> None:
            progress = job.progress
            done = progress.processed + progress.failed
            rate = done / max(time.monotonic() - started, 1e-6)
            bar.update(
                task,
                completed=progress.percent,
                description=f"{job_id} {job.status}",
                processed=progress.processed,
                failed=progress.failed,
                rate=f"{rate:.1f}",
            )

        return state.client.wait_for_job(job_id, timeout=timeout, on_update=update, first_delay=first_delay)


def finish(state: State, job: Any) -> None:
    emit(state, summary(job) if state.output == "table" else job)
    if str(job.status) != "completed":
        raise click.exceptions.Exit(exits.JOB_NOT_COMPLETED)


@command.command()
@click.argument("file")
@click.option("--wait", is_flag=True, help="Watch the job with a progress bar until it ends, then summarise.")
@click.option("--wait-timeout", type=float, default=None, help="Give up waiting after this many seconds.")
@click.option("--idempotency-key", help="Submitting again with this key and body returns the first job.")
@output_option
@pass_state
def submit(state: State, file: str, wait: bool, wait_timeout: float | None, idempotency_key: str | None) -> None:
    """Submit a job described in a JSON or YAML file: {type, name, configuration}."""
    job, retry_after = submit_job(state, RawBody(read_document(file)), idempotency_key)
    if not wait:
        emit(state, job)
        return
    click.echo(f"Submitted {job.id}.", err=True)
    finish(state, watch(state, job.id, wait_timeout, retry_after))


def submit_job(state: State, body: RawBody, idempotency_key: str | None = None) -> tuple[Any, float | None]:
    """Submit; the job and the answer's ``Retry-After`` (when to look first)."""
    from cloudplane_api.models.job import Job
    from cloudplane_client import parse_retry_after

    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
    response = state.client.request(operation("jobs", "submit_job"), body=body, headers=headers)
    return Job.from_dict(response.json()), parse_retry_after(response.headers.get("Retry-After"))


@command.command("wait")
@click.argument("job_id")
@click.option("--wait-timeout", type=float, default=None, help="Give up after this many seconds.")
@output_option
@pass_state
def wait_(state: State, job_id: str, wait_timeout: float | None) -> None:
    """Watch a job with a progress bar until it ends; exit 7 unless it completed."""
    finish(state, watch(state, job_id, wait_timeout))


@command.command()
@click.argument("job_id")
@output_option
@pass_state
def cancel(state: State, job_id: str) -> None:
    """Cancel a job: a queued one at once, a running one at its next checkpoint."""
    emit(state, state.call(operation("jobs", "cancel_job"), job_id=job_id))


@command.command()
@click.argument("job_id")
@click.option("--all-batches", is_flag=True, help="Run every batch again, not only the failed ones.")
@output_option
@pass_state
def retry(state: State, job_id: str, all_batches: bool) -> None:
    """Run a failed or completed_with_errors job's failed batches again."""
    body = RawBody({"failed_only": not all_batches})
    emit(state, state.call(operation("jobs", "retry_job"), job_id=job_id, body=body))


def _log_line(event: dict[str, Any]) -> str:
    message = event.get("message") or {}
    parts = [f"{event.get('sequence'):>4}", str(message.get("timestamp", "")), str(message.get("message_type", ""))]
    parts.append(str(message.get("status", "")))
    progress = message.get("progress") or {}
    if progress:
        parts.append(
            f"{progress.get('percent', 0):g}% {progress.get('processed', 0)} ok {progress.get('failed', 0)} failed"
        )
    if message.get("error"):
        parts.append(f"{message['error'].get('code')}: {message['error'].get('message')}")
    return "  ".join(parts)


@command.command()
@click.argument("job_id")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new messages until the job ends.")
@output_option
@pass_state
def logs(state: State, job_id: str, follow: bool) -> None:
    """The job's messages in order (one JSON object a line with --output json)."""
    import json

    for event in state.client.iter_logs(job_id, follow=follow):
        if state.output == "table":
            click.echo(_log_line(event))
        else:
            click.echo(json.dumps(event, default=str))


@command.command()
@click.argument("job_id")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False, writable=True), help="Write to FILE (default: stdout)."
)
@pass_state
def results(state: State, job_id: str, fmt: str, out: str | None) -> None:
    """Download a finished job's results, streamed (large results come from a short-lived URL)."""
    chunks = state.client.stream_results(job_id, fmt)
    if out is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    written = 0
    with click.open_file(out, "wb", atomic=True) as handle:
        for chunk in chunks:
            handle.write(chunk)
            written += len(chunk)
    click.echo(f"Wrote {written} bytes to {out}.", err=True)


@command.command()
@click.option("--window-hours", type=click.IntRange(1, 720), default=24, show_default=True)
@output_option
@pass_state
def stats(state: State, window_hours: int) -> None:
    """Jobs by status and type, success rate and run-time percentiles over a window."""
    emit(state, state.call(operation("jobs", "get_job_stats"), window_hours=window_hours))
