"""Job types: a Pydantic configuration model plus the handler functions the engine calls.

The engine knows no job type by name; each type registers itself here and the engine
only ever looks types up. A type splits its work into batches small enough to finish
well inside one invocation, runs one batch at a time, and folds the batches' small
states into a summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel


@dataclass
class BatchOutcome:
    """What one batch did: counts, a small mergeable state, and the rows it produced."""

    processed: int
    failed: int
    state: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


class Waiting(Exception):
    """Raised by ``run_batch`` when its batch waits on something outside the app (an OpenStack
    server reaching a state): the engine saves ``progress`` with the batch, shows ``message`` as
    the job's, and runs the batch again after ``after`` seconds, from a work message sent with
    that visibility delay. No worker waits meanwhile, and the batch is not counted.

    Only the newest re-check of a batch runs (each wait numbers the next one, and a delivery
    carrying an older number is dropped), so a duplicate delivery cannot start a second chain
    of re-checks. A run that did something outside should say so in ``progress`` before
    raising, so that the next run (which sees it as ``BatchContext.progress``) does not do it
    again; the handler owns any deadline (keep it in ``progress``).
    """

    def __init__(self, after: float, progress: dict[str, Any], message: str = "") -> None:
        super().__init__(message or "waiting")
        self.after = after
        self.progress = progress
        self.message = message


class BatchFailed(Exception):
    """Raised by ``run_batch`` when its batch failed for good, for a reason worth showing (an
    OpenStack fault): the batch is recorded failed at once, without the queue's retries, and a
    job whose only batch failed this way fails with this error (``code``, ``message``,
    ``details``) instead of the engine's generic one."""

    def __init__(
        self, code: str, message: str, details: dict[str, Any] | None = None, rows: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.rows = rows or []


class BatchContext(Protocol):
    """What a handler may ask of the engine while it runs a batch."""

    tenant_id: str
    job_id: str
    batch_index: int
    trace_id: str
    attempt: int
    """This delivery's dequeue count (1 on the first run)."""
    round: int
    """How many times the job was retried (0 on the first run)."""
    progress: dict[str, Any]
    """What this batch's last ``Waiting`` saved ({} on its first run)."""

    def cancelled(self) -> bool:
        """True once the job was asked to stop: return at the next checkpoint."""
        ...

    def log(self, message: str) -> None: ...


@dataclass(frozen=True)
class JobType:
    name: str
    description: str
    config_model: type[BaseModel]
    plan: Callable[[str, BaseModel], list[dict[str, Any]]]
    """(tenant_id, configuration) -> one small dict per batch, run in order of index."""
    run_batch: Callable[[BatchContext, BaseModel, dict[str, Any]], BatchOutcome]
    summarize: Callable[[list[dict[str, Any]]], dict[str, Any]]
    """The states of every finished batch -> the job's summary."""
    result_columns: tuple[str, ...]
    """The CSV columns of a result row (nested values are written as JSON)."""
    validate: Callable[[str, BaseModel], None] | None = None
    """Checks that need storage (e.g. that a dataset exists); raise an DomainError."""
    inline: Callable[[BaseModel], bool] | None = None
    """True when a job of this configuration that plans a single batch is quick enough to run
    inside its start step: the job then costs one work message and one transaction instead
    of a fan-out (the status stays ``queued`` while it runs, so keep it to a second or so)."""


_TYPES: dict[str, JobType] = {}


def register(job_type: JobType) -> JobType:
    if job_type.name in _TYPES and _TYPES[job_type.name] is not job_type:
        raise ValueError(f"job type {job_type.name!r} registered twice")
    _TYPES[job_type.name] = job_type
    return job_type


def get(name: str) -> JobType | None:
    return _TYPES.get(name)


def names() -> list[str]:
    return sorted(_TYPES)
