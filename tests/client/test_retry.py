"""Retry-After handling and wait_for_job against a loopback stub server with scripted answers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from cloudplane_api.api.jobs import submit_job
from cloudplane_api.api.tenants import get_me
from cloudplane_api.models import JobCreate
from cloudplane_client import ApiError, AsyncCloudplane, Cloudplane, JobTimeout, parse_retry_after

Answer = tuple[int, dict[str, str], Any]
ME = {"tenant": None, "key_id": None, "scopes": ["read", "write"], "admin": True}
RATE_LIMITED = {
    "error": {"code": "RATE_LIMITED", "message": "Too many requests.", "details": {}, "request_id": "req_1"}
}
UNAVAILABLE = {"error": {"code": "STORAGE_UNAVAILABLE", "message": "Storage is down.", "details": {}}}


class Stub:
    """Answers each request with the next scripted answer and records what it was sent."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                stub.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                status, headers, body = stub.answers.pop(0) if stub.answers else (500, {}, {"error": {}})
                payload = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.server.shutdown()
    server.server.server_close()


def client(stub: Stub, sleeps: list[float], **options: Any) -> Cloudplane:
    return Cloudplane(stub.base_url, "cpk_test", sleep=sleeps.append, timeout=5, **options)


def job(status: str, percent: float) -> dict[str, Any]:
    return {
        "id": "job_1",
        "type": "diagnostics.echo",
        "name": "n",
        "description": None,
        "status": status,
        "configuration": {},
        "progress": {"percent": percent, "processed": int(percent), "failed": 0, "total": 100, "message": None},
        "created_at": "2026-12-02T05:00:00+00:00",
        "started_at": None,
        "completed_at": None,
        "error": None,
        "summary": None,
        "links": {"self": "/s", "results": "/r", "logs": "/l", "cancel": "/c"},
    }


def test_429_waits_the_servers_retry_after_then_succeeds(stub: Stub) -> None:
    stub.answers = [(429, {"Retry-After": "2"}, RATE_LIMITED), (429, {"Retry-After": "1"}, RATE_LIMITED), (200, {}, ME)]
    sleeps: list[float] = []
    with client(stub, sleeps) as cp:
        me = cp.call(get_me)
    assert me.admin is True
    assert sleeps == [2.0, 1.0]
    assert len(stub.requests) == 3
    assert all(headers["Authorization"] == "Bearer cpk_test" for _, _, headers, _ in stub.requests)


def test_an_http_date_retry_after_is_honoured() -> None:
    now = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True), now.timestamp()) == 7.0
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_retries_run_out_into_an_api_error_with_the_apis_code(stub: Stub) -> None:
    stub.answers = [(429, {"Retry-After": "1"}, RATE_LIMITED)] * 3
    sleeps: list[float] = []
    with client(stub, sleeps, retries=2) as cp, pytest.raises(ApiError) as raised:
        cp.call(get_me)
    assert (raised.value.status, raised.value.code, raised.value.request_id) == (429, "RATE_LIMITED", "req_1")
    assert raised.value.retry_after == 1.0
    assert sleeps == [1.0, 1.0] and len(stub.requests) == 3


def test_a_retry_after_beyond_the_cap_is_not_slept_through(stub: Stub) -> None:
    stub.answers = [(503, {"Retry-After": "600"}, UNAVAILABLE)]
    sleeps: list[float] = []
    with client(stub, sleeps, max_retry_wait=30) as cp, pytest.raises(ApiError) as raised:
        cp.call(get_me)
    assert raised.value.code == "STORAGE_UNAVAILABLE" and sleeps == [] and len(stub.requests) == 1


