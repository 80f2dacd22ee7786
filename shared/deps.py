"""The composition root: the one module that builds repositories, services, the engine and storage clients.

Every collaborator is an ``@lru_cache`` factory with its return type, so a trigger, a test and a
benchmark get the same wiring and a reader's go-to-definition lands on the function that builds
it. Each factory imports what it builds inside its body: importing this module (which cold start
does) loads none of the areas, and an area loads on its first request. ``reset`` forgets them all,
so a test that changes the settings starts over.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from shared.config import get_settings

if TYPE_CHECKING:  # built on first use, never at import
    from shared.api.auth import Authenticator
    from shared.api.ratelimit import RateLimiter
    from shared.billing.builtin import BuiltinBilling
    from shared.billing.metering import ServerMeter
    from shared.billing.provider import BillingProvider
    from shared.jobs.engine import Engine
    from shared.jobs.shards import Layout
    from shared.providers.openstack import CloudConnections
    from shared.services.agents import AgentsService
    from shared.services.backup import BackupService
    from shared.services.billing import BillingService
    from shared.services.billing_concertim import ConcertimBilling
    from shared.services.cloud_actions import CloudActionsService
    from shared.services.cloud_keypairs import CloudKeyPairsService
    from shared.services.cloud_roles import CloudRolesService
    from shared.services.cloud_statistics import CloudStatisticsService
    from shared.services.cloud_teams import CloudTeamsService
    from shared.services.cloud_users import CloudUsersService
    from shared.services.clouds import CloudsService
    from shared.services.compat import CompatService
    from shared.services.compat_jobs import CompatJobsService
    from shared.services.concertim import ConcertimService
    from shared.services.connections import ConnectionsService
    from shared.services.console import ConsoleService
    from shared.services.datasets import DatasetsService
    from shared.services.docs import DocsService
    from shared.services.endpoints import EndpointPolicy
    from shared.services.health import HealthService
    from shared.services.identities import IdentityMappingsService
    from shared.services.jobs import JobsService
    from shared.services.pod_jobs import PodReplacements
    from shared.services.pods import PodsService
    from shared.services.server_credentials import ServerCredentials
    from shared.services.servers import ServersService
    from shared.services.templates import TemplatesService
    from shared.services.tenants import TenantsService
    from shared.storage.agents import AgentRepository, AgentUsage
    from shared.storage.billing import BillingRepository
    from shared.storage.clients import StorageClients
    from shared.storage.connections import ConnectionRepository
    from shared.storage.datasets import DatasetRepository
    from shared.storage.identities import IdentityMappingRepository
    from shared.storage.migration_map import MigrationMap
    from shared.storage.pods import PodIndex
    from shared.storage.rate_budget import RateBudgets
    from shared.storage.server_power import ServerPowerRepository
    from shared.storage.servers import ServerRepository
    from shared.storage.templates import TemplateRepository
    from shared.storage.tenants import ApiKeyRepository, TenantRepository


# ---------------------------------------------------------------- storage and repositories


@lru_cache(maxsize=1)
def storage() -> StorageClients:
    from shared.storage.clients import StorageClients

    return StorageClients(get_settings())


@lru_cache(maxsize=1)
def tenants() -> TenantRepository:
    from shared.storage.tenants import TenantRepository

    return TenantRepository(storage())


@lru_cache(maxsize=1)
def api_keys() -> ApiKeyRepository:
    from shared.storage.tenants import ApiKeyRepository

    return ApiKeyRepository(storage())


@lru_cache(maxsize=1)
def datasets() -> DatasetRepository:
    from shared.storage.datasets import DatasetRepository

    return DatasetRepository(storage())


@lru_cache(maxsize=1)
def identity_mappings() -> IdentityMappingRepository:
    from shared.storage.identities import IdentityMappingRepository

    return IdentityMappingRepository(storage())


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
def connections() -> ConnectionRepository:
    from shared.storage.connections import ConnectionRepository

    return ConnectionRepository(storage())


@lru_cache(maxsize=1)
def rate_budgets() -> RateBudgets:
    """The process's per-connection request budgets (leases are shared by the batches of one instance)."""
    from shared.storage.rate_budget import RateBudgets

    return RateBudgets(storage())


@lru_cache(maxsize=1)
def billing_repository() -> BillingRepository:
    from shared.storage.billing import BillingRepository

    return BillingRepository(storage())


@lru_cache(maxsize=1)
def server_power() -> ServerPowerRepository:
    from shared.storage.server_power import ServerPowerRepository

    return ServerPowerRepository(storage())


