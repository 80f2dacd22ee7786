"""Structured logs: one JSON object per line, through the standard ``logging`` module.

The message itself is the JSON text, so the Functions host and Application Insights keep
the structure whatever formatter they apply.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with ``fields`` as one JSON line (values that are not JSON become text)."""
    if not logger.isEnabledFor(level):
        return
    record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
    logger.log(level, json.dumps(record, default=str, separators=(",", ":")))
