"""A connection's request budget in Table storage, shared by every batch on every instance.

The budget is a fixed window per kind of request (``read``, ``write``; one window when a system
counts them together): ``requests`` per ``seconds``, windows aligned to the epoch. Asking for
every request would cost a Table round trip each, so an instance leases a small chunk of the
current window's allowance with one ETag-conditional write and spends it locally; what it does not
spend lapses with the window. When the window is spent, callers wait for the next one.

A ``429`` from the API (``pause``) writes a pause until its ``Retry-After`` into the same
partition, and every instance checks it when it leases: one throttled batch slows them all
instead of each discovering the limit on its own.

Table ``ratebudgets``: PartitionKey ``<tenant id>:<connection id>``; RowKey ``<kind>:<slot>``
(slot = window number mod 64, so rows are reused, never piling up) holds ``window`` and ``used``;
RowKey ``pause`` holds ``until`` (epoch seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared.storage.base import TableRepository
from shared.storage.clients import StorageClients

RATE_BUDGETS = "ratebudgets"
_SLOTS = 64
_ATTEMPTS = 20


@dataclass(frozen=True)
class Window:
    requests: int
    seconds: float


@dataclass
class _Lease:
    window: int
    left: int


class TableBudget:
    """One connection's budget as seen by this process (thread-safe; batches in one process share it)."""

    def __init__(
        self,
        repository: RateBudgetRepository,
        scope: str,
        windows: dict[str, Window],
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._repository = repository
        self._scope = scope
        self._windows = windows
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._leases: dict[str, _Lease] = {}
        self._paused_until = 0.0
        self.waited = 0.0

    def _bucket(self, kind: str) -> str:
        return kind if kind in self._windows else "read"

    def acquire(self, kind: str) -> None:
        """Block until a request of ``kind`` fits in the budget, then count it."""
        bucket = self._bucket(kind)
        window = self._windows[bucket]
        while True:
            now = self._clock()
            with self._lock:
                if now < self._paused_until:
                    wait = self._paused_until - now
                else:
                    number = int(now // window.seconds)
                    lease = self._leases.get(bucket)
                    if lease is not None and lease.window == number and lease.left > 0:
                        lease.left -= 1
                        return
                    granted, paused_until = self._repository.lease(self._scope, bucket, number, window, now)
                    self._paused_until = max(self._paused_until, paused_until)
                    if granted > 0 and now >= self._paused_until:
                        self._leases[bucket] = _Lease(number, granted - 1)
                        return
                    wait = (
                        self._paused_until - now
                        if now < self._paused_until
                        else (number + 1) * window.seconds - now + 0.001
                    )
            self.waited += wait
            self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """The API said to wait ``seconds``: every batch on this connection waits too."""
        until = self._clock() + seconds
        with self._lock:
            self._paused_until = max(self._paused_until, until)
            self._leases.clear()
        self._repository.pause(self._scope, until)


def chunk_of(window: Window) -> int:
    """How much of a window one lease takes: small enough to share (an eighth of the window at most),
    large enough to save round trips (a roomy budget is leased up to 1,000 requests at a time: one
    lease a second instead of four for a batch that makes a thousand calls a second)."""
    return max(1, min(window.requests // 8, 1000))


class RateBudgetRepository(TableRepository):
    TABLE = RATE_BUDGETS

    def lease(self, scope: str, bucket: str, number: int, window: Window, now: float) -> tuple[int, float]:
        """Take up to a chunk of window ``number``'s allowance: (requests granted, paused until)."""
        row = f"{bucket}:{number % _SLOTS}"
        entities = {
            entity["RowKey"]: entity
            for entity in self.table.query_entities(
                "PartitionKey eq @pk and (RowKey eq @row or RowKey eq 'pause')",
                parameters={"pk": scope, "row": row},
            )
        }
        paused_until = float(entities["pause"]["until"]) if "pause" in entities else 0.0
        if paused_until > now:
            return 0, paused_until
        entity = entities.get(row)
        for _ in range(_ATTEMPTS):
            want = chunk_of(window)
            try:
                if entity is None:
                    grant = min(want, window.requests)
                    self.table.create_entity({"PartitionKey": scope, "RowKey": row, "window": number, "used": grant})
                    return grant, paused_until
                used = int(entity["used"]) if int(entity["window"]) == number else 0
                if int(entity["window"]) > number:
                    return 0, paused_until  # a clock behind the others': wait for the next window
                grant = min(want, window.requests - used)
                if grant <= 0:
                    return 0, paused_until
                self.table.update_entity(
                    {"PartitionKey": scope, "RowKey": row, "window": number, "used": used + grant},
                    mode=UpdateMode.REPLACE,
                    etag=entity.metadata["etag"],
                    match_condition=MatchConditions.IfNotModified,
                )
                return grant, paused_until
            except (ResourceExistsError, ResourceModifiedError, ResourceNotFoundError):
                entity = self.get_or_none(scope, row)
        return 0, paused_until

    def pause(self, scope: str, until: float) -> None:
        current = self.get_or_none(scope, "pause")
        if current is not None and float(current["until"]) >= until:
            return
        self.table.upsert_entity({"PartitionKey": scope, "RowKey": "pause", "until": until}, mode=UpdateMode.REPLACE)


class RateBudgets:
    """The process's budgets, one per connection, so the batches of one instance share their leases."""

    def __init__(self, clients: StorageClients) -> None:
        self._repository = RateBudgetRepository(clients)
        self._budgets: dict[tuple[str, tuple[tuple[str, Window], ...]], TableBudget] = {}
        self._lock = threading.Lock()

    def for_connection(self, tenant_id: str, connection_id: str, windows: dict[str, Window]) -> TableBudget:
        key = (f"{tenant_id}:{connection_id}", tuple(sorted(windows.items())))
        with self._lock:
            budget = self._budgets.get(key)
            if budget is None:
                budget = TableBudget(self._repository, key[0], dict(windows))
                self._budgets[key] = budget
            return budget
