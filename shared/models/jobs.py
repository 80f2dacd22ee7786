"""Jobs as the API shows them (seed 002 and 003)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from shared.models.base import ApiModel
from shared.models.common import PageQuery

EARLIEST_JOB_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""No job is older: job ids encode milliseconds since this instant, so an earlier bound has no RowKey."""


class JobStatus(StrEnum):
    """``queued -> running -> completed | completed_with_errors | failed``; ``cancelling -> cancelled``.

    The one status vocabulary: the API, the JobMessages, the engine, the sweeper and the
    statistics all use these members and the sets below, never the strings. ``TERMINAL`` holds
    the statuses a job never leaves (the sweep and cancel need to know), ``ACTIVE`` the others,
    ``FINISHED`` the terminal ones that have results.
    """

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    COMPLETED_WITH_ERRORS = "completed_with_errors"
    FAILED = "failed"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"

    # Annotated without a value, so Enum does not make it a member; set below the class.
    TERMINAL: ClassVar[frozenset[JobStatus]]

    @property
    def is_terminal(self) -> bool:
        return self in JobStatus.TERMINAL


TERMINAL = JobStatus.TERMINAL = frozenset(
    {JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS, JobStatus.FAILED, JobStatus.CANCELLED}
)
ACTIVE = frozenset(set(JobStatus) - TERMINAL)
FINISHED = frozenset({JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS, JobStatus.FAILED})
"""Terminal with results: a cancelled job has none."""
RETRYABLE = frozenset({JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS})
JOB_STATUSES: tuple[JobStatus, ...] = tuple(JobStatus)


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
    status: JobStatus
    configuration: dict[str, Any]
    progress: JobProgress
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    error: JobErrorInfo | None
    summary: dict[str, Any] | None = Field(None, description="The job type's summary once finished.")
    links: JobLinks


class JobListQuery(PageQuery):
    status: JobStatus | None = None
    type: str | None = Field(None, max_length=100)
    created_after: datetime | None = Field(None, description="Only jobs created after this instant (UTC if no offset).")
    created_before: datetime | None = Field(
        None, description="Only jobs created before this instant (UTC if no offset)."
    )

    @field_validator("created_after", "created_before")
    @classmethod
    def _in_job_time(cls, value: datetime | None) -> datetime | None:
        """Aware and in UTC; a time without an offset is UTC (the API's times are all UTC).

        A bound before 1970 is refused rather than answered: job ids order by milliseconds since
        1970, so an earlier bound would give a negative clock and a wrong RowKey range, and no job
        can be that old anyway. A bound past year 9999 in UTC (a far offset) cannot be represented.
        """
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)
        if value < EARLIEST_JOB_TIME:
            raise PydanticCustomError("datetime_too_early", "must not be before 1970-01-01T00:00:00Z")
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise PydanticCustomError("datetime_too_late", "must be before year 10000 in UTC") from None

    @field_validator("created_before")
    @classmethod
    def _after_not_past_before(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        after = info.data.get("created_after")
        if value is not None and after is not None and after > value:
            raise PydanticCustomError("datetime_range", "must not be earlier than created_after")
        return value


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
