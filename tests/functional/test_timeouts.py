"""A slow or failing storage call must not hang a request: it answers 503 within the timeouts."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.functional.conftest import ADMIN
from tests.support.blackhole import Blackhole
from tests.support.inprocess import InProcessClient


def test_hanging_storage_gives_503_in_seconds(client: InProcessClient, configure: Callable[..., None]) -> None:
    with Blackhole() as blackhole:
        configure(AzureWebJobsStorage=blackhole.connection_string(), CLOUDPLANE_STORAGE_TIMEOUT_SECONDS=0.5)
        started = time.monotonic()
        reply = client.get("/api/v1/tenants/any", headers=ADMIN)
        elapsed = time.monotonic() - started
    assert reply.status == 503, reply.body
    assert reply.json()["error"]["code"] == "STORAGE_UNAVAILABLE"
    assert reply.header("Retry-After") == "5"
    assert elapsed < 6, f"took {elapsed:.1f} s"
    assert b"127.0.0.1" not in reply.body


def test_refused_storage_gives_503_quickly(client: InProcessClient, configure: Callable[..., None]) -> None:
    with Blackhole() as closed:
        port = closed.port
    configure(
        AzureWebJobsStorage=f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        f"AccountKey=a2V5;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        CLOUDPLANE_STORAGE_TIMEOUT_SECONDS=0.5,
    )
    started = time.monotonic()
    reply = client.get("/api/v1/tenants", headers=ADMIN)
    assert reply.status == 503
    assert time.monotonic() - started < 6


def test_ready_is_503_with_each_check_when_storage_hangs(
    client: InProcessClient, configure: Callable[..., None]
) -> None:
    with Blackhole() as blackhole:
        configure(AzureWebJobsStorage=blackhole.connection_string(), CLOUDPLANE_READY_TIMEOUT_SECONDS=0.5)
        started = time.monotonic()
        reply = client.get("/api/v1/ready")
        elapsed = time.monotonic() - started
    assert reply.status == 503
    error = reply.json()["error"]
    assert error["code"] == "NOT_READY"
    checks = error["details"]["checks"]
    assert set(checks) == {"table", "queue", "blob"}
    assert all(check["status"] == "failed" for check in checks.values())
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert b"127.0.0.1" not in reply.body
