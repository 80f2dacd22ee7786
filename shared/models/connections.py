"""Connections: a source or target system's credentials, sealed at rest, never returned.

A ``Connection`` says which system, where (``base_url``), who owns it (the tenant, or a job that
carried its credentials inline) and whether credentials are set; the credentials themselves go
in and never come out. ``rate_limits`` is the budget every batch of every job on this connection
shares; the defaults keep under the systems' published limits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel
from shared.models.servers import NAME_PATTERN

ConnectionSystem = Literal["affinity", "attio"]
CONNECTION_SYSTEMS: tuple[ConnectionSystem, ...] = ("affinity", "attio")
PUBLIC_URLS: dict[str, str] = {"affinity": "https://api.affinity.co", "attio": "https://api.attio.com"}
ConnectionReason = Literal["UNAUTHORIZED", "UNREACHABLE", "ENDPOINT_NOT_ALLOWED", "RATE_LIMITED", "API_ERROR"]


class RateWindow(ApiModel):
    model_config = ConfigDict(extra="forbid")

    requests: int = Field(ge=1, le=1_000_000, description="Requests allowed per window.")
    seconds: float = Field(ge=0.1, le=3600, description="The window's length in seconds.")


class RateLimits(ApiModel):
    """One budget for reads and one for writes; without ``write``, writes count against ``read``."""

    model_config = ConfigDict(extra="forbid")

    read: RateWindow
    write: RateWindow | None = None


DEFAULT_RATE_LIMITS: dict[str, RateLimits] = {
    # Affinity: 900 requests a minute per user, reads and writes alike.
    "affinity": RateLimits(read=RateWindow(requests=850, seconds=60)),
    # Attio: 100 reads and 25 writes a second.
    "attio": RateLimits(read=RateWindow(requests=90, seconds=1), write=RateWindow(requests=22, seconds=1)),
}

_ApiKey = Field(min_length=1, max_length=4096, description="API key or access token (write-only, encrypted at rest).")
_Workspace = Field(None, min_length=1, max_length=200, description="Attio workspace id (optional).")
_BaseUrl = Field(
    None,
    max_length=2048,
    description="The API's base URL (default: the system's public API); the endpoint rules apply.",
    examples=["https://api.affinity.co"],
)


class ConnectionCredentials(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    api_key: str = _ApiKey
    workspace_id: str | None = _Workspace


class ConnectionCreate(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    system: ConnectionSystem
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN, examples=["affinity-prod"])
    credentials: ConnectionCredentials
    base_url: str | None = _BaseUrl
    rate_limits: RateLimits | None = Field(None, description="Default: under the system's published limits.")


class ConnectionPatch(ApiModel):
    """Fields left out keep their value; credentials given replace the stored ones whole."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=100, pattern=NAME_PATTERN)
    credentials: ConnectionCredentials | None = None
    base_url: str | None = _BaseUrl
    rate_limits: RateLimits | None = None


class ConnectionCredentialsInfo(ApiModel):
    set: bool
    updated_at: datetime | None = None


class Connection(ApiModel):
    id: str
    system: ConnectionSystem
    name: str
    base_url: str
    owner: Literal["tenant", "job"] = Field(description="job: sealed from a job's inline credentials.")
    credentials: ConnectionCredentialsInfo
    rate_limits: RateLimits
    created_at: datetime
    updated_at: datetime


class ConnectionTest(ApiModel):
    """One cheap authenticated call: ``ok: false`` with a reason when the connection cannot be used."""

    ok: bool
    reason: ConnectionReason | None = None
    message: str | None = None
    latency_ms: float | None = None
    checked_at: datetime
