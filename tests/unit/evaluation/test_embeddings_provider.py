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


def test_one_embedder_per_process_even_when_batches_start_together(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from shared.jobs.evaluation import embedding_runtime

    built: list[object] = []

    class Slow:
        def __init__(self) -> None:
            time.sleep(0.2)  # long enough for every thread to arrive while the first one builds
            built.append(self)

    monkeypatch.setattr(embedding_runtime, "LocalEmbedder", Slow)
    embedding_runtime._build_embedder.cache_clear()
    try:
        got: list[object] = []
        threads = [threading.Thread(target=lambda: got.append(embedding_runtime.shared_embedder())) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(built) == 1 and len(got) == 5 and all(item is built[0] for item in got)
    finally:
        embedding_runtime._build_embedder.cache_clear()


def test_openai_provider_is_chosen_by_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.config import get_settings
    from shared.jobs.evaluation import embedding_runtime

    monkeypatch.setenv("CLOUDPLANE_EMBEDDINGS_PROVIDER", "openai")
    monkeypatch.delenv("CLOUDPLANE_EMBEDDINGS_ENDPOINT", raising=False)
    get_settings.cache_clear()
    embedding_runtime._build_embedder.cache_clear()
    try:
        with pytest.raises(EmbeddingsUnavailable, match="CLOUDPLANE_EMBEDDINGS_ENDPOINT"):
            embedding_runtime.shared_embedder()
        with OpenAIStub() as stub:
            monkeypatch.setenv("CLOUDPLANE_EMBEDDINGS_ENDPOINT", stub.url)
            monkeypatch.setenv("CLOUDPLANE_EMBEDDINGS_MODEL", "gpt-test")
            monkeypatch.setenv("CLOUDPLANE_EMBEDDINGS_API_KEY", "sk-test-key")
            monkeypatch.setenv("CLOUDPLANE_EMBEDDINGS_API_VERSION", "2024-10-21")
            get_settings.cache_clear()
            embedding_runtime._build_embedder.cache_clear()
            assert embedding_runtime.shared_embedder().embed(["a b"]) == [bag_of_words("a b")]
            assert stub.state.requests[0].path == "/openai/deployments/gpt-test/embeddings"
    finally:
        get_settings.cache_clear()
        embedding_runtime._build_embedder.cache_clear()
