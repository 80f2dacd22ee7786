"""Agents: OpenAI-compatible chat-completions endpoints (Azure OpenAI included) that answer rows.

The API key goes in and never comes out (it is sealed like server credentials): an ``Agent``
only says whether one is set. Limits bound what one agent may spend: concurrent calls,
requests and tokens per minute (shared by every batch and instance), and a token budget per job.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel
from shared.models.servers import NAME_PATTERN

AgentKind = Literal["openai", "azure_openai"]


class AgentLimits(ApiModel):
    model_config = ConfigDict(extra="forbid")

    max_concurrent_calls: int = Field(4, ge=1, le=64, description="Calls in flight at once, across every instance.")
    requests_per_minute: int = Field(60, ge=1, le=100_000, description="Calls per minute across every instance.")
    tokens_per_minute: int | None = Field(
        None, ge=1, le=100_000_000, description="Tokens (prompt + completion) per minute across every instance."
    )
    token_budget_per_job: int | None = Field(
        None, ge=1, le=1_000_000_000, description="Tokens one job may spend; rows past it fail with the reason."
    )


_Endpoint = Field(
    max_length=2048,
    examples=["https://my-resource.openai.azure.com", "https://api.example.com/v1"],
    description="Azure OpenAI resource URL, or the base URL an OpenAI-compatible API serves /chat/completions under.",
)
_ApiKey = Field(None, min_length=1, max_length=4096, description="API key (write-only, encrypted at rest).")


class AgentBody(ApiModel):
    """What registering an agent takes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=NAME_PATTERN, max_length=100)
    kind: AgentKind = Field("openai", description="openai: {endpoint}/chat/completions; azure_openai: deployments.")
    endpoint: str = _Endpoint
    model: str = Field(min_length=1, max_length=200, description="Model name, or the deployment for azure_openai.")
    api_version: str | None = Field(
        None, min_length=1, max_length=40, pattern=r"^[0-9A-Za-z.-]+$", description="azure_openai api-version."
    )
    api_key: str | None = _ApiKey
    system_prompt: str = Field("", max_length=20_000)
    temperature: float = Field(0.0, ge=0.0, le=2.0, allow_inf_nan=False)
    max_tokens: int = Field(512, ge=1, le=32_768, description="Largest completion per call.")
    limits: AgentLimits = Field(default_factory=AgentLimits)
    default: bool = Field(False, description="The tenant's default agent (for jobs whose selected_agent_id is null).")


class AgentPatch(ApiModel):
    """Fields to change; absent fields stay. ``api_key: null`` removes the key."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, pattern=NAME_PATTERN, max_length=100)
    kind: AgentKind | None = None
    endpoint: str | None = Field(None, max_length=2048)
    model: str | None = Field(None, min_length=1, max_length=200)
    api_version: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[0-9A-Za-z.-]+$")
    api_key: str | None = _ApiKey
    system_prompt: str | None = Field(None, max_length=20_000)
    temperature: float | None = Field(None, ge=0.0, le=2.0, allow_inf_nan=False)
    max_tokens: int | None = Field(None, ge=1, le=32_768)
    limits: AgentLimits | None = None
    default: bool | None = None


class Agent(ApiModel):
    """A registered agent as the API shows it (never its key)."""

    id: str
    name: str
    kind: AgentKind
    endpoint: str
    model: str
    api_version: str | None = None
    has_api_key: bool
    system_prompt: str
    temperature: float
    max_tokens: int
    limits: AgentLimits
    default: bool
    created_at: datetime
    updated_at: datetime


class AgentTestBody(ApiModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field("Reply with the word ok.", min_length=1, max_length=4_000)


class AgentTestResult(ApiModel):
    ok: bool
    reply: str | None = Field(None, description="The agent's answer (first 2,000 characters).")
    tokens: int = 0
    latency_ms: int
    error: str | None = Field(None, description="Why the call failed (status or reason; never the key).")
