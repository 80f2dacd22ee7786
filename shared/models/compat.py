"""Seed 000's request and response shapes, served on its own paths (``/api/server-config/...``,
``/api/k8s/...``) over the same services as ``/api/v1`` (see docs/compat.md)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel
from shared.models.common import AddressableId
from shared.models.pods import POD_NAME_PATTERN, PodSpecFields, PodStatus
from shared.models.servers import ServerPatch
from shared.models.templates import PodResources


class LegacyError(ApiModel):
    """The seed's error shape (``code``, ``details`` and ``request_id`` are Cloudplane's additions)."""

    success: bool = False
    error: str = Field(description="What went wrong, for a person.")
    status_code: int
    code: str = Field(description="The same UPPER_SNAKE code as the /api/v1 envelope.")
    details: dict[str, Any] = Field(default_factory=dict)
    request_id: str


class LegacyServerConfigure(ServerPatch):
    """``POST /api/server-config/configure``: update the server named by ``id`` (or, without ``id``, the
    one with this ``name``), else create it. Updating keeps what is left out (credentials included);
    creating needs ``name`` and ``kubeconfig`` or ``api_url``."""

    id: AddressableId | None = Field(None, min_length=1, max_length=64, description="An existing server to update.")


class LegacyPodCreate(PodSpecFields):
    """``POST /api/k8s/pods`` with the seed's fields; ``image`` is optional (see docs/compat.md)."""

    server_id: AddressableId = Field(min_length=1, max_length=64, description='A server id, or "auto".')
    name: str = Field(pattern=POD_NAME_PATTERN, max_length=63)
    resources: PodResources = Field(description="gpus, ram_gb, storage_gb (and optionally cpu).")


class LegacyPodUpdate(PodSpecFields):
    """``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the pod is replaced at once)."""


class LegacyPodQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    server_id: AddressableId | None = Field(None, max_length=64)
    status: PodStatus | None = None
