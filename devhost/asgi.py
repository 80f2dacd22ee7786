"""The HTTP side of the host: ASGI requests in, ``func.HttpRequest`` to the function, and back.

Conversions follow the Python worker and the host: repeated query keys keep the last
value, repeated headers are joined with ", ", a response without content-type gets one
from its mimetype (with charset for text/*), bodies over the host's 100 MB limit get 413,
a function that raises gets a bare 500, and a HEAD answer keeps its headers but not its body.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import azure.functions as func

from devhost.config import HttpOptions
from devhost.invoker import FunctionFailed, Invoker
from devhost.loader import FunctionSpec
from devhost.routing import Router

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024
"""The host's request size limit; FUNCTIONS_REQUEST_BODY_SIZE_LIMIT overrides it there too."""


HTTP_REASON = "This function was programmatically called via the host APIs."
"""The reason the host logs for HTTP-triggered invocations."""


class _TooLarge(Exception):
    pass


def _max_body_bytes() -> int:
    value = os.environ.get("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT")
    return int(value) if value else DEFAULT_MAX_BODY_BYTES


def encode_response(result: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body for a function's return value, as the worker encodes it."""
    if isinstance(result, str):
        result = func.HttpResponse(result)
    elif isinstance(result, (bytes, bytearray)):
        result = func.HttpResponse(bytes(result), mimetype="application/octet-stream")
    elif result is None:
        return 204, [], b""
    if not isinstance(result, func.HttpResponse):
        raise TypeError(f"HTTP function returned {type(result).__name__}, expected func.HttpResponse or str")
    headers = [(name.lower(), value) for name, value in result.headers.items()]
    if not any(name == "content-type" for name, _ in headers):
        mimetype = result.mimetype
        headers.append(
            ("content-type", f"{mimetype}; charset={result.charset}" if mimetype.startswith("text/") else mimetype)
        )
    body = result.get_body()
    headers = [(n, v) for n, v in headers if n != "content-length"]
    headers.append(("content-length", str(len(body))))
    return int(result.status_code), [(n.encode("latin-1"), str(v).encode("latin-1")) for n, v in headers], body


class HttpFrontend:
    """Routes HTTP requests to HTTP-triggered functions."""

    def __init__(self, functions: list[FunctionSpec], options: HttpOptions, invoker: Invoker) -> None:
        self.router: Router[FunctionSpec] = Router(options.route_prefix)
        for spec in functions:
            self.router.add(str(spec.trigger.get("route") or spec.name), spec.trigger.get("methods"), spec)
        self._invoker = invoker
        self._max_body = _max_body_bytes()
        concurrent = options.max_concurrent_requests
        self._slots = asyncio.Semaphore(concurrent) if concurrent > 0 else None
        self._max_outstanding = options.max_outstanding_requests
        self._outstanding = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        path = raw_path.decode("latin-1")
        found = self.router.match(method, path)
        if found is None:
            await self._respond(send, 404, [], b"")
            return
        if 0 < self._max_outstanding <= self._outstanding:
            await self._respond(send, 429, [], b"")
            return
        self._outstanding += 1
        try:
            if self._slots is None:
                await self._handle(found[0], found[1], scope, receive, send)
            else:
                async with self._slots:
                    await self._handle(found[0], found[1], scope, receive, send)
        finally:
            self._outstanding -= 1

    async def _handle(
        self, spec: FunctionSpec, route_params: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        try:
            body = await self._read_body(headers, receive)
        except _TooLarge:
            await self._respond(send, 413, [], b"")
            return
        query = scope.get("query_string", b"").decode("latin-1")
        request = func.HttpRequest(
            method=scope["method"],
            url=self._url(scope, headers, query),
            headers=headers,
            params=dict(parse_qsl(query, keep_blank_values=True)),
            route_params=route_params,
            body=body,
        )
        try:
            result = await self._invoker.invoke(spec, request, reason=HTTP_REASON)
            status, response_headers, response_body = encode_response(result)
        except FunctionFailed:  # logged by the invoker
            status, response_headers, response_body = 500, [], b""
        except Exception:
            logger.exception("%s: cannot convert the return value to an HTTP response", spec.name)
            status, response_headers, response_body = 500, [], b""
        if scope["method"] == "HEAD":
            response_body = b""  # as Kestrel does: the headers (Content-Length too) stay those of the body
        await self._respond(send, status, response_headers, response_body)

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    def _url(scope: Scope, headers: dict[str, str], query: str) -> str:
        host = headers.get("host")
        if not host:
            server = scope.get("server") or ("localhost", None)
            host = f"{server[0]}:{server[1]}" if server[1] else str(server[0])
        path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
        return f"{scope.get('scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")

    @staticmethod
    async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if not any(name == b"content-length" for name, _ in headers):
            headers = [*headers, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
