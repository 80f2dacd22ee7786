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

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from azure.core import MatchConditions
from azure.core.exceptions import AzureError, ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared.errors import ServiceUnavailable
from shared.storage.base import TableRepository
from shared.storage.clients import StorageClients

RATE_BUDGETS = "ratebudgets"
_SLOTS = 64
_ATTEMPTS = 20
T = TypeVar("T")
logger = logging.getLogger("cloudplane.limits")


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


# ------------------------------------------------------------------------- held leases
#
# The windows above lease a share of something that lapses by itself (a minute's requests).
# Two limits do not lapse: calls in flight (a slot is taken and must come back) and a job's token
# budget (a reservation is taken, then settled at what the call really used). Both are kept the
# same way: one row of this table per limit holds every instance's lease, ``{holder: [amount,
# expires]}``, beside what was used up for good; an instance changes its own lease with one
# ETag-conditional write after reading the row, and a lease its holder stopped renewing (the
# instance died) is dropped by the next writer: a slot comes back, a reservation counts as spent
# (its calls may have gone out), so neither direction of a crash can pass the limit.

_HOLD_ATTEMPTS = 50


@dataclass
class Holdings:
    """One limit's row, parsed: what was used up, every live lease, the instances waiting for one."""

    used: int = 0
    leases: dict[str, list[float]] = field(default_factory=dict)
    waiting: dict[str, float] = field(default_factory=dict)

    @classmethod
    def parse(cls, entity: dict[str, Any] | None) -> Holdings:
        if entity is None:
            return cls()
        return cls(int(entity.get("used", 0)), json.loads(entity.get("leases") or "{}"),
                   json.loads(entity.get("waiting") or "{}"))

    def prune(self, now: float, *, consumable: bool) -> None:
        """Drop expired leases (a consumable's amount counts as used: it may have been spent)."""
        for holder, (amount, expires) in list(self.leases.items()):
            if expires <= now:
                del self.leases[holder]
                if consumable:
                    self.used += int(amount)
        self.waiting = {holder: expires for holder, expires in self.waiting.items() if expires > now}

    def held(self, holder: str) -> int:
        lease = self.leases.get(holder)
        return int(lease[0]) if lease else 0

    def others(self, holder: str) -> int:
        return sum(int(amount) for name, (amount, _) in self.leases.items() if name != holder)

    def set(self, holder: str, amount: int, expires: float) -> None:
        if amount > 0:
            self.leases[holder] = [amount, round(expires, 3)]
        else:
            self.leases.pop(holder, None)

    def fields(self) -> dict[str, Any]:
        return {"used": self.used, "leases": json.dumps(self.leases, sort_keys=True),
                "waiting": json.dumps(self.waiting, sort_keys=True)}


class HoldingsRepository(TableRepository):
    """The rows of held leases, in the same table as the windows (``RowKey`` names the limit)."""

    TABLE = RATE_BUDGETS

    def __init__(self, clients: StorageClients) -> None:
        super().__init__(clients)
        self.round_trips = 0

    def change(self, scope: str, row: str, mutate: Callable[[Holdings], T]) -> T:
        """Read the row, let ``mutate`` change it, write it back only if the row is as read.

        ``mutate`` runs again on a fresh read when another instance wrote first, so it must
        compute from the row alone (and its caller's state, changed only once this returns).
        No write is made when ``mutate`` leaves the row as it was.
        """
        for _ in range(_HOLD_ATTEMPTS):
            self.round_trips += 1
            entity = self.get_or_none(scope, row)
            holdings = Holdings.parse(entity)
            before = holdings.fields()
            result = mutate(holdings)
            after = holdings.fields()
            if entity is not None and after == before:
                return result
            try:
                self.round_trips += 1
                if entity is None:
                    self.table.create_entity({"PartitionKey": scope, "RowKey": row, **after})
                else:
                    self.table.update_entity(
                        {"PartitionKey": scope, "RowKey": row, **after},
                        mode=UpdateMode.REPLACE,
                        etag=entity.metadata["etag"],
                        match_condition=MatchConditions.IfNotModified,
                    )
                return result
            except (ResourceExistsError, ResourceModifiedError, ResourceNotFoundError):
                continue
        raise ServiceUnavailable("A shared limit's row is too contended; retry shortly.", code="LIMIT_BUSY")

    def read(self, scope: str, row: str) -> Holdings:
        self.round_trips += 1
        return Holdings.parse(self.get_or_none(scope, row))


