"""Pod templates (seed 000): built-in ones plus each tenant's own; a pod may start from one."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel


class PodResources(ApiModel):
    """What a pod asks for; requests and limits are set equal, so the scheduler's view is exact."""

    model_config = ConfigDict(extra="forbid")

    gpus: int = Field(0, ge=0, le=64, description="nvidia.com/gpu")
    cpu: float = Field(1, gt=0, le=512, description="cores")
    ram_gb: float = Field(1, gt=0, le=8192, description="memory in GiB")
    storage_gb: float = Field(0, ge=0, le=100_000, description="ephemeral-storage in GiB")


class TemplateBody(ApiModel):
    """A template's content: everything a pod needs but its name and server."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=1000)
    image: str = Field(min_length=1, max_length=500, examples=["nvidia/cuda:12.4.0-base-ubuntu22.04"])
    command: list[str] = Field(default_factory=list, max_length=100)
    env: dict[str, str] = Field(default_factory=dict)
    resources: PodResources = Field(default_factory=PodResources)
    labels: dict[str, str] = Field(default_factory=dict)


class Template(TemplateBody):
    id: str
    builtin: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None
