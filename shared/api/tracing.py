"""Request ids and W3C trace context.

The trace id of an incoming ``traceparent`` is kept, so a caller can follow one request
through logs, job records and JobMessages; a fresh one is made otherwise.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    sampled: bool = True

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{'01' if self.sampled else '00'}"


def parse_traceparent(value: str | None) -> TraceContext:
    """The caller's trace with a new span of ours, or a new trace when absent or invalid."""
    if value:
        match = _TRACEPARENT.match(value.strip().lower())
        if match:
            version, trace_id, _parent, flags = match.groups()
            if version != "ff" and trace_id != "0" * 32:
                return TraceContext(trace_id, secrets.token_hex(8), bool(int(flags, 16) & 1))
    return TraceContext(secrets.token_hex(16), secrets.token_hex(8))


def request_id_from(value: str | None) -> str:
    """Keep a caller's request id when it is sane (no injection into logs), else make one."""
    if value and _SANE_REQUEST_ID.match(value):
        return value
    return f"req_{secrets.token_hex(12)}"