@lru_cache(maxsize=1)
def server_meter() -> ServerMeter:
    """Flavor-hours of OpenStack servers from completed power actions, on the server's team's account."""
    from shared.billing.metering import ServerMeter

    billing = billing_service()
    return ServerMeter(
        server_power,
        billing.server_account,
        lambda tenant_id, account_id, records: billing.meter(tenant_id, records, account_id),
    )


@lru_cache(maxsize=1)
def builtin_billing() -> BuiltinBilling:
    from shared.billing.builtin import BuiltinBilling
    from shared.clock import utc_now

    return BuiltinBilling(billing_repository(), utc_now, get_settings().billing_currency)


def billing_provider(tenant_id: str) -> BillingProvider:
    """The billing provider of ``tenant_id``, as ``CLOUDPLANE_BILLING_PROVIDER(S)`` choose.

    Only ``builtin`` exists today; an external system's adapter is another branch here.
    """
    choice = get_settings().billing_provider_for(tenant_id)
    if choice == "builtin":
        return builtin_billing()
    from shared.errors import ServiceUnavailable

    raise ServiceUnavailable(f"Billing provider {choice!r} is not available.", code="BILLING_PROVIDER_UNKNOWN")


@lru_cache(maxsize=1)
def billing_service() -> BillingService:
    from shared.services.billing import BillingService

    return BillingService(billing_provider, builtin_billing())


# ---------------------------------------------------------------- the request pipeline's guards


@lru_cache(maxsize=1)
def authenticator() -> Authenticator:
    from shared.api.auth import Authenticator, TokenAccess

    settings = get_settings()
    access = None
    if settings.entra_enabled:  # Microsoft identity platform tokens beside API keys
        from shared.api.entra import EntraTokens

        access = TokenAccess(
            tokens=EntraTokens(settings),
            mappings=identity_mappings(),
            tenants=tenants(),
            read_role=settings.entra_read_role,
            write_role=settings.entra_write_role,
        )
    concertim = None
    if settings.concertim_enabled and settings.concertim_jwt_secret is not None:  # docs/compat.md
        from shared.api.auth import ConcertimAccess
        from shared.api.concertim_tokens import ConcertimTokens

        concertim = ConcertimAccess(
            tokens=ConcertimTokens(settings.concertim_jwt_secret.get_secret_value()),
            tenants=tenants(),
            tenant_id=settings.concertim_tenant_id,
        )
    return Authenticator(settings, api_keys(), token_access=access, concertim=concertim)


@lru_cache(maxsize=1)
def rate_limiter() -> RateLimiter:
    from shared.api.ratelimit import RateLimiter

    return RateLimiter(get_settings(), storage())


# ---------------------------------------------------------------- services


@lru_cache(maxsize=1)
def tenants_service() -> TenantsService:
    from shared.clock import utc_now
    from shared.services.tenants import TenantsService

    return TenantsService(tenants(), api_keys(), authenticator(), utc_now)


@lru_cache(maxsize=1)
def identity_mappings_service() -> IdentityMappingsService:
    from shared.clock import utc_now
    from shared.services.identities import IdentityMappingsService

    return IdentityMappingsService(identity_mappings(), tenants(), authenticator(), utc_now)


@lru_cache(maxsize=1)
def endpoint_policy() -> EndpointPolicy:
    from shared.services.endpoints import EndpointPolicy

    return EndpointPolicy(get_settings())


@lru_cache(maxsize=1)
def server_credentials() -> ServerCredentials:
    from shared.services.server_credentials import ServerCredentials

    return ServerCredentials(get_settings())


@lru_cache(maxsize=1)
def servers_service() -> ServersService:
    from shared.clock import utc_now
    from shared.services.servers import ServersService

    return ServersService(
        servers(), endpoint_policy(), server_credentials(), get_settings(), utc_now, clouds=clouds_service()
    )


@lru_cache(maxsize=1)
def cloud_connections() -> CloudConnections:
    """The process's OpenStack connections (one login per cloud, reused across invocations)."""
    from shared.providers.openstack import CloudConnections

    settings = get_settings()
    return CloudConnections(
        settings.openstack_timeout_seconds,
        check=endpoint_policy().check,
        max_entries=settings.openstack_max_connections,
    )


@lru_cache(maxsize=1)
def clouds_service() -> CloudsService:
    from shared.clock import utc_now
    from shared.services.clouds import CloudsService

    return CloudsService(servers(), server_credentials(), cloud_connections(), utc_now)


@lru_cache(maxsize=1)
def cloud_users_service() -> CloudUsersService:
    from shared.services.cloud_users import CloudUsersService

    return CloudUsersService()


