"""Typed settings, read once from app settings (environment variables).

Azure Functions hands app settings to the worker as environment variables, and both
``func start`` and the local host copy ``local.settings.json`` into the environment, so
the environment is the only source read here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the app reads; ``local.settings.sample.json`` lists each one."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", populate_by_name=True, defer_build=True)

    storage_connection: str = Field(
        "UseDevelopmentStorage=true",
        validation_alias=AliasChoices("CLOUDPLANE_STORAGE", "AzureWebJobsStorage"),
        description="Storage connection string; Azurite's well-known account locally.",
    )
    storage_account_name: str | None = Field(
        None,
        validation_alias=AliasChoices("CLOUDPLANE_STORAGE_ACCOUNT", "AzureWebJobsStorage__accountName"),
        description="Identity-based storage (DefaultAzureCredential) when set; wins over the connection string.",
    )
    admin_key: SecretStr | None = Field(None, validation_alias="CLOUDPLANE_ADMIN_KEY")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="CLOUDPLANE_CORS_ORIGINS"
    )
    max_body_bytes: int = Field(1024 * 1024, ge=1, validation_alias="CLOUDPLANE_MAX_BODY_BYTES")
    max_dataset_bytes: int = Field(100 * 1024 * 1024, ge=1, validation_alias="CLOUDPLANE_MAX_DATASET_BYTES")
    dataset_chunk_rows: int = Field(2_000, ge=1, validation_alias="CLOUDPLANE_DATASET_CHUNK_ROWS")
    rate_limit_default: int = Field(100, ge=1, validation_alias="CLOUDPLANE_RATE_LIMIT_DEFAULT")
    rate_limit_jobs: int = Field(10, ge=1, validation_alias="CLOUDPLANE_RATE_LIMIT_JOBS")
    rate_limit_window_seconds: int = Field(60, ge=1, validation_alias="CLOUDPLANE_RATE_LIMIT_WINDOW_SECONDS")
    rate_limit_lease_max: int = Field(10, ge=1, validation_alias="CLOUDPLANE_RATE_LIMIT_LEASE_MAX")
    auth_cache_seconds: float = Field(4.0, ge=0, le=5, validation_alias="CLOUDPLANE_AUTH_CACHE_SECONDS")
    storage_timeout_seconds: float = Field(5.0, gt=0, validation_alias="CLOUDPLANE_STORAGE_TIMEOUT_SECONDS")
    ready_timeout_seconds: float = Field(2.0, gt=0, validation_alias="CLOUDPLANE_READY_TIMEOUT_SECONDS")
    job_max_attempts: int = Field(5, ge=1, validation_alias="CLOUDPLANE_JOB_MAX_ATTEMPTS")
    openstack_action_timeout_seconds: int = Field(
        900,
        ge=1,
        le=86_400,
        validation_alias="CLOUDPLANE_OPENSTACK_ACTION_TIMEOUT_SECONDS",
        description="How long a power-action job waits for its server or stack to reach the target state.",
    )
    openstack_action_poll_seconds: int = Field(
        5,
        ge=1,
        le=300,
        validation_alias="CLOUDPLANE_OPENSTACK_ACTION_POLL_SECONDS",
        description="Seconds between two checks of a power action's state (the re-check's queue delay).",
    )
    results_inline_max_bytes: int = Field(4 * 1024 * 1024, ge=0, validation_alias="CLOUDPLANE_RESULTS_INLINE_MAX_BYTES")
    log_level: str = Field("INFO", validation_alias="CLOUDPLANE_LOG_LEVEL")
    stale_queued_seconds: int = Field(300, ge=1, validation_alias="CLOUDPLANE_STALE_QUEUED_SECONDS")
    stale_running_seconds: int = Field(900, ge=1, validation_alias="CLOUDPLANE_STALE_RUNNING_SECONDS")
    stale_fail_seconds: int = Field(3600, ge=1, validation_alias="CLOUDPLANE_STALE_FAIL_SECONDS")
    credentials_key: SecretStr | None = Field(
        None,
        validation_alias="CLOUDPLANE_CREDENTIALS_KEY",
        description="Base64 of 32 random bytes: the AES-256-GCM key for server credentials (Key Vault reference).",
    )
    credentials_key_previous: SecretStr | None = Field(
        None,
        validation_alias="CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS",
        description="The key before the last rotation: still decrypts, never encrypts.",
    )
    allow_private_endpoints: bool = Field(
        False,
        validation_alias="CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS",
        description="Let tenants register loopback and private-range cluster endpoints (local development).",
    )
    # The standard library's network types, not pydantic's IPvAnyNetwork: the same parsing, without
    # loading pydantic.networks (and the email package) at cold start.
    allowed_networks: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        validation_alias="CLOUDPLANE_ALLOWED_NETWORKS",
        description="Comma-separated CIDRs; if set, every address an endpoint resolves to must be in one.",
    )
    applicationinsights_connection_string: str | None = Field(
        None,
        validation_alias="APPLICATIONINSIGHTS_CONNECTION_STRING",
        description=(
            "Turns traces and metrics to Application Insights on. shared/telemetry.py, below this"
            " module, reads it from the environment on first use; the Functions host reads it too. Not a"
            " secret (it names where to send, not who may read), so set from the resource, not Key Vault."
        ),
    )
    k8s_timeout_seconds: float = Field(5.0, gt=0, le=60, validation_alias="CLOUDPLANE_K8S_TIMEOUT_SECONDS")
    openstack_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=120,
        validation_alias="CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS",
        description="Timeout of every request to an OpenStack cloud (Keystone, Nova, ...).",
    )
    openstack_max_connections: int = Field(
        256,
        ge=1,
        le=10_000,
        validation_alias="CLOUDPLANE_OPENSTACK_MAX_CONNECTIONS",
        description="Authenticated OpenStack connections one process keeps (registered clouds and Concertim's"
        " users' credentials); past it, the least recently used is closed (its next request logs in again).",
    )
    entra_authority: str | None = Field(
        None,
        validation_alias="CLOUDPLANE_ENTRA_AUTHORITY",
        description="Microsoft identity platform authority, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 "
        "(or .../organizations/v2.0); its OpenID configuration names the issuer and the JWKS. Unset: no tokens.",
    )
    entra_audiences: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="CLOUDPLANE_ENTRA_AUDIENCES",
        description="Comma-separated accepted aud values: the app's client id and/or its api://... URI.",
    )
    entra_required_scope: str = Field(
        "access_as_user",
        min_length=1,
        validation_alias="CLOUDPLANE_ENTRA_REQUIRED_SCOPE",
        description="The delegated scope (scp) a token must carry unless it carries one of the app roles.",
    )
    entra_read_role: str = Field("Cloudplane.Read", min_length=1, validation_alias="CLOUDPLANE_ENTRA_READ_ROLE")
    entra_write_role: str = Field("Cloudplane.Write", min_length=1, validation_alias="CLOUDPLANE_ENTRA_WRITE_ROLE")
    entra_timeout_seconds: float = Field(5.0, gt=0, le=30, validation_alias="CLOUDPLANE_ENTRA_TIMEOUT_SECONDS")
    entra_leeway_seconds: int = Field(60, ge=0, le=300, validation_alias="CLOUDPLANE_ENTRA_LEEWAY_SECONDS")
    concertim_jwt_secret: SecretStr | None = Field(
        None,
        validation_alias="CLOUDPLANE_CONCERTIM_JWT_SECRET",
        description="The HS256 secret Concertim signs its bearer tokens with (Key Vault reference). Empty: the"
        " /api/concertim/ paths answer 404.",
    )
    concertim_tenant_id: str | None = Field(
        None,
        validation_alias="CLOUDPLANE_CONCERTIM_TENANT",
        description="The tenant (its id) the /api/concertim/ paths act for: its rate budget, its billing accounts,"
        " its registered OpenStack cloud for a request that carries no cloud_env.",
    )
    embeddings_provider: Literal["local", "openai"] = Field(
        "local",
        validation_alias="CLOUDPLANE_EMBEDDINGS_PROVIDER",
        description="Semantic scoring: 'local' (all-MiniLM-L6-v2 on the CPU) or 'openai' (an embeddings deployment).",
    )
    embeddings_endpoint: str | None = Field(
        None, validation_alias="CLOUDPLANE_EMBEDDINGS_ENDPOINT", description="Azure OpenAI resource or /v1 base URL."
    )
    embeddings_model: str | None = Field(
        None, validation_alias="CLOUDPLANE_EMBEDDINGS_MODEL", description="Deployment (Azure) or model name."
    )
    embeddings_api_key: SecretStr | None = Field(None, validation_alias="CLOUDPLANE_EMBEDDINGS_API_KEY")
    embeddings_api_version: str | None = Field(
        None, validation_alias="CLOUDPLANE_EMBEDDINGS_API_VERSION", description="Set for Azure OpenAI, e.g. 2024-10-21."
    )
    embeddings_timeout_seconds: float = Field(
        30.0, gt=0, le=300, validation_alias="CLOUDPLANE_EMBEDDINGS_TIMEOUT_SECONDS"
    )
    # The sharded jobs layout (shared/jobs/shards.py, docs/capacity.md). The defaults are one work
    # queue ``jobs``, one ``job-events``, one partition per tenant and one account.
    work_queues: int = Field(
        1,
        ge=1,
        le=40,  # shared/jobs/shards.py MAX_WORK_QUEUES: the work queues with a declared trigger
        validation_alias="CLOUDPLANE_WORK_QUEUES",
        description="Work queues a job's steps are spread over by a stable hash of its id: jobs, jobs-1, ...",
    )
    event_queues: int = Field(
        1,
        ge=1,
        le=256,
        validation_alias="CLOUDPLANE_EVENT_QUEUES",
        description="Queues the JobMessages are spread over (job-events, job-events-1, ...); one job's on one queue.",
    )
    job_partitions: int = Field(
        1,
        ge=1,
        le=1024,
        validation_alias="CLOUDPLANE_JOB_PARTITIONS",
        description="Partitions of table jobs per tenant; raise only (a job's id names its partition).",
    )
    job_accounts: int = Field(
        1,
        ge=1,
        le=64,
        validation_alias="CLOUDPLANE_JOB_ACCOUNTS",
        description="Storage accounts the jobs' partitions and queues are spread over; account k >= 1 is the "
        "connection CLOUDPLANE_JOBS_ACCOUNT_<k> (a connection string, or __accountName with the identity).",
    )

    billing_provider: Literal["builtin"] = Field(
        "builtin",
        validation_alias="CLOUDPLANE_BILLING_PROVIDER",
        description="The billing provider of every tenant not named in CLOUDPLANE_BILLING_PROVIDERS.",
    )
    billing_providers: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        validation_alias="CLOUDPLANE_BILLING_PROVIDERS",
        description="Per-tenant billing provider, comma-separated tenant_id=provider pairs (empty: the default).",
    )
    billing_currency: str = Field(
        "USD",
        pattern=r"^[A-Z]{3}$",
        validation_alias="CLOUDPLANE_BILLING_CURRENCY",
        description="ISO 4217 currency of accounts opened without one (and of the built-in rate card).",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("entra_audiences", mode="before")
    @classmethod
    def _split_audiences(cls, value: object) -> object:
        if isinstance(value, str):
            return [audience.strip() for audience in value.split(",") if audience.strip()]
        return value

    @field_validator("billing_providers", mode="before")
    @classmethod
    def _split_billing_providers(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = (pair.partition("=") for pair in value.split(",") if pair.strip())
            return {tenant.strip(): provider.strip() for tenant, _, provider in pairs}
        return value

    def billing_provider_for(self, tenant_id: str) -> str:
        """The billing provider that keeps ``tenant_id``'s accounts."""
        return self.billing_providers.get(tenant_id, self.billing_provider)

    @property
    def entra_enabled(self) -> bool:
        """Microsoft identity platform tokens are accepted once an authority and an audience are set."""
        return bool(self.entra_authority and self.entra_audiences)

    @property
    def concertim_enabled(self) -> bool:
        """Concertim's paths are served once the shared secret is set (docs/compat.md)."""
        return bool(self.concertim_jwt_secret and self.concertim_jwt_secret.get_secret_value())

    @field_validator("allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [network.strip() for network in value.split(",") if network.strip()]
        return value

    def rate_limit_for(self, route_class: str) -> int:
        """Requests allowed per window for a route class ("default" or "jobs")."""
        return self.rate_limit_jobs if route_class == "jobs" else self.rate_limit_default


JOB_ACCOUNT_CONNECTION = "CLOUDPLANE_JOBS_ACCOUNT_{}"
"""The connection name of jobs account k >= 1 (account 0 is ``AzureWebJobsStorage``): the host's
queue triggers and the app's own clients read the same settings, ``<name>`` (a connection
string) or ``<name>__accountName`` / ``__queueServiceUri`` (the managed identity)."""


def job_account_connection(index: int) -> str:
    """The connection (app setting prefix) of jobs account ``index``, as a queue trigger names it."""
    return "AzureWebJobsStorage" if index == 0 else JOB_ACCOUNT_CONNECTION.format(index)


def job_account_location(index: int) -> tuple[str | None, str | None]:
    """Jobs account ``index`` >= 1 as the environment gives it: (connection string, account name)."""
    prefix = job_account_connection(index)
    return os.environ.get(prefix) or None, os.environ.get(f"{prefix}__accountName") or None


def _count_in_environment(name: str) -> int:
    try:
        return max(1, int(os.environ.get(name, "1")))
    except ValueError:
        return 1


def job_account_count() -> int:
    """``CLOUDPLANE_JOB_ACCOUNTS`` read straight from the environment, for the triggers declared at
    import (building ``Settings`` there would make a bad setting stop the host from indexing)."""
    return _count_in_environment("CLOUDPLANE_JOB_ACCOUNTS")


def work_queue_count() -> int:
    """``CLOUDPLANE_WORK_QUEUES`` read straight from the environment, for the same reason."""
    return _count_in_environment("CLOUDPLANE_WORK_QUEUES")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read on first use (tests call ``cache_clear`` to re-read)."""
    return Settings()
