"""The embeddings providers: the OpenAI-compatible and Azure OpenAI shapes against a local stub, and the local model."""

from __future__ import annotations

import math

import pytest

from shared.jobs.evaluation.embedding_runtime import EmbeddingsUnavailable, LocalEmbedder, OpenAIEmbedder
from shared.jobs.evaluation.evaluators import cosine
from tests.support.openai_stub import OpenAIStub, bag_of_words


def test_openai_shape_orders_by_index_and_batches() -> None:
    with OpenAIStub() as stub:
        embedder = OpenAIEmbedder(stub.url + "/v1", "gpt-test", "sk-test-key", batch_texts=2)
        vectors = embedder.embed(["red apple", "blue sky", "red apple pie"])
        assert vectors == [bag_of_words("red apple"), bag_of_words("blue sky"), bag_of_words("red apple pie")]
        assert [r.body["input"] for r in stub.state.requests] == [["red apple", "blue sky"], ["red apple pie"]]
        first = stub.state.requests[0]
        assert first.path == "/v1/embeddings" and first.headers["Authorization"] == "Bearer sk-test-key"
        assert first.body["model"] == "gpt-test" and "api-key" not in first.headers


def test_azure_shape() -> None:
    with OpenAIStub() as stub:
        embedder = OpenAIEmbedder(stub.url, "gpt-test", "sk-test-key", api_version="2024-10-21")
        assert embedder.embed(["one"]) == [bag_of_words("one")]
        request = stub.state.requests[0]
        assert request.path == "/openai/deployments/gpt-test/embeddings"
        assert request.query == {"api-version": ["2024-10-21"]} and request.headers["api-key"] == "sk-test-key"
        assert "Authorization" not in request.headers


def test_429_and_5xx_are_retried_then_give_up() -> None:
    with OpenAIStub() as stub:
        stub.state.rate_limit_next, stub.state.fail_next = 1, 1
        embedder = OpenAIEmbedder(stub.url + "/v1", "gpt-test", "sk-test-key", attempts=3)
        assert embedder.embed(["x"]) == [bag_of_words("x")]
        assert len(stub.state.requests) == 3
        stub.state.fail_next = 5
        with pytest.raises(EmbeddingsUnavailable, match="HTTP 500"):
            embedder.embed(["x"])
        assert len(stub.state.requests) == 6


def test_a_refused_key_is_not_retried_and_not_echoed() -> None:
    with OpenAIStub() as stub:
        embedder = OpenAIEmbedder(stub.url + "/v1", "gpt-test", "sk-wrong-key")
        with pytest.raises(EmbeddingsUnavailable) as caught:
            embedder.embed(["x"])
        assert len(stub.state.requests) == 1
        assert "sk-wrong-key" not in str(caught.value) and "HTTP 401" in str(caught.value)


def test_local_model_similarities() -> None:
    embedder = LocalEmbedder(threads=1)
    vectors = embedder.embed(
        [
            "The capital of France is Paris.",
            "Paris is the French capital.",
            "The cat is sleeping on the sofa.",
            "The capital of France is Paris.",
        ]
    )
    assert vectors.shape == (4, 384)
    assert all(math.isclose(float((row * row).sum()), 1.0, rel_tol=1e-4) for row in vectors)
    paraphrase, unrelated = cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2])
    assert paraphrase > 0.8 and unrelated < 0.2
    assert cosine(vectors[0], vectors[3]) == pytest.approx(1.0, abs=1e-3)
    alone = embedder.embed(["Paris is the French capital."])[0]
    assert cosine(alone, vectors[1]) == pytest.approx(1.0, abs=0.01), "batch company barely moves a vector"