@lru_cache(maxsize=1)
def cloud_teams_service() -> CloudTeamsService:
    """Teams open their billing accounts through the tenant's billing provider."""
    from shared.services.cloud_teams import CloudTeamsService

    return CloudTeamsService(billing_provider)


@lru_cache(maxsize=1)
def cloud_roles_service() -> CloudRolesService:
    from shared.services.cloud_roles import CloudRolesService

    return CloudRolesService()


@lru_cache(maxsize=1)
def cloud_keypairs_service() -> CloudKeyPairsService:
    from shared.services.cloud_keypairs import CloudKeyPairsService

    return CloudKeyPairsService()


@lru_cache(maxsize=1)
def cloud_statistics_service() -> CloudStatisticsService:
    from shared.services.cloud_statistics import CloudStatisticsService

    return CloudStatisticsService()


@lru_cache(maxsize=1)
def concertim_service() -> ConcertimService:
    """Concertim's paths (docs/compat.md): the cloud services, on the same connection cache."""
    from shared.services.concertim import CloudServices, ConcertimService

    services = CloudServices(
        users=cloud_users_service(),
        teams=cloud_teams_service(),
        roles=cloud_roles_service(),
        key_pairs=cloud_keypairs_service(),
        statistics=cloud_statistics_service(),
    )
    return ConcertimService(clouds_service(), servers(), services)


def concertim_billing() -> ConcertimBilling:
    """Concertim's billing paths (seed 004's bodies) over the billing service."""
    from shared.services.billing_concertim import ConcertimBilling

    return ConcertimBilling(billing_service())


@lru_cache(maxsize=1)
def templates_service() -> TemplatesService:
    from shared.clock import utc_now
    from shared.services.templates import TemplatesService

    return TemplatesService(templates(), utc_now)


@lru_cache(maxsize=1)
def pods_service() -> PodsService:
    from shared.clock import utc_now
    from shared.services.pods import PodsService

    return PodsService(pods(), servers_service(), templates_service(), get_settings(), utc_now, billing_service().meter)


@lru_cache(maxsize=1)
def pod_replacements_service() -> PodReplacements:
    from shared.services.pod_jobs import PodReplacements

    return PodReplacements(pods_service(), jobs_service())


@lru_cache(maxsize=1)
def cloud_actions_service() -> CloudActionsService:
    from shared.services.cloud_actions import CloudActionsService

    return CloudActionsService(clouds_service(), jobs_service(), get_settings)


@lru_cache(maxsize=1)
def connections_service() -> ConnectionsService:
    from shared.clock import utc_now
    from shared.services.connections import ConnectionsService

    return ConnectionsService(
        connections(), endpoint_policy(), server_credentials(), rate_budgets(), get_settings(), utc_now
    )


@lru_cache(maxsize=1)
def backup_service() -> BackupService:
    from shared.clock import utc_now
    from shared.services.backup import BackupService

    return BackupService(
        servers(),
        templates_service(),
        endpoint_policy(),
        server_credentials(),
        utc_now,
        forget_cloud=clouds_service().forget,
    )


@lru_cache(maxsize=1)
def compat_service() -> CompatService:
    from shared.services.compat import CompatService

    return CompatService(servers_service(), templates_service(), pods_service())


@lru_cache(maxsize=1)
def datasets_service() -> DatasetsService:
    from shared.clock import utc_now
    from shared.services.datasets import DatasetsService

    return DatasetsService(datasets(), get_settings(), utc_now)


@lru_cache(maxsize=1)
def agents() -> AgentRepository:
    from shared.storage.agents import AgentRepository

    return AgentRepository(storage())


@lru_cache(maxsize=1)
def agent_usage() -> AgentUsage:
    from shared.storage.agents import AgentUsage

    return AgentUsage(storage())


@lru_cache(maxsize=1)
def agents_service() -> AgentsService:
    from shared.clock import utc_now
    from shared.services.agents import AgentsService

    return AgentsService(agents(), agent_usage(), endpoint_policy(), get_settings(), utc_now)


@lru_cache(maxsize=1)
def health_service() -> HealthService:
    from shared.clock import utc_now
    from shared.services.health import HealthService
    from shared.storage.clients import StorageClients

    settings = get_settings()

    def probe_clients() -> StorageClients:
        """A dedicated client per probe: no retries, the ready timeout."""
        return StorageClients(settings, timeout=settings.ready_timeout_seconds, retries=0)

    return HealthService(probe_clients, utc_now)


@lru_cache(maxsize=1)
def docs_service() -> DocsService:
    from shared.api.router import ROUTES
    from shared.services.docs import DocsService

    return DocsService(ROUTES, get_settings())


