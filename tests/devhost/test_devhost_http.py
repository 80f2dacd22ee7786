"""HTTP triggers through a real devhost process: routing, requests, responses, concurrency."""

from __future__ import annotations

import asyncio
import socket
import uuid

import httpx
import pytest

from tests.devhost.sample_host import SampleHost


def get(host: SampleHost, path: str, method: str = "GET", **kwargs: object) -> httpx.Response:
    return httpx.request(method, f"{host.url}{path}", timeout=10, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "path", "function", "route"),
    [
        ("GET", "/api/items/special", "literal", None),
        ("GET", "/api/ITEMS/Special", "literal", None),
        ("GET", "/api/items/42", "item", {"id": "42"}),
        ("GET", "/api/items/a%20b/", "item", {"id": "a b"}),
        ("GET", "/api/typed/7", "typed_int", {"id": "7"}),
        ("GET", "/api/typed/seven", "typed_slug", {"slug": "seven"}),
        ("GET", "/api/opt", "optional", {}),
        ("GET", "/api/opt/x", "optional", {"name": "x"}),
        ("GET", "/api/items/42/more", "catch_all", {"path": "items/42/more"}),
        ("POST", "/api/items/42", "catch_all", {"path": "items/42"}),
        ("DELETE", "/api/items/special", "catch_all", {"path": "items/special"}),
        ("GET", "/api", "catch_all", {}),
    ],
)
def test_routes_follow_aspnet_precedence_and_methods(
    sample_host: SampleHost, method: str, path: str, function: str, route: dict[str, str] | None
) -> None:
    """Literal beats {param} beats {*catch-all}; a method mismatch falls through to the catch-all."""
    response = get(sample_host, path, method)
    data = response.json()
    assert data["function"] == function
    if route is not None:
        assert data["route"] == route


def test_unrouted_path_is_an_empty_404(sample_host: SampleHost) -> None:
    response = get(sample_host, "/not-under-prefix")
    assert response.status_code == 404
    assert response.content == b""


def test_query_headers_and_body_reach_the_function(sample_host: SampleHost) -> None:
    response = get(
        sample_host,
        "/api/echo?a=1&b=two&a=3&empty=",
        "POST",
        content=b'{"hello": "world"}',
        headers={"Content-Type": "application/json", "X-Trace": "t1"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["method"] == "POST"
    assert data["params"] == {"a": "3", "b": "two", "empty": ""}  # repeated keys: the last wins
    assert data["headers"] == {"x-trace": "t1"}
    assert data["content_type"] == "application/json"
    assert data["body"] == '{"hello": "world"}'
    assert data["url"] == f"{sample_host.url}/api/echo?a=1&b=two&a=3&empty="


def test_response_status_headers_and_mimetype(sample_host: SampleHost) -> None:
    response = get(sample_host, "/api/custom")
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-custom"] == "yes"
    assert response.json() == {"made": True}

    text = get(sample_host, "/api/text")
    assert text.status_code == 200
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == "plain words"


def test_context_argument_is_supplied(sample_host: SampleHost) -> None:
    data = get(sample_host, "/api/context").json()
    assert data["function_name"] == "with_context"
    assert str(uuid.UUID(data["invocation_id"])) == data["invocation_id"]


def test_function_exception_is_an_empty_500_and_logged(sample_host: SampleHost) -> None:
    response = get(sample_host, "/api/boom")
    assert response.status_code == 500
    assert response.content == b""
    log = sample_host.process.wait_for_log("RuntimeError: boom on purpose")
    assert "Executed 'Functions.boom' (Failed" in log


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_requests_run_concurrently(sample_host: SampleHost, kind: str) -> None:
    """Two calls that wait for each other both finish: sync ones on the thread pool, async ones on the loop.

    A host that ran them one after the other would keep the first waiting alone until it gave up
    (``met`` false), so this proves the overlap without timing it.
    """
    key = uuid.uuid4().hex

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=sample_host.url, timeout=30) as client:
            return await asyncio.gather(*(client.get(f"/api/meet/{kind}", params={"key": key}) for _ in range(2)))

    responses = asyncio.run(both())
    assert [r.status_code for r in responses] == [200, 200]
    assert [r.json()["met"] for r in responses] == [True, True]
    threads = {r.json()["thread"] for r in responses}
    if kind == "sync":
        assert all(t.startswith("devhost-fn") for t in threads)
    else:
        assert threads == {"MainThread"}


def test_body_over_the_host_limit_is_413(sample_host: SampleHost) -> None:
    """The host's 100 MB limit, checked on Content-Length before any body is read."""
    request = (
        b"POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 104857601\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", sample_host.process.port), timeout=5) as sock:
        sock.sendall(request)
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
