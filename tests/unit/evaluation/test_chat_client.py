"""The chat-completions client against the local stub (both URL shapes), and the judge's strict score parsing."""

from __future__ import annotations

import pytest

from shared.jobs.evaluation.chat_client import ChatClient, ChatFailure, ChatTarget, parse_grade
from tests.support.openai_stub import OpenAIStub


def _target(stub: OpenAIStub, **overrides: object) -> ChatTarget:
    values: dict[str, object] = {
        "kind": "openai",
        "endpoint": stub.url + "/v1",
        "model": "gpt-test",
        "api_version": None,
        "api_key": "sk-test-key",
        "system_prompt": "",
        "temperature": 0.0,
        "max_tokens": 64,
    }
    values.update(overrides)
    return ChatTarget(**values)  # type: ignore[arg-type]


def test_azure_openai_shape_and_context_message() -> None:
    with OpenAIStub() as stub:
        client = ChatClient(_target(stub, kind="azure_openai", endpoint=stub.url, api_version="2024-10-21"))
        answer = client.complete("hello there", context="Context: facts")
        assert answer.text == "echo: hello there"
        assert (answer.prompt_tokens, answer.completion_tokens) == (4, 3)
        request = stub.state.requests[0]
        assert request.path == "/openai/deployments/gpt-test/chat/completions"
        assert request.query == {"api-version": ["2024-10-21"]} and request.headers["api-key"] == "sk-test-key"
        assert "model" not in request.body and request.body["max_tokens"] == 64
        assert request.body["messages"] == [
            {"role": "system", "content": "Context: facts"},
            {"role": "user", "content": "hello there"},
        ]


def test_retries_429_and_5xx_then_reports_the_status_only() -> None:
    waits: list[float] = []
    with OpenAIStub() as stub:
        stub.state.rate_limit_next, stub.state.fail_next = 2, 1
        paced: list[int] = []
        client = ChatClient(_target(stub), attempts=4, sleep=waits.append, limits=lambda: paced.append(1))
        assert client.complete("x").text == "echo: x"
        assert len(stub.state.requests) == 4 and len(paced) == 4, "every attempt goes through the limits"
        assert waits == [0.0, 0.0, 0.0], "Retry-After: 0 from the stub is honoured"
        stub.state.fail_next = 9
        with pytest.raises(ChatFailure) as caught:
            client.complete("x")
        assert caught.value.reason == "the agent failed after 4 attempts (HTTP 500)"


def test_other_statuses_fail_at_once() -> None:
    with OpenAIStub() as stub:
        client = ChatClient(_target(stub, model="other-model"), attempts=5)
        with pytest.raises(ChatFailure, match="HTTP 404"):
            client.complete("x")
        assert len(stub.state.requests) == 1


@pytest.mark.parametrize(
    ("text", "score"), [('{"score": 0.7}', 0.7), ("1", 1.0), ("0", 0.0), ('```json\n{"score": 0.25}\n```', 0.25)]
)
def test_grades_parsed(text: str, score: float) -> None:
    assert parse_grade(text) == score


@pytest.mark.parametrize(
    "text", ["0.7 because it is close", '{"score": 1.5}', "-0.1", "true", '{"grade": 1}', "NaN", ""]
)
def test_grades_refused(text: str) -> None:
    with pytest.raises(ChatFailure):
        parse_grade(text)
