"""Cloudplane and AsyncCloudplane: the generated operations with errors as exceptions, timeouts,
retries, and the job helpers scripts need (wait for a job, stream its results and logs).

Any generated operation module is called through :meth:`Cloudplane.call`::

    from cloudplane_api.api.jobs import submit_job
    from cloudplane_api.models import JobCreate

    with Cloudplane("http://127.0.0.1:7071", key) as cp:
        job = cp.call(submit_job, body=JobCreate.from_dict({...}))
        job = cp.wait_for_job(job.id)

so every route the document gains (``make client``) is usable without touching this file.
"""

from __future__ import annotations

import asyncio
import codecs
import time
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import IO, Any

import httpx
from cloudplane_api.client import AuthenticatedClient
from cloudplane_api.models.job import Job

from cloudplane_client.errors import ApiError, JobTimeout
from cloudplane_client.retry import AsyncRetryTransport, RetryPolicy, RetryTransport, parse_retry_after

__version__ = "0.1.0"
TERMINAL = frozenset({"completed", "completed_with_errors", "failed", "cancelled"})
DEFAULT_POLL = 2.0
"""Seconds between job polls when the server gave no ``Retry-After``."""
CHUNK = 64 * 1024


def _timeout(seconds: float | None) -> httpx.Timeout:
    return httpx.Timeout(seconds, connect=None if seconds is None else min(seconds, 10.0))


def _kwargs(op: ModuleType, headers: dict[str, str] | None, arguments: dict[str, Any]) -> dict[str, Any]:
    """The generated operation's own request arguments, plus headers it does not declare."""
    built: dict[str, Any] = op._get_kwargs(**arguments)
    if headers:
        built["headers"] = {**built.get("headers", {}), **headers}
    return built


def _poll_delay(response: httpx.Response, interval: float | None) -> float:
    """The server's ``Retry-After`` when it sent one, else the caller's interval, else the default."""
    hinted = parse_retry_after(response.headers.get("Retry-After"))
    if hinted is not None:
        return hinted
    return DEFAULT_POLL if interval is None else interval


def _upload_params(name: str | None, filename: str | None) -> dict[str, str]:
    return {k: v for k, v in (("name", name), ("filename", filename)) if v}


