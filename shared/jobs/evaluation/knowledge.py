"""``knowledge_source``: the rows of a dataset most similar to a prompt, given to the agent as context.

The knowledge dataset's first ``MAX_ROWS`` rows are read once per worker process (per dataset
and its size, so a re-uploaded file under the same id is read again), each row written as
``column: value`` lines and embedded by the semantic scorer's embedder. A prompt's context is
the ``TOP_K`` rows whose embeddings are closest to the prompt's (cosine; vectors are unit length).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import Any

from shared.jobs.evaluation.datasets import iter_rows
from shared.jobs.evaluation.embedding_runtime import shared_embedder
from shared.storage.datasets import DatasetRepository

TOP_K = 3
MAX_ROWS = 5_000
MAX_ROW_CHARS = 1_000

_cache: dict[tuple[str, str, int], tuple[list[str], Any]] = {}
_lock = threading.Lock()


def _row_text(row: dict[str, Any]) -> str:
    text = "\n".join(f"{key}: {value}" for key, value in row.items() if isinstance(value, str | int | float))
    return text[:MAX_ROW_CHARS]


def _knowledge(datasets: DatasetRepository, tenant_id: str, dataset_id: str) -> tuple[list[str], Any] | None:
    found = datasets.get(tenant_id, dataset_id)
    if found is None:
        return None
    key = (tenant_id, dataset_id, found.dataset.size_bytes)
    with _lock:
        if key in _cache:
            return _cache[key]
    data = datasets.read_range(found.blob, found.offsets[0] if found.offsets else 0, found.dataset.size_bytes)
    if found.dataset.format == "csv":
        data = found.header.encode() + data
    texts: list[str] = []
    for _, row in iter_rows(io.BytesIO(data), found.dataset.format):
        if isinstance(row, dict):
            texts.append(_row_text(row))
        if len(texts) >= MAX_ROWS:
            break
    import numpy as np

    vectors = np.asarray(shared_embedder().embed(texts), dtype=np.float32) if texts else None
    with _lock:
        _cache[key] = (texts, vectors)
    return texts, vectors


def knowledge_contexts(
    datasets: DatasetRepository, tenant_id: str, dataset_id: str | None, prompts: Sequence[str]
) -> list[str | None]:
    """One context per prompt (None without a knowledge source or when it has no rows)."""
    if dataset_id is None or not prompts:
        return [None] * len(prompts)
    found = _knowledge(datasets, tenant_id, dataset_id)
    if found is None or found[1] is None:
        return [None] * len(prompts)
    import numpy as np

    texts, vectors = found
    queries = np.asarray(shared_embedder().embed(list(prompts)), dtype=np.float32)
    queries /= np.clip(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12, None)
    norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    similarity = queries @ (vectors / norms).T
    contexts: list[str | None] = []
    for row in similarity:
        best = np.argsort(-row, kind="stable")[:TOP_K]
        contexts.append("Context:\n" + "\n---\n".join(texts[int(index)] for index in best))
    return contexts
