"""Typed settings, read once from app settings (environment variables).

Azure Functions hands app settings to the worker as environment variables, and both
``func start`` and the local host copy ``local.settings.json`` into the environment, so
the environment is the only source read here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import AliasChoices, Field, IPvAnyNetwork, SecretStr, field_validator
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
    allowed_networks: Annotated[list[IPvAnyNetwork], NoDecode] = Field(
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

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [network.strip() for network in value.split(",") if network.strip()]
        return value

    def rate_limit_for(self, route_class: str) -> int:
        """Requests allowed per window for a route class ("default" or "jobs")."""
        return self.rate_limit_jobs if route_class == "jobs" else self.rate_limit_default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read on first use (tests call ``cache_clear`` to re-read)."""
    return Settings()
