"""Seed 002's job shapes, served on its own paths (``/api/jobs...``, ``/api/health``) over the same
services as ``/api/v1`` (see docs/compat.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from shared.models.base import ApiModel
from shared.models.jobs import Job


class EvaluationErrorBody(ApiModel):
    code: str = Field(
        description="The seed's code: INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, "
        "CONFLICT, RATE_LIMITED or SERVER_ERROR.",
        examples=["NOT_FOUND"],
    )
    message: str = Field(description="What went wrong, for a person.")
    details: dict[str, Any] = Field(
        description="The error's specifics plus code (the precise /api/v1 code), field (the first bad field of a "
        "validation failure), request_id and trace_id."
    )


class EvaluationError(ApiModel):
    """Seed 002's error response: ``{"error": {"code", "message", "details": {..., "trace_id"}}}``."""

    error: EvaluationErrorBody


class EvaluationJob(Job):
    """A job as seed 002 shows it: the /api/v1 job plus ``tenant_id``; ``links`` name the seed's paths
    (``logs`` the /api/v1 one, which the seed lacks)."""

    tenant_id: str
