"""Jobs as the API shows them (seed 002 and 003)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel
from shared.models.common import PageQuery

JOB_STATUSES = ("queued", "running", "completed", "completed_with_errors", "failed", "cancelling", "cancelled")
TERMINAL = frozenset({"completed", "completed_with_errors", "failed", "cancelled"})


class JobCreate(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    type: str = Field(min_length=1, max_length=100, examples=["bulk_evaluation"])
    name: str = Field(min_length=1, max_length=200, examples=["Financial Analysis Evaluation"])
    description: str | None = Field(None, max_length=2000)
    configuration: dict[str, Any] = Field(default_factory=dict, description="Validated by the job type's model.")


class JobProgress(ApiModel):
    percent: float = Field(ge=0, le=100)
    processed: int = Field(ge=0)
    failed: int = Field(ge=0)
    total: int | None = Field(None, ge=0)
    message: str | None = None


class JobErrorInfo(ApiModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class JobLinks(ApiModel):
    self: str
    results: str
    logs: str
    cancel: str


class Job(ApiModel):
    id: str
    type: str
    name: str
    description: str | None
    status: Literal["queued", "running", "completed", "completed_with_errors", "failed", "cancelling", "cancelled"]
    configuration: dict[str, Any]
    progress: JobProgress
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    error: JobErrorInfo | None
    summary: dict[str, Any] | None = Field(None, description="The job type's summary once finished.")
    links: JobLinks


class JobListQuery(PageQuery):
    status: (
        Literal["queued", "running", "completed", "completed_with_errors", "failed", "cancelling", "cancelled"] | None
    ) = None
    type: str | None = Field(None, max_length=100)
    created_after: datetime | None = None
    created_before: datetime | None = None


class RetryRequest(ApiModel):
    model_config = ConfigDict(extra="forbid")

    failed_only: bool = Field(True, description="Re-run only the failed batches (else every batch).")


class ResultsQuery(ApiModel):
    format: Literal["json", "csv"] = "json"


class JobEvent(ApiModel):
    """One JobMessage sent for the job, as its log shows it."""

    sequence: int
    message: dict[str, Any]


class StatsQuery(ApiModel):
    window_hours: int = Field(24, ge=1, le=720, description="How many hours back from now (1 to 720).")


class DurationPercentiles(ApiModel):
    """Run time (completed_at - started_at) of finished jobs, in seconds, from a log-scale histogram
    (about +-20%); null when no finished job in the window has a start time."""

    p50: float | None
    p90: float | None
    p99: float | None


class JobStats(ApiModel):
    """The tenant's jobs over a window. Terminal counts are by the hour the job ended (the first hour
    of the window is counted whole); queued, running and cancelling counts are jobs created in the
    window that are still in that state. ``success_rate`` is completed / finished, where finished =
    completed + completed_with_errors + failed (cancelled jobs are left out); null when none finished.
    A retried job that ends again is counted again under its new status."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    window_hours: int
    from_: datetime = Field(alias="from")
    to: datetime
    total: int
    by_status: dict[str, int]
    by_type: dict[str, dict[str, int]]
    success_rate: float | None
    duration_seconds: DurationPercentiles