def test_a_503_on_post_is_retried_only_with_an_idempotency_key(stub: Stub) -> None:
    body = JobCreate.from_dict({"type": "diagnostics.echo", "name": "n", "configuration": {}})
    stub.answers = [(503, {"Retry-After": "1"}, UNAVAILABLE)]
    sleeps: list[float] = []
    with client(stub, sleeps) as cp:
        with pytest.raises(ApiError):
            cp.call(submit_job, body=body)
        assert len(stub.requests) == 1 and sleeps == []  # the POST may have happened: not sent twice

        stub.answers = [(503, {"Retry-After": "1"}, UNAVAILABLE), (202, {"Retry-After": "2"}, job("queued", 0))]
        submitted = cp.call(submit_job, body=body, headers={"Idempotency-Key": "k1"})
    assert str(submitted.status) == "queued" and sleeps == [1.0]
    assert [r[2].get("Idempotency-Key") for r in stub.requests[1:]] == ["k1", "k1"]
    assert json.loads(stub.requests[-1][3])["type"] == "diagnostics.echo"  # the body was sent again whole


def test_a_429_on_post_is_retried_it_did_nothing(stub: Stub) -> None:
    stub.answers = [(429, {"Retry-After": "1"}, RATE_LIMITED), (202, {}, job("queued", 0))]
    sleeps: list[float] = []
    body = JobCreate.from_dict({"type": "diagnostics.echo", "name": "n", "configuration": {}})
    with client(stub, sleeps) as cp:
        assert cp.call(submit_job, body=body).id == "job_1"
    assert sleeps == [1.0]


def test_wait_for_job_polls_with_the_servers_retry_after(stub: Stub) -> None:
    stub.answers = [
        (200, {"Retry-After": "3"}, job("queued", 0)),
        (200, {}, job("running", 50)),
        (200, {}, job("completed", 100)),
    ]
    sleeps: list[float] = []
    seen: list[float] = []
    with client(stub, sleeps) as cp:
        done = cp.wait_for_job(
            "job_1", interval=0.25, first_delay=2.0, on_update=lambda j: seen.append(j.progress.percent)
        )
    assert str(done.status) == "completed"
    assert seen == [0, 50, 100]
    # the submit's Retry-After before the first look, then each answer's hint, the interval without one
    assert sleeps == [2.0, 3.0, 0.25]
    assert [path for _, path, _, _ in stub.requests] == ["/api/v1/jobs/job_1"] * 3


def test_wait_for_job_gives_up_at_its_timeout(stub: Stub) -> None:
    stub.answers = [(200, {"Retry-After": "30"}, job("running", 10))]
    with client(stub, []) as cp, pytest.raises(JobTimeout) as raised:
        cp.wait_for_job("job_1", timeout=5)
    assert raised.value.job.progress.percent == 10


def test_the_async_client_honours_retry_after_too(stub: Stub) -> None:
    stub.answers = [
        (429, {"Retry-After": "2"}, RATE_LIMITED),
        (200, {}, ME),
        (200, {"Retry-After": "1"}, job("running", 40)),
        (200, {}, job("failed", 40)),
    ]
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    async def scenario() -> tuple[Any, Any]:
        async with AsyncCloudplane(stub.base_url, "cpk_test", sleep=record, timeout=5) as cp:
            return await cp.call(get_me), await cp.wait_for_job("job_1")

    me, done = asyncio.run(scenario())
    assert me.admin is True and str(done.status) == "failed"
    assert sleeps == [2.0, 1.0]


def test_an_error_that_is_not_json_keeps_its_status(stub: Stub) -> None:
    stub.answers = [(404, {"Content-Type": "text/html"}, "<html>no</html>")]
    with client(stub, []) as cp, pytest.raises(ApiError) as raised:
        cp.call(get_me)
    assert raised.value.status == 404 and raised.value.code == "HTTP_404"


def test_a_request_times_out_at_the_clients_timeout() -> None:
    """A loopback listener that accepts and never answers: the read times out, nothing waits forever."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        base_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with Cloudplane(base_url, "cpk_test", timeout=0.3) as cp, pytest.raises(httpx.ReadTimeout):
            cp.call(get_me)
        assert time.monotonic() - started < 5
