"""Retries that honour the server's ``Retry-After``, as httpx transports (sync and async).

Cloudplane answers ``429 RATE_LIMITED`` and ``503`` (storage unavailable, not ready) with
``Retry-After``: the client waits exactly that long (capped by ``max_wait``) and tries again, up
to ``retries`` times. A ``429`` did nothing, so any request is retried; a ``503`` is retried only
for idempotent methods or a request with an ``Idempotency-Key``, so a POST is never run twice.
A request whose body is a one-shot stream (an upload read from a file) cannot be re-sent and is
not retried.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 503})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value: delta-seconds or an HTTP-date (RFC 9110 10.2.3)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class RetryPolicy:
    """``retries`` more attempts at most; never wait longer than ``max_wait`` seconds at once.

    Without ``Retry-After`` the wait is exponential from ``backoff`` with full jitter. A
    ``Retry-After`` longer than ``max_wait`` is not waited for: the error is returned at once,
    which beats sleeping through a caller's own deadline.
    """

    retries: int = 3
    max_wait: float = 60.0
    backoff: float = 0.5

    def delay(self, request: httpx.Request, response: httpx.Response, attempt: int) -> float | None:
        """How long to wait before attempt ``attempt + 1``, or ``None`` to return ``response``."""
        if response.status_code not in RETRY_STATUSES or attempt >= self.retries:
            return None
        if not isinstance(request.stream, httpx.ByteStream):
            return None  # a streamed upload was consumed; it cannot be sent again
        if (
            response.status_code == 503
            and request.method not in IDEMPOTENT
            and "Idempotency-Key" not in request.headers
        ):
            return None
        hinted = parse_retry_after(response.headers.get("Retry-After"))
        if hinted is not None:
            return hinted if hinted <= self.max_wait else None
        return random.uniform(0, min(self.max_wait, self.backoff * 2**attempt))


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport (``httpx.HTTPTransport`` by default) with a :class:`RetryPolicy`."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        inner: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._inner = inner or httpx.HTTPTransport()
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            response = self._inner.handle_request(request)
            wait = self.policy.delay(request, response, attempt)
            if wait is None:
                return response
            response.close()
            self._sleep(wait)
            attempt += 1

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`RetryTransport`."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        inner: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            response = await self._inner.handle_async_request(request)
            wait = self.policy.delay(request, response, attempt)
            if wait is None:
                return response
            await response.aclose()
            await self._sleep(wait)
            attempt += 1

    async def aclose(self) -> None:
        await self._inner.aclose()
