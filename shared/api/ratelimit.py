"""Per-tenant, per-route-class rate limits shared by every instance through Table storage.

Fixed windows, one entity per (tenant, route class) holding the window start and the
number of requests granted in it. An instance does not write once per request: it leases
a few grants at a time with one ETag-conditional write and spends them locally, so the
shared count never exceeds the limit (each lease is conditional) while the storage cost
of a request is a fraction of a round trip. The lease shrinks as the window fills, which
bounds how many grants one instance can hold back from the others.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared import telemetry
from shared.config import Settings
from shared.errors import RateLimited, ServiceUnavailable
from shared.storage.clients import StorageClients

RATE_LIMITS = "ratelimits"
_MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class RateDecision:
    route_class: str
    limit: int
    remaining: int
    reset_seconds: int
    window_seconds: int

    def headers(self) -> dict[str, str]:
        """The IETF draft's structured headers and the customary X-RateLimit-* trio."""
        return {
            "RateLimit-Policy": f'"{self.route_class}";q={self.limit};w={self.window_seconds}',
            "RateLimit": f'"{self.route_class}";r={self.remaining};t={self.reset_seconds}',
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }


@dataclass
class _Lease:
    """This instance's view of one counter, and the grants it holds for the current window."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    window: int = -1
    tokens: int = 0
    exhausted: bool = False
    stored_window: int = -1
    stored_count: int = 0
    etag: str | None = None


class RateLimiter:
    def __init__(self, settings: Settings, clients: StorageClients, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._clients = clients
        self._clock = clock
        self._leases: dict[tuple[str, str], _Lease] = {}
        self._guard = threading.Lock()
        self.round_trips = 0  # storage calls made, for the benchmark and tests

    def check(self, key: str, route_class: str) -> RateDecision:
        """Spend one request of ``key``'s budget for ``route_class``; raises 429 when none is left."""
        limit = self._settings.rate_limit_for(route_class)
        window_seconds = self._settings.rate_limit_window_seconds
        now = self._clock()
        window = int(now // window_seconds) * window_seconds
        reset = max(1, math.ceil(window + window_seconds - now))
        lease = self._lease_for(key, route_class)
        with lease.lock:
            if lease.window != window:
                lease.window, lease.tokens, lease.exhausted = window, 0, False
            if lease.tokens == 0 and not lease.exhausted:
                self._refill(lease, key, route_class, limit)
            remaining = max(0, limit - lease.stored_count) + max(0, lease.tokens - 1)
            decision = RateDecision(route_class, limit, remaining, reset, window_seconds)
            if lease.tokens == 0:
                decision = RateDecision(route_class, limit, 0, reset, window_seconds)
                telemetry.count("cloudplane.rate_limit.refusals", attributes={"route_class": route_class})
                raise RateLimited(
                    f"Rate limit of {limit} requests per {window_seconds} s reached for '{route_class}' requests.",
                    details={"limit": limit, "window_seconds": window_seconds, "retry_after_seconds": reset},
                    headers={"Retry-After": str(reset), **decision.headers()},
                )
            lease.tokens -= 1
            return decision

    def _lease_for(self, key: str, route_class: str) -> _Lease:
        lease = self._leases.get((key, route_class))
        if lease is None:
            with self._guard:
                lease = self._leases.setdefault((key, route_class), _Lease())
        return lease

    def _refill(self, lease: _Lease, key: str, route_class: str, limit: int) -> None:
        """Lease grants for the current window with a conditional write; mark it exhausted if none are left."""
        table = self._clients.table(RATE_LIMITS)
        for _ in range(_MAX_ATTEMPTS):
            if lease.etag is None:
                self._read(table, lease, key, route_class)
            used = lease.stored_count if lease.stored_window == lease.window else 0
            available = limit - used
            if available <= 0:
                lease.exhausted = True
                return
            grant = max(1, min(self._settings.rate_limit_lease_max, available // 4, available))
            entity = {"PartitionKey": key, "RowKey": route_class, "window": str(lease.window), "count": used + grant}
            try:
                self.round_trips += 1
                if lease.etag == "":
                    meta = table.create_entity(entity)
                else:
                    meta = table.update_entity(
                        entity, mode=UpdateMode.REPLACE, etag=lease.etag, match_condition=MatchConditions.IfNotModified
                    )
            except (ResourceModifiedError, ResourceExistsError, ResourceNotFoundError):
                lease.etag = None  # another instance wrote first: read again and retry
                continue
            lease.etag, lease.stored_window, lease.stored_count = meta["etag"], lease.window, used + grant
            lease.tokens = grant
            return
        raise ServiceUnavailable(
            "The rate limiter is too contended right now; retry shortly.", code="RATE_LIMITER_BUSY"
        )

    def _read(self, table: Any, lease: _Lease, key: str, route_class: str) -> None:
        self.round_trips += 1
        try:
            entity = table.get_entity(key, route_class)
        except ResourceNotFoundError:
            lease.etag, lease.stored_window, lease.stored_count = "", -1, 0  # "" means: create it
            return
        lease.etag = entity.metadata["etag"]
        lease.stored_window, lease.stored_count = int(entity["window"]), int(entity["count"])
