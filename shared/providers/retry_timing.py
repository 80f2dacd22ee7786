"""How long to wait before asking an outside API again: its ``Retry-After``, or backoff with jitter.

``Retry-After`` comes in two forms (RFC 9110 section 10.2.3): a number of seconds, which
Affinity sends, and an HTTP date, which Attio sends. Both mean "not before then". Without it a
transient failure waits ``base * 2**attempt`` seconds (capped), scaled by a random factor in
[0.5, 1]: the jitter keeps the batches of a job that failed together from retrying together.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """The wait before retry ``attempt`` (0 for the first retry): exponential, capped, with jitter."""
    ceiling = min(cap, base * 2.0 ** min(attempt, 30))
    factor: float = (rng or random).random()
    return ceiling * (0.5 + 0.5 * factor)
