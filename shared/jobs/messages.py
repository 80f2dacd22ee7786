"""The JobMessage: the contract of the ``job-events`` queue, as typed Pydantic models.

The JSON Schema next to this file (``job-message.schema.json``) is the published
contract, the one other languages and tools read; these models mirror it so Python code
gets types without a second, drifting definition (``tests/contract`` checks they agree).
Where the two could disagree on odd input (Pydantic's lax coercion of ``"5"`` to ``5``),
the schema wins: ``decode`` checks it before building a model.

``jsonschema`` is a development dependency, imported only when a message is checked
against the schema, so that importing this module costs the Functions host nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, field_validator, model_validator

from shared.models.base import ApiModel
from shared.models.jobs import JobStatus as JobStatus  # the one vocabulary, re-exported for the contract

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SCHEMA_PATH = Path(__file__).with_name("job-message.schema.json")

# Azure Storage queues refuse a message over 64 KiB, measured on the text they store; the
# Functions host expects that text base64-encoded, so the limit bounds the base64 form.
QUEUE_MESSAGE_LIMIT = 64 * 1024


class MessageType(StrEnum):
    """The lifecycle step a message announces."""

    JOB_CREATED = "job_created"
    JOB_STARTED = "job_started"
    JOB_PROGRESS = "job_progress"
    JOB_COMPLETED = "job_completed"
    JOB_FAILED = "job_failed"
    JOB_CANCELLED = "job_cancelled"


# The job status a message type may carry: the schema's if/then rules, in Python. A message
# whose type and status disagree would let two consumers draw different conclusions.
_STATUSES_OF: Mapping[MessageType, frozenset[JobStatus]] = {
    MessageType.JOB_CREATED: frozenset({JobStatus.QUEUED}),
    # queued: a retry that restarts the whole job announces itself before the job runs again.
    MessageType.JOB_STARTED: frozenset({JobStatus.RUNNING, JobStatus.QUEUED}),
    MessageType.JOB_PROGRESS: frozenset({JobStatus.RUNNING, JobStatus.CANCELLING}),
    MessageType.JOB_COMPLETED: frozenset({JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_ERRORS}),
    MessageType.JOB_FAILED: frozenset({JobStatus.FAILED}),
    MessageType.JOB_CANCELLED: frozenset({JobStatus.CANCELLED}),
}


def _not_all_zero(trace_id: str) -> str:
    # W3C trace context declares the all-zero trace id invalid. A separate check rather than a
    # look-ahead in the pattern, because Pydantic's Rust regex engine has no look-around.
    if trace_id == "0" * 32:
        raise ValueError("the all-zero trace id is invalid")
    return trace_id


def _is_none(value: object) -> bool:
    return value is None


# Ids end up as Table storage keys and in log lines, so they keep to a safe alphabet.
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]
SnakeName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
# Dots and hyphens let job types be namespaced, e.g. "diagnostics.echo".
JobTypeName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]{0,99}$")]
TraceId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$"), AfterValidator(_not_all_zero)]


class Progress(ApiModel):
    """How far a job has got; ``total`` stays null until the job has counted its items."""

    model_config = ConfigDict(extra="forbid")

    percent: float = Field(ge=0, le=100)
    processed: int = Field(0, ge=0, description="Items done, including failed ones.")
    failed: int = Field(0, ge=0, description="Items that could not be processed.")
    total: int | None = Field(None, ge=0, description="Items in the job; null until known.")
    message: str | None = None


class JobError(ApiModel):
    """Why a job failed, in the same shape as the API's error body so clients learn one format."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", examples=["DATA_SOURCE_NOT_FOUND"])
    message: str = Field(min_length=1)
    details: dict[str, Any] = Field(default_factory=dict)


class BlobReference(ApiModel):
    """A claim-check: the message names the blob instead of carrying data over the queue limit."""

    model_config = ConfigDict(extra="forbid")

    blob_id: Identifier
    storage_account: str = Field(pattern=r"^[a-z0-9]{3,24}$")
    container: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
    blob_name: str = Field(min_length=1, max_length=1024)
    content_type: str = Field(min_length=1)
    size_bytes: int = Field(ge=0)
    # A plain string, not AnyUrl: AnyUrl re-renders URLs (e.g. adds a trailing slash), which
    # would break a SAS signature computed over the exact text.
    access_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="Short-lived read-only SAS URL, for consumers that cannot use their own identity.",
    )
    purpose: SnakeName


class JobMessage(ApiModel):
    """One step of one job, as published on the ``job-events`` queue.

    Build ``message_id`` from the step (e.g. ``f"{job_id}:{sequence}"``), not at random, so
    that a retried step republishes the same id and consumers' de-duplication absorbs it.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["1.0"] = "1.0"
    message_id: Identifier
    message_type: MessageType
    job_id: Identifier
    tenant_id: Identifier
    job_type: JobTypeName
    sequence: int = Field(ge=0, description="Order of this job's messages; queues do not keep it.")
    trace_id: TraceId
    timestamp: AwareDatetime
    status: JobStatus
    # The schema lets progress and payload be absent but never null: None here means absent,
    # so it is left out when encoding and refused when a sender writes it explicitly.
    progress: Progress | None = Field(None, exclude_if=_is_none)
    payload: dict[str, Any] | None = Field(None, exclude_if=_is_none)
    error: JobError | None = None
    blob_references: list[BlobReference] = Field(default_factory=list)

    @field_validator("progress", "payload", mode="before")
    @classmethod
    def _absent_rather_than_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("omit the field instead of sending null")
        return value

    @model_validator(mode="after")
    def _consistent_with_type(self) -> JobMessage:
        if self.status not in _STATUSES_OF[self.message_type]:
            allowed = ", ".join(sorted(_STATUSES_OF[self.message_type]))
            raise ValueError(f"a {self.message_type} message must carry status {allowed}, not {self.status}")
        if self.message_type is MessageType.JOB_FAILED and self.error is None:
            raise ValueError("a job_failed message must carry an error")
        if self.message_type is MessageType.JOB_PROGRESS and self.progress is None:
            raise ValueError("a job_progress message must carry progress")
        return self


@cache
def load_schema() -> dict[str, Any]:
    """The published JSON Schema, read once per process. Shared: do not mutate it."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator

    # Format checking on: without it "date-time" is only an annotation and any string passes.
    validator: Validator = Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return validator


def validate_message(data: dict[str, Any]) -> None:
    """Check decoded JSON against the published schema; raises ``jsonschema.ValidationError``.

    The schema, not the Pydantic model, is what other producers and consumers agree on, so
    this is the check that decides whether a message is valid.
    """
    _validator().validate(data)


def encode(message: JobMessage) -> str:
    """The message as compact JSON text, ready for base64 and the queue (see ``fits_in_queue``)."""
    return message.model_dump_json()


def decode(text: str) -> JobMessage:
    """Read a message off the queue: the schema first (it is the contract), then the model.

    Raises ``jsonschema.ValidationError`` for a message that breaks the contract and
    ``json.JSONDecodeError`` for one that is not JSON.
    """
    data = json.loads(text)
    validate_message(data)
    return JobMessage.model_validate(data)


def _base64_size(text: str) -> int:
    # base64 turns every started group of 3 bytes into 4 characters, padding included.
    return 4 * ((len(text.encode("utf-8")) + 2) // 3)


def fits_in_queue(text: str) -> bool:
    """Whether ``text`` fits in one queue message once base64-encoded.

    A message that does not fit must move its bulk to a blob (``blob_references``); it is
    never truncated.
    """
    return _base64_size(text) <= QUEUE_MESSAGE_LIMIT
