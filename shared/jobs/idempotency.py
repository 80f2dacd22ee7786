"""What makes two job submissions "the same request" for an ``Idempotency-Key``.

Two bodies are the same request when they mean the same job: compared after validation, with
every default applied, so ``"configuration": {}`` and ``{"batch_size": 100}`` (the default),
a reordered object or ``"description": null`` versus no description are one request, and a
body that changes any validated value is another. The fingerprint is a SHA-256 of canonical
JSON (sorted keys, no spaces) of the validated ``JobCreate`` fields and the job type's
validated configuration model.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from shared.models.jobs import JobCreate


def canonical_request(request: JobCreate, config: BaseModel) -> dict[str, Any]:
    """The validated submission as plain JSON values; the configuration is the type's model, defaults in."""
    return {
        "type": request.type,
        "name": request.name,
        "description": request.description,
        "configuration": config.model_dump(mode="json"),
    }


def fingerprint(request: JobCreate, config: BaseModel) -> str:
    text = json.dumps(canonical_request(request, config), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def legacy_fingerprint(request: JobCreate) -> str:
    """The hash stored before fingerprints were canonical (raw configuration): still honoured for
    keys recorded before the change, until they expire."""
    return hashlib.sha256(request.model_dump_json().encode()).hexdigest()
