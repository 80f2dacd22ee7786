"""A local OpenAI-compatible server (chat completions and embeddings) for tests and benchmarks.

It speaks real HTTP on 127.0.0.1, both URL shapes: OpenAI's ``/v1/chat/completions`` and
``/v1/embeddings`` with a bearer key, and Azure OpenAI's ``/openai/deployments/{deployment}/
...?api-version=`` with an ``api-key`` header. It checks what it receives (key, model or
deployment, message shapes) and answers ``400``/``401`` like the real service when they are
wrong. Answers are deterministic:

- chat: ``answers`` maps a user message to a reply; otherwise the reply is ``"echo: <last user
  message>"``. A system message containing ``GRADE`` is a judge: the reply is ``grade_reply``.
  ``usage`` counts words (prompt words, completion words).
- embeddings: a bag-of-words vector over 64 hashed buckets (same words, same vector).

It can be told to misbehave: ``rate_limit_next`` answers that many requests with ``429`` and
``Retry-After: 0``, ``fail_next`` that many with ``500`` (also ``Retry-After: 0``), ``delay`` sleeps before each answer.
Every request is recorded (path, headers, body) and the most concurrent requests seen is kept.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = 0.0
    """When it arrived (``time.time()``), so a benchmark can split a job's time around its calls."""


@dataclass
class StubState:
    api_key: str = "sk-test-key"
    model: str = "gpt-test"
    answers: dict[str, str] = field(default_factory=dict)
    grade_reply: str = '{"score": 0.75}'
    rate_limit_next: int = 0
    fail_next: int = 0
    delay: float = 0.0
    requests: list[Recorded] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def bag_of_words(text: str, buckets: int = 64) -> list[float]:
    vector = [0.0] * buckets
    for word in text.lower().split():
        vector[int(hashlib.sha256(word.strip(".,!?").encode()).hexdigest(), 16) % buckets] += 1.0
    return vector


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do (every answer has a Content-Length)
    # An answer leaves in one segment, as from a real endpoint: unbuffered, the status line and
    # headers went out in one write and the body in a second, which Nagle's algorithm held until
    # the client's delayed ACK (about 40 ms a call on Linux: a stall of the stub, not the client's).
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._answer(400, {"error": {"message": "bad JSON"}})
            return
        with state.lock:
            state.requests.append(
                Recorded(parts.path, parse_qs(parts.query), dict(self.headers.items()), body, time.time())
            )
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            limited = state.rate_limit_next > 0
            failing = not limited and state.fail_next > 0
            if limited:
                state.rate_limit_next -= 1
            elif failing:
                state.fail_next -= 1
        self._counted = True
        try:
            if state.delay:
                time.sleep(state.delay)
            if limited:
                self._answer(429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
            elif failing:
                self._answer(500, {"error": {"message": "server error"}}, {"Retry-After": "0"})
            else:
                self._route(parts.path, parse_qs(parts.query), body)
        finally:
            self._uncount()

    def _uncount(self) -> None:
        """A request stops counting as in flight just before its answer is sent: the client can
        send its next call only after reading this answer, so the count never runs ahead."""
        if getattr(self, "_counted", False):
            self._counted = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    def _route(self, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> None:
        state = self.server.state
        azure = path.startswith("/openai/deployments/")
        if azure:
            _, _, _, deployment, operation = path.split("/", 4)
            if self.headers.get("api-key") != state.api_key:
                self._answer(401, {"error": {"message": "bad api-key"}})
                return
            if deployment != state.model or not query.get("api-version"):
                self._answer(404, {"error": {"message": "no such deployment"}})
                return
        else:
            operation = path.removeprefix("/v1/")
            if self.headers.get("Authorization") != f"Bearer {state.api_key}":
                self._answer(401, {"error": {"message": "bad key"}})
                return
            if body.get("model") != state.model:
                self._answer(404, {"error": {"message": "no such model"}})
                return
        if operation == "embeddings":
            self._embeddings(body)
        elif operation == "chat/completions":
            self._chat(body)
        else:
            self._answer(404, {"error": {"message": "no such operation"}})

    def _embeddings(self, body: dict[str, Any]) -> None:
        texts = body.get("input")
        if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
            self._answer(400, {"error": {"message": "input must be a list of strings"}})
            return
        data = [{"object": "embedding", "index": i, "embedding": bag_of_words(t)} for i, t in enumerate(texts)]
        data.reverse()  # clients must order by index, not by position
        self._answer(200, {"object": "list", "data": data, "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    def _chat(self, body: dict[str, Any]) -> None:
        state = self.server.state
        messages = body.get("messages")
        if (
            not isinstance(messages, list)
            or not messages
            or not all(
                isinstance(m, dict)
                and m.get("role") in {"system", "user", "assistant"}
                and isinstance(m.get("content"), str)
                for m in messages
            )
        ):
            self._answer(400, {"error": {"message": "messages must be a list of role/content objects"}})
            return
        system = " ".join(m["content"] for m in messages if m["role"] == "system")
        user = [m["content"] for m in messages if m["role"] == "user"][-1]
        if "GRADE" in system:
            reply = state.grade_reply
        else:
            reply = state.answers.get(user, f"echo: {user}")
        prompt_tokens = sum(len(m["content"].split()) for m in messages)
        completion_tokens = len(reply.split())
        self._answer(
            200,
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "model": state.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    def _answer(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._uncount()
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: StubState


class OpenAIStub:
    """``with OpenAIStub() as stub:`` serves on ``stub.url`` (``http://127.0.0.1:<port>``) until the block ends."""

    def __init__(self, state: StubState | None = None) -> None:
        self.state = state or StubState()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OpenAIStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
