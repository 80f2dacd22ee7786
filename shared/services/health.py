"""Liveness (no dependency touched) and readiness (Table, Queue and Blob, each with a short timeout)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared import __version__
from shared.clock import Clock
from shared.errors import ServiceUnavailable
from shared.models.base import ApiModel

if TYPE_CHECKING:
    from shared.storage.clients import StorageClients


class Health(ApiModel):
    status: str
    version: str
    time: datetime


class Check(ApiModel):
    status: str
    duration_ms: float
    error: str | None = None


class Readiness(ApiModel):
    status: str
    checks: dict[str, Check]


class HealthService:
    """``probe_clients`` builds a dedicated client for each readiness probe (no retries, the
    ready timeout), so the probe stays short and never shares the app's retry budget."""

    def __init__(self, probe_clients: Callable[[], StorageClients], clock: Clock) -> None:
        self._probe_clients = probe_clients
        self._clock = clock

    def health(self) -> Health:
        return Health(status="ok", version=__version__, time=self._clock())

    def readiness(self) -> Readiness:
        """Probe each storage service in parallel; 503 with every check's status if one fails.

        The error named is the exception type only, never a host name or a message from the SDK.
        """
        from concurrent.futures import ThreadPoolExecutor  # only readiness needs threads: not at cold start

        clients = self._probe_clients()
        probes: dict[str, Callable[[], Any]] = {
            "table": lambda: list(next(clients.tables.list_tables(results_per_page=1).by_page(), [])),
            "queue": lambda: clients.queues.get_service_properties(),
            "blob": lambda: clients.blobs.get_service_properties(),
        }
        with ThreadPoolExecutor(max_workers=len(probes)) as pool:
            futures = {name: pool.submit(_timed, probe) for name, probe in probes.items()}
            checks = {name: future.result() for name, future in futures.items()}
        ready = all(c.status == "ok" for c in checks.values())
        result = Readiness(status="ready" if ready else "not_ready", checks=checks)
        if result.status != "ready":
            raise ServiceUnavailable(
                "A storage dependency is not ready.",
                code="NOT_READY",
                details=result.model_dump(mode="json"),
                headers={"Retry-After": "5"},
            )
        return result


def _timed(probe: Callable[[], Any]) -> Check:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - a failed probe is a result, not a crash
        return Check(status="failed", duration_ms=_ms(started), error=type(error).__name__)
    return Check(status="ok", duration_ms=_ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
