"""The one clock of the domain: timezone-aware UTC, injected where time is read.

Services take a ``Clock`` in their constructor (``shared.deps`` passes ``utc_now``), so a
test can hand in a fixed time and no module reads the wall clock on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
