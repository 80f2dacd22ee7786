"""One HTTP client for the outside APIs a migration reads and writes (Affinity, Attio).

Every call goes through the same steps, so a connector only says what to ask:
- the connection's rate budget is asked first (``Budget.acquire``), shared by every batch of
  every instance, so the API's limit is honoured rather than discovered;
- ``429`` waits for ``Retry-After`` (seconds or HTTP date) and tells the budget to pause, so the
  other batches wait too; it does not use up the retry policy, a long storm is bounded by
  ``max_throttled_seconds`` instead;
- ``5xx``, timeouts and dropped connections retry with exponential backoff and jitter, up to
  ``RetryPolicy.max_retries``, then raise ``RemoteUnavailable`` (the batch fails and the queue
  runs it again);
- any other ``4xx`` is ``RemoteRejected`` with the API's reason: the caller decides whether that
  fails one record or the whole call.

The client connects to the address the endpoint rules checked (never resolving the name again)
and sends the name in ``Host`` and for TLS. Keep-alive pools are per connection and process.
Credentials travel in headers only; no error, log line or exception text carries them or the URL.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import urlencode

from shared.errors import ServiceUnavailable
from shared.logs import log_event
from shared.providers.retry_timing import backoff_seconds, retry_after_seconds

logger = logging.getLogger("cloudplane.migrations")

Kind = Literal["read", "write"]
_TRANSIENT = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 30.0
    timeout_seconds: float = 30.0
    max_throttled_seconds: float = 300.0


class Budget(Protocol):
    """A connection's request budget, shared by every batch (``shared.storage.rate_budget``)."""

    def acquire(self, kind: Kind) -> None: ...

    def pause(self, seconds: float) -> None: ...


class NoBudget:
    """No limit (tests of a connector alone)."""

    def acquire(self, kind: Kind) -> None:
        return None

    def pause(self, seconds: float) -> None:
        return None


class RemoteRejected(Exception):
    """A ``4xx`` other than ``429``: the API refused this request; ``reason`` is its own words."""

    def __init__(self, status: int, reason: str, api: str = "remote") -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason
        self.api = api
        """Which API refused (the client's label: ``Affinity``, ``Attio``)."""


class RemoteUnavailable(ServiceUnavailable):
    """The API kept failing (``5xx``, timeouts, a ``429`` storm past its bound)."""


@dataclass(frozen=True)
class Endpoint:
    """Where an API is: its base URL's scheme, host and port, and the checked address to connect to."""

    scheme: str
    host: str
    port: int | None
    address: str
    path_prefix: str = ""


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: Any


def _reason(raw: bytes) -> str:
    """The API's own message from an error body, cut short (no request data of ours is in it)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw[:200].decode("utf-8", "replace") or "no reason given"
    if isinstance(body, dict):
        for key in ("message", "error", "errors"):
            value = body.get(key)
            if value:
                return str(value if not isinstance(value, list) else "; ".join(map(str, value)))[:300]
    return str(body)[:300]


_POOLS: dict[tuple[str, str, int | None, str], Any] = {}
_POOLS_LOCK = threading.Lock()


def _pool(endpoint: Endpoint, maxsize: int = 8) -> Any:
    import urllib3  # on first use: cold start never pays for it

    key = (endpoint.scheme, endpoint.address, endpoint.port, endpoint.host)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            if endpoint.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    endpoint.address,
                    endpoint.port or 443,
                    maxsize=maxsize,
                    block=False,
                    server_hostname=endpoint.host,
                    assert_hostname=endpoint.host,
                )
            else:
                pool = urllib3.HTTPConnectionPool(endpoint.address, endpoint.port or 80, maxsize=maxsize, block=False)
            _POOLS[key] = pool
        return pool


class RemoteApi:
    """Calls on one API for one connection: budgeted, retried, timed out."""

    def __init__(
        self,
        endpoint: Endpoint,
        auth: Callable[[str], str],
        budget: Budget,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        label: str = "api",
    ) -> None:
        self._endpoint = endpoint
        self._auth = auth
        self._budget = budget
        self._policy = policy
        self._sleep = sleep
        self._label = label
        self.throttled = 0
        self.retried = 0

    def _host_header(self) -> str:
        default = 443 if self._endpoint.scheme == "https" else 80
        port = self._endpoint.port
        return self._endpoint.host if port in (None, default) else f"{self._endpoint.host}:{port}"

    def call(
        self,
        method: str,
        path: str,
        *,
        kind: Kind,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Response:
        """The API's JSON answer to a ``2xx``; see the module for what happens otherwise."""
        import urllib3

        target = self._endpoint.path_prefix + path
        if query:
            target += "?" + urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        headers = {
            "Host": self._host_header(),
            "Accept": "application/json",
            "Authorization": self._auth(path),
            "User-Agent": "cloudplane-migrations/1",
        }
        payload = None
        if body is not None:
            payload = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        timeout = urllib3.Timeout(connect=min(5.0, self._policy.timeout_seconds), read=self._policy.timeout_seconds)
        failures = 0
        throttled_for = 0.0
        while True:
            self._budget.acquire(kind)
            try:
                raw = _pool(self._endpoint).urlopen(
                    method, target, body=payload, headers=headers, timeout=timeout, retries=False, redirect=False
                )
                status, data = raw.status, raw.data
            except (urllib3.exceptions.HTTPError, OSError) as error:
                status, data = 0, type(error).__name__.encode()
                raw = None
            if 200 <= status < 300:
                return Response(
                    status, dict(raw.headers) if raw is not None else {}, json.loads(data) if data else None
                )
            if status == 429:
                wait = retry_after_seconds(raw.headers.get("Retry-After") if raw is not None else None)
                if wait is None:
                    wait = backoff_seconds(
                        self.throttled, self._policy.backoff_seconds, self._policy.max_backoff_seconds
                    )
                wait = max(wait, 0.05)
                self.throttled += 1
                throttled_for += wait
                if throttled_for > self._policy.max_throttled_seconds:
                    raise RemoteUnavailable(f"The {self._label} API kept answering 429.", code="REMOTE_RATE_LIMITED")
                self._budget.pause(wait)
                log_event(logger, "remote_throttled", logging.INFO, api=self._label, wait_seconds=round(wait, 3))
                self._sleep(wait)
                continue
            if status == 0 or status in _TRANSIENT:
                if failures >= self._policy.max_retries:
                    raise RemoteUnavailable(
                        f"The {self._label} API failed {failures + 1} times in a row"
                        + (f" (last status {status})." if status else " (no answer)."),
                        code="REMOTE_UNAVAILABLE",
                        details={"status": status or None},
                    )
                hinted = retry_after_seconds(raw.headers.get("Retry-After")) if raw is not None else None
                wait = (
                    hinted
                    if hinted is not None
                    else backoff_seconds(failures, self._policy.backoff_seconds, self._policy.max_backoff_seconds)
                )
                failures += 1
                self.retried += 1
                self._sleep(wait)
                continue
            raise RemoteRejected(status, _reason(data), self._label)
