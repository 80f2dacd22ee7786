"""Pods: containers Cloudplane runs on a tenant's servers, with exact requests and limits."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from shared.models.base import ApiModel
from shared.models.common import AddressableId
from shared.models.servers import LABEL_KEY_PATTERN
from shared.models.templates import PodResources

POD_NAME_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
"""A DNS-1123 label: what Kubernetes accepts as a pod name (at most 63 characters)."""
LABEL_VALUE_PATTERN = r"^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$"
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]*$"
RESERVED_LABEL_PREFIXES = ("cloudplane.io/", "app.kubernetes.io/managed-by")

PodStatus = Literal["pending", "running", "succeeded", "failed", "unknown"]


def _check_labels(labels: dict[str, str] | None) -> dict[str, str] | None:
    """Errors name the label by its position, never by its text (the key is untrusted input)."""
    for position, (key, value) in enumerate((labels or {}).items(), start=1):
        if not re.fullmatch(LABEL_KEY_PATTERN, key) or not re.fullmatch(LABEL_VALUE_PATTERN, value):
            raise ValueError(f"label #{position}: not a valid Kubernetes label key and value")
        if key.startswith(RESERVED_LABEL_PREFIXES):
            raise ValueError(f"label #{position}: cloudplane.io/ and app.kubernetes.io/managed-by are Cloudplane's")
    return labels


def _check_env(env: dict[str, str] | None) -> dict[str, str] | None:
    """Errors name the variable by its position, never by its name (untrusted input)."""
    for position, key in enumerate(env or {}, start=1):
        if not re.fullmatch(ENV_NAME_PATTERN, key) or len(key) > 256:
            raise ValueError(f"env #{position}: not a valid variable name")
    return env


class PodSpecFields(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    image: str | None = Field(None, min_length=1, max_length=500, examples=["nvidia/cuda:12.4.0-base-ubuntu22.04"])
    command: list[str] | None = Field(None, max_length=100)
    env: dict[str, str] | None = Field(
        None, max_length=200, json_schema_extra={"propertyNames": {"pattern": ENV_NAME_PATTERN, "maxLength": 256}}
    )
    resources: PodResources | None = None
    labels: dict[str, str] | None = Field(
        None,
        max_length=50,
        json_schema_extra={
            "propertyNames": {"pattern": LABEL_KEY_PATTERN},
            "additionalProperties": {"type": "string", "pattern": LABEL_VALUE_PATTERN},
        },
    )

    _labels = field_validator("labels")(_check_labels)
    _env = field_validator("env")(_check_env)


class PodCreate(PodSpecFields):
    """Create a pod; with ``template_id`` the template is the start and given fields override it."""

    server_id: AddressableId = Field(min_length=1, max_length=64, description='A server id, or "auto" to pick one.')
    name: str = Field(pattern=POD_NAME_PATTERN, max_length=63, description="Kubernetes pod name (DNS-1123 label).")
    template_id: AddressableId | None = Field(None, min_length=1, max_length=100)


class PodUpdate(PodSpecFields):
    """PUT: fields given replace the pod's; left out (or null) keep their value. Name and server stay."""


class Pod(ApiModel):
    id: str = Field(description="Opaque and stable, also across a replacement.")
    server_id: str
    name: str
    namespace: str
    image: str
    command: list[str]
    env: dict[str, str]
    resources: PodResources
    labels: dict[str, str] = Field(description="The pod's own labels (Cloudplane's are not shown).")
    template_id: str | None = None
    status: PodStatus
    phase: str | None = Field(None, description="Kubernetes phase, as reported.")
    node_name: str | None = None
    created_at: datetime | None = None


class PodReplaced(Pod):
    replaced: bool = Field(True, description="The pod was deleted and created again with the new spec.")


class PodListQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=100)
    server_id: AddressableId | None = Field(None, max_length=64)
    status: PodStatus | None = None
    label: str | None = Field(
        None,
        max_length=400,
        description="key=value",
        json_schema_extra={"pattern": LABEL_KEY_PATTERN.rstrip("$") + "=" + LABEL_VALUE_PATTERN.lstrip("^")},
    )

    @field_validator("label")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        if value is None:
            return value
        key, equals, label_value = value.partition("=")
        if not equals or not re.fullmatch(LABEL_KEY_PATTERN, key) or not re.fullmatch(LABEL_VALUE_PATTERN, label_value):
            raise ValueError("label filter is key=value, with a valid Kubernetes label key and value")
        return value


class ServerFailure(ApiModel):
    server_id: str
    reason: str


class PodPage(ApiModel):
    items: list[Pod]
    next_cursor: str | None = None
    has_more: bool
    errors: list[ServerFailure] = Field(
        default_factory=list, description="Servers whose pods are missing from this list, and why."
    )