class _Base:
    def __init__(self, base_url: str, key: str, timeout: float | None, policy: RetryPolicy) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.raw = AuthenticatedClient(base_url=self.base_url, token=key, timeout=_timeout(timeout))
        self._headers = {"Authorization": f"Bearer {key}", "User-Agent": f"cloudplane-client/{__version__}"}
        self._timeout = _timeout(timeout)

    @staticmethod
    def _parse(op: ModuleType, client: AuthenticatedClient, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise ApiError.from_response(response)
        return op._parse_response(client=client, response=response)


class Cloudplane(_Base):
    """A synchronous client. ``timeout`` is per request (seconds); ``retries`` applies to 429/503."""

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        timeout: float | None = 30.0,
        retries: int = 3,
        max_retry_wait: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(base_url, key, timeout, RetryPolicy(retries=retries, max_wait=max_retry_wait))
        self._sleep = sleep
        self.http = httpx.Client(
            base_url=self.base_url,
            headers=self._headers,
            timeout=self._timeout,
            transport=RetryTransport(self.policy, inner=transport, sleep=sleep),
        )
        self.raw.set_httpx_client(self.http)

    def __enter__(self) -> Cloudplane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def request(self, op: ModuleType, *, headers: dict[str, str] | None = None, **arguments: Any) -> httpx.Response:
        """Send a generated operation; the raw response (headers included), ``ApiError`` on 4xx/5xx."""
        response = self.http.request(**_kwargs(op, headers, arguments))
        if response.status_code >= 400:
            raise ApiError.from_response(response)
        return response

    def call(self, op: ModuleType, *, headers: dict[str, str] | None = None, **arguments: Any) -> Any:
        """Send a generated operation and return its parsed model (``None`` for 204/303)."""
        return self._parse(op, self.raw, self.request(op, headers=headers, **arguments))

    def get_job(self, job_id: str) -> tuple[Job, httpx.Response]:
        from cloudplane_api.api.jobs import get_job

        response = self.request(get_job, job_id=job_id)
        return Job.from_dict(response.json()), response

    def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        on_update: Callable[[Job], None] | None = None,
        first_delay: float | None = None,
    ) -> Job:
        """Poll until the job ends, waiting the server's ``Retry-After`` between polls.

        ``first_delay`` is the ``Retry-After`` of the answer that gave the job (submit, cancel and
        retry send one): the first poll waits that long. ``on_update`` sees every state (progress
        bars); :class:`JobTimeout` after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        if first_delay:
            self._sleep(first_delay)
        while True:
            job, response = self.get_job(job_id)
            if on_update is not None:
                on_update(job)
            if str(job.status) in TERMINAL:
                return job
            delay = _poll_delay(response, interval)
            if deadline is not None and time.monotonic() + delay > deadline:
                raise JobTimeout(job)
            self._sleep(delay)

    def stream_results(self, job_id: str, fmt: str = "json") -> Iterator[bytes]:
        """The job's results as byte chunks, never held whole: inline, or from the ``303`` SAS URL.

        The SAS URL is fetched without the API key (it carries its own read-only signature).
        """
        url = f"/api/v1/jobs/{job_id}/results"
        with self.http.stream("GET", url, params={"format": fmt}) as response:
            if response.status_code >= 400:
                response.read()
                raise ApiError.from_response(response)
            if response.status_code != 303:
                yield from response.iter_bytes(CHUNK)
                return
            location = response.headers["Location"]
        with httpx.stream("GET", location, timeout=self._timeout) as blob:
            if blob.status_code >= 400:
                blob.read()
                raise ApiError.from_response(blob)
            yield from blob.iter_bytes(CHUNK)

    def iter_result_lines(self, job_id: str) -> Iterator[str]:
        """The CSV results line by line (header first), decoded as they arrive."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        pending = ""
        for chunk in self.stream_results(job_id, "csv"):
            pending += decoder.decode(chunk)
            *lines, pending = pending.split("\n")
            yield from (line.rstrip("\r") for line in lines)
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending.rstrip("\r")

    def iter_logs(
        self, job_id: str, *, follow: bool = False, interval: float | None = None
    ) -> Iterator[dict[str, Any]]:
        """The job's log (its JobMessages) in order; with ``follow``, new ones until the job ends."""
        from cloudplane_api.api.jobs import get_job_logs

        seen = -1
        while True:
            finished = (not follow) or str(self.get_job(job_id)[0].status) in TERMINAL
            cursor: str | None = None
            while True:
                arguments: dict[str, Any] = {"job_id": job_id, "limit": 100}
                if cursor:
                    arguments["cursor"] = cursor
                page = self.request(get_job_logs, **arguments).json()
                for event in page["items"]:
                    if int(event.get("sequence", 0)) > seen:
                        seen = int(event.get("sequence", 0))
                        yield event
                cursor = page.get("next_cursor")
                if not page.get("has_more") or not cursor:
                    break
            if finished:  # read once more after the job ended, so its last messages are not lost
                return
            self._sleep(DEFAULT_POLL if interval is None else interval)

    def upload_dataset(
        self,
        file: IO[bytes],
        *,
        content_type: str,
        name: str | None = None,
        filename: str | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> Any:
        """Stream a file as a dataset (``on_progress`` gets each chunk's size); returns the Dataset."""
        from cloudplane_api.models.dataset import Dataset

        def chunks() -> Iterator[bytes]:
            while block := file.read(CHUNK):
                if on_progress is not None:
                    on_progress(len(block))
                yield block

        response = self.http.post(
            "/api/v1/datasets",
            params=_upload_params(name, filename),
            content=chunks(),
            headers={"Content-Type": content_type},
        )
        if response.status_code >= 400:
            raise ApiError.from_response(response)
        return Dataset.from_dict(response.json())


class AsyncCloudplane(_Base):
    """The asyncio twin of :class:`Cloudplane` (``await cp.call(op, ...)``, ``await cp.wait_for_job(...)``)."""

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        timeout: float | None = 30.0,
        retries: int = 3,
        max_retry_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        super().__init__(base_url, key, timeout, RetryPolicy(retries=retries, max_wait=max_retry_wait))
        self._sleep = sleep
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=self._headers,
            timeout=self._timeout,
            transport=AsyncRetryTransport(self.policy, inner=transport, sleep=sleep),
        )
        self.raw.set_async_httpx_client(self.http)

    async def __aenter__(self) -> AsyncCloudplane:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def request(
        self, op: ModuleType, *, headers: dict[str, str] | None = None, **arguments: Any
    ) -> httpx.Response:
        response = await self.http.request(**_kwargs(op, headers, arguments))
        if response.status_code >= 400:
            raise ApiError.from_response(response)
        return response

    async def call(self, op: ModuleType, *, headers: dict[str, str] | None = None, **arguments: Any) -> Any:
        return self._parse(op, self.raw, await self.request(op, headers=headers, **arguments))

    async def get_job(self, job_id: str) -> tuple[Job, httpx.Response]:
        from cloudplane_api.api.jobs import get_job

        response = await self.request(get_job, job_id=job_id)
        return Job.from_dict(response.json()), response

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        on_update: Callable[[Job], None] | None = None,
        first_delay: float | None = None,
    ) -> Job:
        deadline = None if timeout is None else time.monotonic() + timeout
        if first_delay:
            await self._sleep(first_delay)
        while True:
            job, response = await self.get_job(job_id)
            if on_update is not None:
                on_update(job)
            if str(job.status) in TERMINAL:
                return job
            delay = _poll_delay(response, interval)
            if deadline is not None and time.monotonic() + delay > deadline:
                raise JobTimeout(job)
            await self._sleep(delay)

    async def stream_results(self, job_id: str, fmt: str = "json") -> AsyncIterator[bytes]:
        url = f"/api/v1/jobs/{job_id}/results"
        async with self.http.stream("GET", url, params={"format": fmt}) as response:
            if response.status_code >= 400:
                await response.aread()
                raise ApiError.from_response(response)
            if response.status_code != 303:
                async for chunk in response.aiter_bytes(CHUNK):
                    yield chunk
                return
            location = response.headers["Location"]
        async with httpx.AsyncClient(timeout=self._timeout) as plain, plain.stream("GET", location) as blob:
            if blob.status_code >= 400:
                await blob.aread()
                raise ApiError.from_response(blob)
            async for chunk in blob.aiter_bytes(CHUNK):
                yield chunk
