"""FunctionHost used in-process, for semantics that need a tweaked host (short leases, encodings)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import azure.functions as func
import httpx
import pytest
from azure.storage.queue import QueueClient

import devhost.queues
from devhost import FunctionHost, HostConfig
from tests.support.azurite import Azurite


async def eventually(condition: Callable[[], Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)


@pytest.fixture
def storage(azurite: Azurite, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AzureWebJobsStorage", azurite.connection_string)
    return azurite.connection_string


def test_lease_is_renewed_while_a_long_function_runs(storage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run longer than the lease is not redelivered, and the renewed pop receipt still deletes it."""
    # A lease of 6 s is renewed every 3 s: room for a renewal's round trip on a loaded 2-core machine
    # (with 2 s, a renewal that took over a second let the message reappear there).
    monkeypatch.setattr(devhost.queues, "LEASE_SECONDS", 6)
    name = f"lease{uuid.uuid4().hex[:8]}"
    deliveries: list[int] = []
    finished: list[int] = []
    app = func.FunctionApp()

    @app.queue_trigger(arg_name="msg", queue_name=name, connection="AzureWebJobsStorage")
    def slow(msg: func.QueueMessage) -> None:
        deliveries.append(msg.dequeue_count or 0)
        time.sleep(9)  # longer than the 6 s lease: the behaviour under test
        finished.append(msg.dequeue_count or 0)

    queue = QueueClient.from_connection_string(storage, name)

    async def scenario() -> None:
        host = FunctionHost.from_app(app, HostConfig.from_dict({"extensions": {"queues": {"messageEncoding": "none"}}}))
        await host.start()
        try:
            await eventually(lambda: _exists(queue))
            queue.send_message("plain text, not base64")  # messageEncoding: none
            await eventually(lambda: deliveries, timeout=10)
            # Deleted only after the run, with the renewed receipt; a lapsed lease would have
            # redelivered it at about 6 s, while the first run still slept.
            await eventually(lambda: finished and _count(queue) == 0, timeout=40)
        finally:
            await host.stop()

    asyncio.run(scenario())
    assert deliveries == [1]
    assert queue.get_queue_properties().approximate_message_count == 0


def test_message_that_is_not_base64_goes_to_poison_without_a_call(storage: str) -> None:
    name = f"badb64{uuid.uuid4().hex[:8]}"
    calls: list[bytes] = []
    app = func.FunctionApp()

    @app.queue_trigger(arg_name="msg", queue_name=name, connection="AzureWebJobsStorage")
    async def never(msg: func.QueueMessage) -> None:
        calls.append(msg.get_body())

    queue = QueueClient.from_connection_string(storage, name)
    poison = QueueClient.from_connection_string(storage, f"{name}-poison")

    async def scenario() -> None:
        host = FunctionHost.from_app(app, HostConfig())
        await host.start()
        try:
            await eventually(lambda: _exists(queue))
            queue.send_message("not base64 !")
            # The host makes the poison queue when it first moves a message there.
            await eventually(lambda: _exists(poison) and list(poison.peek_messages()))
        finally:
            await host.stop()

    asyncio.run(scenario())
    assert calls == []
    assert [m.content for m in poison.peek_messages()] == ["not base64 !"]


def test_asgi_app_in_process() -> None:
    """The host is a plain ASGI app: other servers or test clients can mount it."""
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

    @app.route(route="hello/{name}", methods=["GET"])
    def hello(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(f"hello {req.route_params['name']}")

    host = FunctionHost.from_app(app, HostConfig.from_dict({"extensions": {"http": {"routePrefix": "v2"}}}))

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=host)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/v2/hello/ada"), await client.get("/api/hello/ada")

    found, missing = asyncio.run(scenario())
    assert (found.status_code, found.text) == (200, "hello ada")
    assert missing.status_code == 404


def _count(queue: QueueClient) -> int:
    return int(queue.get_queue_properties().approximate_message_count or 0)


def _exists(queue: QueueClient) -> bool:
    try:
        queue.get_queue_properties()
    except Exception:  # ResourceNotFoundError until the host has created it
        return False
    return True