class SlotPool:
    """Calls in flight under one limit across every instance: this process's share of the slots.

    The process claims slots in the shared row (as many as the limit leaves, at most its fair
    share when other instances hold or wait for some) and hands them to its threads without a
    round trip; a thread that finds none free waits for one of this process's, or claims more.
    Slots go back to the row when the last ``session`` (a batch) ends, or after a sessionless
    call. While it holds slots, a keeper thread renews the lease every ``ttl / 3`` seconds and,
    once a second, gives back what it holds beyond its fair share when another instance waits,
    so a long job on one instance does not starve another's batch. An instance that dies stops
    renewing: its slots come back ``ttl`` seconds later.

    Row I/O runs outside the lock the threads take for a slot (one change at a time, marked
    ``_busy``), so a slow Table round trip never holds up calls that have a slot to take; and
    slots are taken from the local count before they are given back in the row.

    Bound: the leases in the row never add up to more than ``limit`` (every change is one
    ETag-conditional write checking it), and a thread uses a slot only while this process's
    lease is valid; so calls in flight stay within ``limit`` unless a process stalls for longer
    than ``ttl`` with calls in flight, or the instances' clocks differ by more than ``ttl / 3``.
    """

    SYNC_SECONDS = 1.0
    WAIT_SECONDS = 0.05

    def __init__(
        self,
        repository: HoldingsRepository,
        scope: str,
        row: str,
        holder: str,
        limit: int,
        *,
        ttl: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._repository = repository
        self._scope, self._row, self._holder = scope, row, holder
        self.limit = limit
        self._ttl = ttl
        self._clock = clock
        self._cond = threading.Condition(threading.Lock())
        self.held = 0
        self.in_use = 0
        self._target = limit
        self._expires = 0.0
        self._sessions = 0
        self._next_claim = 0.0
        self._busy = False  # a thread is changing this process's lease in the row
        self._keeping = False

    # -- what callers use

    def acquire(self, timeout: float | None = None) -> bool:
        """Take one slot, waiting for one (until ``timeout`` seconds if given); False when none came."""
        deadline = None if timeout is None else self._clock() + timeout
        with self._cond:
            while True:
                now = self._clock()
                if self.in_use < min(self.held, self._target) and now < self._expires - self._ttl / 3:
                    self.in_use += 1
                    return True
                if not self._busy:
                    if self.held and now >= self._expires - self._ttl / 3:
                        self._outside(self._renew)  # the keeper is late: renew before handing out a slot
                        continue
                    if self.held < self._target and now >= self._next_claim:
                        self._outside(self._claim)
                        if self.in_use < min(self.held, self._target):
                            continue
                        self._next_claim = self._clock() + self.WAIT_SECONDS * 2
                if deadline is not None and now >= deadline:
                    return False
                self._cond.wait(self.WAIT_SECONDS)

    def release(self) -> None:
        with self._cond:
            self.in_use -= 1
            self._cond.notify()
            if self._busy:
                return  # the keeper gives back what is not needed
            if self._sessions == 0 and self.in_use == 0 and self.held:
                self._outside(lambda: self._give_back(0))
            elif self.held > self._target >= self.in_use:
                self._outside(lambda: self._give_back(self._target))  # another instance waits: its share now

    def __enter__(self) -> SlotPool:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @contextmanager
    def session(self) -> Iterator[SlotPool]:
        """Keep claimed slots between calls until the last session ends (a batch's calls)."""
        with self._cond:
            self._sessions += 1
        try:
            yield self
        finally:
            with self._cond:
                self._sessions -= 1
                while self._busy:
                    self._cond.wait(self.WAIT_SECONDS)
                if self._sessions == 0 and self.held > self.in_use:
                    self._outside(lambda: self._give_back(self.in_use))

    # -- the row (each called through ``_outside``: the lock released, one change at a time)

    def _outside(self, change: Callable[[], None]) -> None:
        """Run ``change`` with the lock released and ``_busy`` set; called and returning with the lock held."""
        self._busy = True
        self._cond.release()
        try:
            change()
        finally:
            self._cond.acquire()
            self._busy = False
            self._cond.notify_all()

    def _claim(self) -> None:
        holder, limit, ttl, now = self._holder, self.limit, self._ttl, self._clock()

        def mutate(row: Holdings) -> int:
            row.prune(now, consumable=False)
            mine = row.held(holder)
            contenders = len(set(row.leases) | set(row.waiting) | {holder})
            fair = -(-limit // contenders)
            grant = max(0, min(limit - row.others(holder), fair) - mine)
            if grant > 0:
                row.waiting.pop(holder, None)
                row.set(holder, mine + grant, now + ttl)
            elif mine == 0 and row.waiting.get(holder, 0.0) < now + 1.0:
                row.waiting[holder] = round(now + 3.0, 3)  # ask holders to give back their surplus
            return mine + grant

        held = self._repository.change(self._scope, self._row, mutate)
        with self._cond:  # slots are added here only once the row holds them (fewer: the lease had lapsed)
            self.held, self._target, self._expires = held, limit, (now + ttl if held else 0.0)
            if held:
                self._start_keeper()

    def _renew(self) -> None:
        with self._cond:
            amount = self.held
        now = self._clock()
        self._set(now, amount)
        with self._cond:
            self._expires = now + self._ttl if amount else 0.0

    def _give_back(self, keep: int) -> None:
        """Keep ``keep`` slots: the local count drops first, then the row gives the rest back."""
        with self._cond:
            keep = max(keep, self.in_use)
            if keep >= self.held:
                return
            self.held = keep
        now = self._clock()
        self._set(now, keep)
        with self._cond:
            self._expires = now + self._ttl if keep else 0.0

    def _set(self, now: float, amount: int) -> None:
        holder, ttl = self._holder, self._ttl

        def mutate(row: Holdings) -> None:
            row.prune(now, consumable=False)
            row.set(holder, amount, now + ttl)

        self._repository.change(self._scope, self._row, mutate)

    def _start_keeper(self) -> None:
        if not self._keeping:  # set and cleared under the lock, so a keeper about to end is never counted on
            self._keeping = True
            threading.Thread(target=self._keep, name=f"slots-{self._scope}", daemon=True).start()

    def _keep(self) -> None:
        """While slots are held: renew the lease, and give back what others are owed or nobody uses.

        It sleeps on its own, not on the slots' condition: a wake-up meant for a thread waiting
        for a slot must never go to the keeper (that thread would wait longer, and the row be read
        at every release).
        """
        while True:
            time.sleep(self.SYNC_SECONDS)
            with self._cond:
                if not self.held:
                    self._keeping = False
                    return
                if not self._busy:
                    self._outside(self._sync)

    def _sync(self) -> None:
        now = self._clock()
        try:
            row = self._repository.read(self._scope, self._row)
            row.prune(now, consumable=False)
            contenders = len(set(row.leases) | set(row.waiting) | {self._holder})
            with self._cond:
                self._target = -(-self.limit // contenders) if contenders > 1 else self.limit
                idle = self._sessions == 0 and self.in_use == 0
                keep = 0 if idle else min(self.held, self._target)
                renew = now >= self._expires - self._ttl * 2 / 3
                held = self.held
            if keep < held:
                self._give_back(keep)
            elif renew:
                self._renew()
        except (AzureError, ServiceUnavailable):  # acquire renews, or stops handing out slots
            logger.warning("renewing the lease of %s failed; retrying", self._row, exc_info=True)


class Allowance:
    """An amount that is used up (a job's token budget), shared by every instance: reserve, then settle.

    A call reserves an upper bound of what it can use before it starts, and settles at what it
    really used when it ends (or releases the reservation when it fails). Reservations come out
    of this process's lease in the shared row, taken a chunk at a time (room for ``CHUNK_CALLS``
    calls, at most half of what is left), so most calls cost no round trip; what was used is
    written with the next chunk and when the last ``session`` ends.

    Bound: a chunk is granted only while what was used plus every live lease is below ``limit``,
    and a grant that crosses it is at most one call's reservation. So when every call uses no more
    than it reserved, the tokens spent stay below ``limit`` plus one call's reservation. When
    the budget looks spent but reservations are still out (calls in flight anywhere), a call
    waits for them to settle rather than fail. ``limit`` None counts what was used, nothing else.
    """

    CHUNK_CALLS = 16
    WAIT_SECONDS = 0.2

    def __init__(
        self,
        repository: HoldingsRepository,
        scope: str,
        row: str,
        holder: str,
        limit: int | None,
        *,
        ttl: float = 120.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._repository = repository
        self._scope, self._row, self._holder = scope, row, holder
        self.limit = limit
        self._ttl = ttl
        self._clock = clock
        self._cond = threading.Condition()
        self._free = 0  # leased, not reserved by a call
        self._in_flight = 0  # reserved by calls not settled yet
        self._unwritten = 0  # used by settled calls, not written to the row yet
        self._expires = 0.0
        self._sessions = 0
        self._next_poll = 0.0

    def reserve(self, amount: int) -> bool:
        """Hold ``amount`` for a call about to start; False when the budget is spent."""
        with self._cond:
            while True:
                if self.limit is None:
                    self._in_flight += amount
                    return True
                now = self._clock()
                if self._free >= amount and now < self._expires - self._ttl / 2:
                    self._free -= amount
                    self._in_flight += amount
                    return True
                if now < self._next_poll:  # another thread asked the row a moment ago: wait for a settle
                    self._cond.wait(self._next_poll - now)
                    continue
                granted, waiting = self._lease(now, amount)
                if granted:
                    continue
                if not waiting:
                    return False
                self._next_poll = now + self.WAIT_SECONDS
                self._cond.wait(self.WAIT_SECONDS)

    def settle(self, reserved: int, used: int) -> None:
        """A call ended having used ``used``: the rest of its reservation is free again."""
        with self._cond:
            self._in_flight -= reserved
            self._free += reserved - min(used, reserved)  # what it used stays in the lease until written
            self._unwritten += used
            self._cond.notify_all()

    def release(self, reserved: int) -> None:
        """A call failed without an answer: its reservation is free again."""
        with self._cond:
            self._in_flight -= reserved
            self._free += reserved
            self._cond.notify_all()

    @contextmanager
    def session(self) -> Iterator[Allowance]:
        """A batch's calls; when the last session ends, what was used is written and the lease given back."""
        with self._cond:
            self._sessions += 1
        try:
            yield self
        finally:
            with self._cond:
                self._sessions -= 1
                if self._sessions == 0:
                    self.flush()

    def flush(self) -> None:
        """Write what was used and keep only what calls in flight reserved."""
        with self._cond:
            if self._unwritten or self._free:
                self._free = 0
                self._lease(self._clock(), 0)

    @property
    def idle(self) -> bool:
        with self._cond:
            return self._sessions == 0 and self._in_flight == 0 and not self._unwritten

    def used(self) -> int:
        """What the row says was used (by every instance), for reports."""
        return self._repository.read(self._scope, self._row).used

    def _lease(self, now: float, amount: int) -> tuple[bool, bool]:
        """Write what was used, renew the lease, and make what is free cover ``amount`` if the budget allows.

        Answers (whether what is free now covers ``amount``, whether reservations are out that
        may still come back: then the caller waits instead of failing). When it cannot cover
        ``amount``, the free part goes back to the row, so two waiting instances never each hold
        a remainder the other needs.
        """
        holder, limit, ttl, chunk = self._holder, self.limit, self._ttl, self.CHUNK_CALLS
        unwritten, in_flight, free = self._unwritten, self._in_flight, self._free

        def mutate(row: Holdings) -> tuple[int, int]:
            row.prune(now, consumable=True)
            row.used += unwritten
            if limit is None:
                row.set(holder, 0, now)
                return 0, 0
            available = limit - row.used - row.others(holder) - in_flight
            if amount == 0 or free >= amount:
                new_free = max(0, min(free, available))
            elif available >= amount:
                new_free = min(max(amount, amount * chunk), max(amount, available // 2))
            elif available > 0:
                new_free = amount  # the one call that may cross the limit (by less than its reservation)
            else:
                new_free = 0
            row.set(holder, in_flight + new_free, now + ttl)
            return new_free, row.others(holder)

        new_free, others = self._repository.change(self._scope, self._row, mutate)
        self._unwritten -= unwritten
        self._free = new_free
        self._expires = now + ttl
        return new_free >= amount, others > 0 or self._in_flight > 0
