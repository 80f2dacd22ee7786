"""Tenants, their API keys and the caller's identity."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel


class Scope(StrEnum):
    """``read`` allows GET; ``write`` allows every other method."""

    READ = "read"
    WRITE = "write"


class TenantCreate(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, examples=["Acme GPU Platform"])
    slug: str = Field(
        pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
        description="Unique, lower-case letters, digits and hyphens.",
        examples=["acme"],
    )


class Tenant(ApiModel):
    id: str
    name: str
    slug: str
    created_at: datetime


class ApiKeyCreate(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field("default", min_length=1, max_length=100, examples=["ci-pipeline"])
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.READ, Scope.WRITE], min_length=1)


class ApiKey(ApiModel):
    id: str
    tenant_id: str
    name: str
    prefix: str = Field(description="The key's public start, to tell keys apart.")
    scopes: list[Scope]
    created_at: datetime
    revoked_at: datetime | None = None


class ApiKeyWithSecret(ApiKey):
    key: str = Field(description="The secret key. Shown this once: store it now.")


class TenantCreated(ApiModel):
    tenant: Tenant
    api_key: ApiKeyWithSecret


class Me(ApiModel):
    tenant: Tenant | None = Field(description="Null for the admin key.")
    key_id: str | None
    scopes: list[Scope]
    admin: bool
