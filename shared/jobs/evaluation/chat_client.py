"""One agent's chat-completions calls: the request shape, retries with backoff, strict answers.

``openai`` agents are called at ``{endpoint}/chat/completions`` with a bearer key and ``model``;
``azure_openai`` agents at ``{endpoint}/openai/deployments/{model}/chat/completions?api-version=``
with an ``api-key`` header. ``429`` and ``5xx`` (and connection errors) are retried with
exponential backoff, honouring ``Retry-After`` up to a cap; any other status fails the call at
once. A failure is a ``ChatFailure`` whose reason names the status, never the key or the body
the endpoint sent back (which may quote the prompt).

``limits`` is called before every attempt: it is where the agent's per-minute budgets (shared
across instances) make the call wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_REPLY_CHARS = 100_000
RETRY_CAP_SECONDS = 20.0


class ChatFailure(Exception):
    """A call that did not produce an answer; ``reason`` is safe to show the tenant."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ChatAnswer:
    text: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatTarget:
    """Where and how an agent is called (the key opened from its sealed form)."""

    kind: str
    endpoint: str
    model: str
    api_version: str | None
    api_key: str | None
    system_prompt: str
    temperature: float
    max_tokens: int


class ChatClient:
    def __init__(
        self,
        target: ChatTarget,
        *,
        timeout: float = 60.0,
        attempts: int = 5,
        base_delay: float = 0.5,
        limits: Callable[[], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import requests
        from requests.adapters import HTTPAdapter

        self._target = target
        self._timeout = timeout
        self._attempts = attempts
        self._base_delay = base_delay
        self._limits = limits
        self._sleep = sleep
        self._session = requests.Session()
        self._session.mount("http://", HTTPAdapter(pool_maxsize=64))
        self._session.mount("https://", HTTPAdapter(pool_maxsize=64))
        base = target.endpoint.rstrip("/")
        if target.kind == "azure_openai":
            self._url = f"{base}/openai/deployments/{target.model}/chat/completions"
            self._params = {"api-version": target.api_version or "2024-10-21"}
            self._headers = {"api-key": target.api_key or ""}
        else:
            self._url = f"{base}/chat/completions"
            self._params = {}
            self._headers = {"Authorization": f"Bearer {target.api_key}"} if target.api_key else {}

    def _messages(self, prompt: str, context: str | None, system: str | None) -> list[dict[str, str]]:
        messages: list[dict[str, str]] = []
        system_text = system if system is not None else self._target.system_prompt
        if system_text:
            messages.append({"role": "system", "content": system_text})
        if context:
            messages.append({"role": "system", "content": context})
        messages.append({"role": "user", "content": prompt})
        return messages

    def token_bound(self, prompt: str, *, context: str | None = None, system: str | None = None) -> int:
        """The most tokens a call can use: what a job's token budget reserves before the call.

        A byte-level BPE token (the tokenizers of OpenAI's models) is at least one byte, so the
        prompt is at most its UTF-8 bytes plus each message's framing (a few tokens; 8 counted);
        the completion is at most ``max_tokens``, which the request sets.
        """
        messages = self._messages(prompt, context, system)
        framing = 8 * (len(messages) + 1)
        return sum(len(m["content"].encode()) for m in messages) + framing + self._target.max_tokens

    def complete(self, prompt: str, *, context: str | None = None, system: str | None = None) -> ChatAnswer:
        """The agent's answer to ``prompt``; ``context`` travels as a second system message."""
        import requests

        target = self._target
        messages = self._messages(prompt, context, system)
        body: dict[str, Any] = {
            "messages": messages,
            "temperature": target.temperature,
            "max_tokens": target.max_tokens,
        }
        if target.kind != "azure_openai":
            body["model"] = target.model
        delay = self._base_delay
        reason = "no answer"
        for attempt in range(1, self._attempts + 1):
            if self._limits is not None:
                self._limits()
            response = None
            try:
                response = self._session.post(
                    self._url, params=self._params, headers=self._headers, json=body, timeout=self._timeout
                )
            except requests.Timeout:
                reason = "timed out"
            except requests.RequestException:
                reason = "connection failed"
            if response is not None:
                if response.status_code == 200:
                    return _answer(response)
                reason = f"HTTP {response.status_code}"
                if response.status_code != 429 and response.status_code < 500:
                    raise ChatFailure(f"the agent answered {reason}")
            if attempt < self._attempts:
                self._sleep(retry_wait(response, delay))
                delay = min(delay * 2, RETRY_CAP_SECONDS)
        raise ChatFailure(f"the agent failed after {self._attempts} attempts ({reason})")


def retry_wait(response: Any, default: float) -> float:
    """Seconds to wait before retrying: the answer's ``Retry-After`` (capped), else ``default``."""
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return min(max(float(value), 0.0), RETRY_CAP_SECONDS) if value is not None else default
    except ValueError:
        return default


def _answer(response: Any) -> ChatAnswer:
    """The first choice's text and the usage; anything else is a failure, not a guess."""
    try:
        body = response.json()
        text = body["choices"][0]["message"]["content"]
        usage = body.get("usage") or {}
        prompt_tokens, completion_tokens = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
    except (ValueError, KeyError, IndexError, TypeError):
        raise ChatFailure("the agent answered in an unexpected shape") from None
    if not isinstance(text, str):
        raise ChatFailure("the agent's answer has no text")
    return ChatAnswer(text[:MAX_REPLY_CHARS], max(prompt_tokens, 0), max(completion_tokens, 0))


def parse_grade(text: str) -> float:
    """A judge's score, parsed strictly: ``{"score": x}`` with 0 <= x <= 1, or a bare number in [0, 1].

    Anything else (prose, a score out of range, two numbers) is a ``ChatFailure``: a judge that
    does not follow the format fails that row rather than being read generously.
    """
    import json
    import math

    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`").removeprefix("json").strip()
    try:
        value = json.loads(stripped)
    except ValueError:
        raise ChatFailure("the judge's answer is not a score") from None
    if isinstance(value, dict) and set(value) >= {"score"}:
        value = value["score"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ChatFailure("the judge's answer is not a score")
    if not 0.0 <= value <= 1.0:
        raise ChatFailure("the judge's score is outside [0, 1]")
    return float(value)
