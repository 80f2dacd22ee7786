"""The process's long-lived collaborators, built on first use and reused across invocations.

One place builds them, so a trigger, a test and a benchmark get the same wiring; ``reset``
lets a test start over with new settings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from shared.api.auth import Authenticator
from shared.api.ratelimit import RateLimiter
from shared.config import get_settings
from shared.storage.clients import StorageClients
from shared.storage.tenants import ApiKeyRepository, TenantRepository

if TYPE_CHECKING:  # the areas' repositories load with the area, not at cold start
    from shared.jobs.engine import Engine
    from shared.storage.datasets import DatasetRepository
    from shared.storage.pods import PodIndex
    from shared.storage.servers import ServerRepository
    from shared.storage.templates import TemplateRepository


@lru_cache(maxsize=1)
def storage() -> StorageClients:
    return StorageClients(get_settings())


@lru_cache(maxsize=1)
def tenants() -> TenantRepository:
    return TenantRepository(storage())


@lru_cache(maxsize=1)
def api_keys() -> ApiKeyRepository:
    return ApiKeyRepository(storage())


@lru_cache(maxsize=1)
def datasets() -> DatasetRepository:
    from shared.storage.datasets import DatasetRepository

    return DatasetRepository(storage())


@lru_cache(maxsize=1)
def servers() -> ServerRepository:
    from shared.storage.servers import ServerRepository

    return ServerRepository(storage())


@lru_cache(maxsize=1)
def templates() -> TemplateRepository:
    from shared.storage.templates import TemplateRepository

    return TemplateRepository(storage())


@lru_cache(maxsize=1)
def pods() -> PodIndex:
    from shared.storage.pods import PodIndex

    return PodIndex(storage())


@lru_cache(maxsize=1)
def authenticator() -> Authenticator:
    return Authenticator(get_settings(), api_keys())


@lru_cache(maxsize=1)
def rate_limiter() -> RateLimiter:
    return RateLimiter(get_settings(), storage())


@lru_cache(maxsize=1)
def jobs() -> Engine:
    """Built on first use: requests that run no job never import the engine or the job types."""
    import shared.jobs.types  # noqa: F401 - registers the job types
    from shared.jobs.engine import Engine

    return Engine(storage(), max_attempts=get_settings().job_max_attempts)


def reset() -> None:
    """Forget settings and every collaborator (tests that change settings call this)."""
    get_settings.cache_clear()
    for builder in (storage, tenants, api_keys, datasets, servers, templates, pods, authenticator, rate_limiter, jobs):
        builder.cache_clear()
