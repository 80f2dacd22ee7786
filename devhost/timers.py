"""Timer triggers: one sequential loop per function.

Like the host, invocations of one timer never overlap: the next occurrence is computed
after the previous run ends, so occurrences missed by a long run are skipped, not queued.
Schedules are evaluated in UTC (the host's default without WEBSITE_TIME_ZONE).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from azure.functions.timer import TimerRequest

from devhost.cron import Schedule, parse_schedule
from devhost.invoker import FunctionFailed, Invoker
from devhost.loader import FunctionSpec

logger = logging.getLogger(__name__)
PAST_DUE_TOLERANCE = timedelta(seconds=1)
"""How late a run may start before it is reported as past due."""


class TimerRunner:
    """Fires one timer function on its schedule until stopped."""

    def __init__(self, spec: FunctionSpec, schedule: str, invoker: Invoker) -> None:
        self.spec = spec
        self.schedule: Schedule = parse_schedule(schedule)
        self._invoker = invoker
        self._stopping = asyncio.Event()
        self._last: datetime | None = None

    def stop(self) -> None:
        """Ask the loop to end after the current invocation, if any."""
        self._stopping.set()

    async def run(self) -> None:
        """Run on startup if asked, then on every occurrence."""
        if self.spec.trigger.get("runOnStartup"):
            await self._fire(datetime.now(UTC), reason="Timer fired at startup")
        while not self._stopping.is_set():
            due = self.schedule.next_after(datetime.now(UTC))
            if not await self._sleep_until(due):
                return
            await self._fire(due, reason="Timer fired")

    async def _sleep_until(self, due: datetime) -> bool:
        """Wait for ``due`` by the wall clock; False when stopped first."""
        while (remaining := (due - datetime.now(UTC)).total_seconds()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=remaining)
            if self._stopping.is_set():
                return False
        return not self._stopping.is_set()

    async def _fire(self, due: datetime, reason: str) -> None:
        now = datetime.now(UTC)
        status = {
            "Last": (self._last or now).isoformat(),
            "Next": self.schedule.next_after(now).isoformat(),
            "LastUpdated": now.isoformat(),
        }
        request = TimerRequest(past_due=now - due > PAST_DUE_TOLERANCE, schedule_status=status)
        self._last = now
        with contextlib.suppress(FunctionFailed):  # logged by the invoker; the schedule goes on
            await self._invoker.invoke(self.spec, request, reason)