@lru_cache(maxsize=1)
def console_service() -> ConsoleService:
    from shared.services.console import ConsoleService

    return ConsoleService()


# ---------------------------------------------------------------- the jobs engine and its job types


_REGISTERING = threading.Lock()


@lru_cache(maxsize=1)
def register_job_types() -> None:
    """Register the job types that run on the services, once per process (the registry is global).

    They take the services' factories, not the services, so after ``reset`` they run on the
    rebuilt ones. Not cleared by ``reset``. The lock: ``lru_cache`` does not stop two threads
    (the first HTTP request and the first queue message of an instance) from both getting here.
    """
    from shared.jobs import registry
    from shared.jobs.types.bulk_evaluation import DatasetSource, bulk_evaluation_type
    from shared.services.migration_jobs import MigrationJobs
    from shared.services.pod_jobs import pod_job_types
    from shared.services.power_jobs import power_action_type

    with _REGISTERING:
        if registry.get("bulk_evaluation") is not None:
            return
        for job_type in pod_job_types(pods_service, servers_service):
            registry.register(job_type)
        source = DatasetSource(datasets, lambda: str(storage().blobs.url), agents_service, agent_usage)
        registry.register(bulk_evaluation_type(source))
        registry.register(MigrationJobs(connections_service, migration_map, datasets).job_type())
        registry.register(power_action_type(clouds_service, get_settings, meter=server_meter))


@lru_cache(maxsize=1)
def migration_map() -> MigrationMap:
    from shared.storage.migration_map import MigrationMap

    return MigrationMap(storage())


@lru_cache(maxsize=1)
def jobs() -> Engine:
    """Built on first use: requests that run no job never import the engine or the job types."""
    import shared.jobs.types  # noqa: F401 - registers the job types that need no collaborator
    from shared.jobs.engine import Engine

    register_job_types()
    settings = get_settings()
    return Engine(
        storage(),
        max_attempts=settings.job_max_attempts,
        layout=job_layout(),
        accounts=job_accounts(),
    )


def job_layout() -> Layout:
    """The jobs' storage layout the settings ask for (``shared/jobs/shards.py``)."""
    from shared.jobs.shards import Layout

    settings = get_settings()
    return Layout(settings.work_queues, settings.event_queues, settings.job_partitions, settings.job_accounts)


@lru_cache(maxsize=1)
def job_accounts() -> list[StorageClients]:
    """Clients of jobs accounts 1.. (``CLOUDPLANE_JOBS_ACCOUNT_<k>``); empty with the one account."""
    from shared.config import job_account_connection, job_account_location
    from shared.storage.clients import StorageClients

    settings = get_settings()
    accounts = []
    for index in range(1, settings.job_accounts):
        connection, name = job_account_location(index)
        if connection is None and name is None:
            raise RuntimeError(
                f"CLOUDPLANE_JOB_ACCOUNTS is {settings.job_accounts} but {job_account_connection(index)} is not set"
            )
        accounts.append(StorageClients(settings, connection=connection, account_name=name))
    return accounts


@lru_cache(maxsize=1)
def compat_jobs_service() -> CompatJobsService:
    from shared.services.compat_jobs import CompatJobsService

    return CompatJobsService(jobs_service())


@lru_cache(maxsize=1)
def jobs_service() -> JobsService:
    from shared.services.jobs import JobsService, read_sas_url

    def blob_sas(blob: Any) -> str:
        return read_sas_url(blob, storage().blobs.get_user_delegation_key)

    return JobsService(jobs(), blob_sas)


_FACTORIES = (
    storage,
    job_accounts,
    tenants,
    api_keys,
    datasets,
    identity_mappings,
    servers,
    templates,
    pods,
    connections,
    rate_budgets,
    billing_repository,
    builtin_billing,
    billing_service,
    server_power,
    server_meter,
    migration_map,
    authenticator,
    rate_limiter,
    tenants_service,
    identity_mappings_service,
    endpoint_policy,
    server_credentials,
    servers_service,
    cloud_connections,
    clouds_service,
    cloud_users_service,
    cloud_teams_service,
    cloud_roles_service,
    cloud_keypairs_service,
    cloud_statistics_service,
    concertim_service,
    templates_service,
    pods_service,
    pod_replacements_service,
    cloud_actions_service,
    connections_service,
    backup_service,
    compat_service,
    datasets_service,
    agents,
    agent_usage,
    agents_service,
    health_service,
    docs_service,
    console_service,
    jobs,
    jobs_service,
    compat_jobs_service,
)


def reset() -> None:
    """Forget settings and every collaborator (tests that change settings call this)."""
    get_settings.cache_clear()
    for factory in _FACTORIES:
        factory.cache_clear()
