"""Structured logs: one JSON object per line, through the standard ``logging`` module.

The message itself is the JSON text, so the Functions host and Application Insights keep
the structure whatever formatter they apply. Inside a span (telemetry on) a line carries the
span's ``trace_id`` and ``span_id``, so it can be joined to its request or job step.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from shared import telemetry


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with ``fields`` as one JSON line (values that are not JSON become text)."""
    if not logger.isEnabledFor(level):
        return
    record: dict[str, Any] = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
    ids = telemetry.current_ids()
    if ids is not None:  # correlated with the span it was logged in (a caller's own trace_id wins)
        record["trace_id"], record["span_id"] = ids
    record.update(fields)
    logger.log(level, json.dumps(record, default=str, separators=(",", ":")))
