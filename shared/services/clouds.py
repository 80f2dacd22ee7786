"""OpenStack clouds of a tenant: from a registered server to an authenticated connection.

A cloud is a server of kind ``openstack`` in the servers registry; its sealed credentials are
the whole clouds.yaml entry (``CloudConfig``). ``CloudsService`` is the one way the cloud areas
(users, teams, roles, key pairs, power actions) reach a cloud: it resolves the tenant's server
(another tenant's, or a missing one, is a 404; a Kubernetes server is a 409), opens its
credentials and hands out the process's cached connection (``shared/providers/openstack.py``),
keyed by tenant and server, so changed credentials build a new one.

``cloud_failure`` maps a provider ``CloudError`` to the API's errors in one place: a cloud that
is down or late is a 503 (``CLOUD_UNAVAILABLE``), rejected credentials a 409, a refusal of the
cloud's policy a 403, a missing object a 404.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from shared.clock import Clock
from shared.errors import Conflict, DomainError, Forbidden, NotFound, ServiceUnavailable, ValidationFailed
from shared.models.clouds import CloudConfig
from shared.models.servers import CatalogEndpoint, CatalogService, CloudProject, ReasonCode, ServerTest
from shared.net.addresses import EndpointNotAllowed
from shared.providers.openstack import CloudConnections, CloudError, CloudReason
from shared.services.server_credentials import ServerCredentials
from shared.storage.servers import ServerRecord, ServerRepository

if TYPE_CHECKING:
    from openstack.connection import Connection

T = TypeVar("T")


def cloud_not_found(cloud_id: str) -> NotFound:
    return NotFound(f"Cloud {cloud_id} not found.", code="CLOUD_NOT_FOUND", details={"cloud_id": cloud_id})


def cloud_failure(error: CloudError, cloud_id: str, what: str = "The cloud") -> DomainError:
    """A ``CloudError`` as the API's error (no credential, traceback or header in it)."""
    details = {"cloud_id": cloud_id, "reason": error.reason}
    if error.reason in ("UNREACHABLE", "TIMEOUT", "API_ERROR"):
        return ServiceUnavailable(
            f"The cloud could not be used: {error.message}",
            code="CLOUD_UNAVAILABLE",
            details=details,
            headers={"Retry-After": "5"},
        )
    if error.reason == "BAD_CATALOG":
        return ServiceUnavailable(error.message, code="CLOUD_BAD_CATALOG", details=details)
    if error.reason == "UNAUTHORIZED":
        return Conflict(
            "The cloud refused the stored credentials; update the server's cloud credentials.",
            code="CLOUD_CREDENTIALS_REJECTED",
            details=details,
        )
    if error.reason == "FORBIDDEN":
        return Forbidden(f"The cloud's policy refused this: {error.message}", code="CLOUD_FORBIDDEN", details=details)
    if error.reason == "NOT_FOUND":
        return NotFound(f"{what} was not found in the cloud.", code="CLOUD_OBJECT_NOT_FOUND", details=details)
    if error.reason in ("CONFLICT", "OVER_QUOTA"):
        return Conflict(f"The cloud refused this: {error.message}", code="CLOUD_CONFLICT", details=details)
    message = f"The cloud refused the request: {error.message}"
    return ValidationFailed(message, code="CLOUD_BAD_REQUEST", details=details)


@dataclass(frozen=True)
class CloudAccess:
    """One tenant's way into one cloud for the length of a request: the cloud's entry, opened once,
    and the cache key of its connection. The cloud areas' services take this, so the v1 routes (a
    registered server) and the Concertim surface (credentials in the body, keyed by who logs in)
    share one implementation and one connection cache."""

    tenant_id: str
    cloud_id: str
    key: str
    cloud: CloudConfig
    connections: CloudConnections

    def call(self, action: Callable[[Any], T], what: str = "The cloud") -> T:
        """``action(connection)`` with the cached connection; failures as the API's errors.

        The connection is typed ``Any``: openstacksdk's proxies are typed per API version
        (``identity`` is v2 or v3), and every cloud here speaks identity v3.
        """
        try:
            return self.connections.call(self.key, self.cloud, action)
        except CloudError as error:
            raise cloud_failure(error, self.cloud_id, what) from None


class CloudsService:
    def __init__(
        self,
        repository: ServerRepository,
        credentials: ServerCredentials,
        connections: CloudConnections,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._credentials = credentials
        self._connections = connections
        self._clock = clock

    @property
    def connections(self) -> CloudConnections:
        return self._connections

    def record(self, tenant_id: str, cloud_id: str) -> ServerRecord:
        """The tenant's server of kind ``openstack``: 404 if missing or another tenant's, 409 if a cluster."""
        record = self._repository.get(tenant_id, cloud_id)
        if record is None:
            raise cloud_not_found(cloud_id)
        if record.server.kind != "openstack":
            raise Conflict(
                f"Server {cloud_id} is a {record.server.kind} server, not an OpenStack cloud.",
                code="SERVER_NOT_A_CLOUD",
                details={"cloud_id": cloud_id, "kind": record.server.kind},
            )
        return record

    def config(self, record: ServerRecord) -> CloudConfig:
        """The cloud's clouds.yaml entry, opened from its sealed credentials."""
        if record.sealed is None:
            raise Conflict("The cloud has no credentials.", code="CLOUD_NO_CREDENTIALS")
        secret = self._credentials.open(record.sealed, record.tenant_id, record.server.id)
        return CloudConfig.model_validate(secret["cloud"])

    @staticmethod
    def cache_key(tenant_id: str, cloud_id: str) -> str:
        return f"server:{tenant_id}:{cloud_id}"

    def connection(self, tenant_id: str, cloud_id: str) -> Connection:
        """The cloud's cached, authenticated openstacksdk connection."""
        cloud = self.config(self.record(tenant_id, cloud_id))
        try:
            return self._connections.connection(self.cache_key(tenant_id, cloud_id), cloud)
        except CloudError as error:
            raise cloud_failure(error, cloud_id) from None

    def call(self, tenant_id: str, cloud_id: str, action: Callable[[Connection], T], what: str = "The cloud") -> T:
        """``action(connection)`` on the tenant's cloud; failures as the API's errors."""
        return self.access(tenant_id, cloud_id).call(action, what)

    def access(self, tenant_id: str, cloud_id: str) -> CloudAccess:
        """The tenant's registered cloud (404 another tenant's, 409 a cluster) for one request."""
        cloud = self.config(self.record(tenant_id, cloud_id))
        return CloudAccess(tenant_id, cloud_id, self.cache_key(tenant_id, cloud_id), cloud, self._connections)

    def access_with(self, tenant_id: str, cloud: CloudConfig, label: str = "env") -> CloudAccess:
        """Credentials given in a request (the Concertim surface), per tenant.

        The id (``<label>-<12 hex>``, in log lines) and the cache key are ``CloudConfig.identity``:
        URL, user and project, never the password, so neither lets anyone test a password guess.
        A changed password is the same key: the cache replaces that entry (its keyed fingerprint
        differs) instead of adding one.
        """
        who = cloud.identity()
        return CloudAccess(tenant_id, f"{label}-{who[:12]}", f"env:{tenant_id}:{who}", cloud, self._connections)

    def forget(self, tenant_id: str, cloud_id: str) -> None:
        """Drop the cached connection (credentials changed, server deleted)."""
        self._connections.forget(self.cache_key(tenant_id, cloud_id))

    # ------------------------------------------------------------ the live check

    def probe(self, record: ServerRecord) -> ServerTest:
        """Log in afresh and report Keystone's version, the region's catalog, project, roles and latency.

        Never raises for a cloud that cannot be used: ``ok: false`` with a reason (unreachable,
        unauthorised, bad catalog, timeout, endpoint not allowed). The new connection replaces the
        cached one, so the requests after a test reuse its login.
        """
        cloud = self.config(record)
        warnings = [] if cloud.verify else ["TLS verification is off for this cloud (verify: false)."]
        key = self.cache_key(record.tenant_id, record.server.id)
        started = time.perf_counter()
        self._connections.forget(key)
        try:
            connection = self._connections.connection(key, cloud)
            plugin: Any = connection.session.auth
            access = plugin.get_access(connection.session)
            catalog = _catalog(access, cloud)
            if not catalog:
                raise CloudError(
                    "BAD_CATALOG",
                    f"The catalog has no {cloud.interface} endpoint in region {cloud.region_name or '(any)'}.",
                )
            if not any(service.type == "identity" for service in catalog):
                raise CloudError("BAD_CATALOG", "The catalog has no identity service in this region.")
            version = _keystone_version(connection, cloud.auth.auth_url, self._connections.timeout)
        except EndpointNotAllowed as error:
            self._connections.forget(key)
            return self._failed("ENDPOINT_NOT_ALLOWED", error.message, warnings)
        except CloudError as error:
            self._connections.forget(key)
            return self._failed(_test_reason(error.reason), error.message, warnings)
        latency = round((time.perf_counter() - started) * 1000, 1)
        project = None
        if access.project_id:
            project = CloudProject(id=access.project_id, name=access.project_name, domain_id=access.project_domain_id)
        return ServerTest(
            ok=True,
            keystone_version=version,
            catalog=catalog,
            project=project,
            roles=sorted(access.role_names or []),
            warnings=warnings,
            latency_ms=latency,
            checked_at=self._clock(),
        )

    def _failed(self, reason: ReasonCode, message: str, warnings: list[str]) -> ServerTest:
        return ServerTest(ok=False, reason=reason, message=message, warnings=warnings, checked_at=self._clock())


_TEST_REASONS: dict[CloudReason, ReasonCode] = {
    "UNREACHABLE": "UNREACHABLE",
    "UNAUTHORIZED": "UNAUTHORIZED",
    "FORBIDDEN": "FORBIDDEN",
    "TIMEOUT": "TIMEOUT",
    "BAD_CATALOG": "BAD_CATALOG",
}


def _test_reason(reason: CloudReason) -> ReasonCode:
    return _TEST_REASONS.get(reason, "API_ERROR")


def _catalog(access: Any, cloud: CloudConfig) -> list[CatalogService]:
    """The catalog's services with their endpoints in the cloud's region (every region if none)."""
    services: list[CatalogService] = []
    for service in access.service_catalog.catalog or []:
        endpoints = [
            CatalogEndpoint(
                interface=str(endpoint.get("interface")),
                region=endpoint.get("region_id") or endpoint.get("region"),
                url=str(endpoint.get("url")),
            )
            for endpoint in service.get("endpoints", [])
            if cloud.region_name is None or (endpoint.get("region_id") or endpoint.get("region")) == cloud.region_name
        ]
        if endpoints:
            services.append(
                CatalogService(type=str(service.get("type")), name=service.get("name"), endpoints=endpoints)
            )
    return sorted(services, key=lambda item: item.type)


def _keystone_version(connection: Any, auth_url: str, timeout: float) -> str | None:
    """The identity API version Keystone serves at ``auth_url`` (``v3.14``), None if it does not say."""
    try:
        reply = connection.session.get(auth_url, authenticated=False, timeout=timeout, raise_exc=False)
        body = reply.json() if reply.status_code in (200, 300) else {}  # the root answers 300 Multiple Choices
    except ValueError:
        return None
    except Exception as error:  # a Keystone that answered the login but not this: reported, not raised
        from shared.providers.openstack import classify

        failure = classify(error)
        if failure is None:
            raise
        raise failure from None
    if not isinstance(body, dict):
        return None
    version = body.get("version")
    if isinstance(version, dict) and version.get("id"):
        return str(version["id"])  # auth_url .../v3
    listed = (body.get("versions") or {}).get("values") if isinstance(body.get("versions"), dict) else None
    ids = [
        str(item.get("id"))
        for item in listed or []
        if isinstance(item, dict) and str(item.get("id", "")).startswith("v3")
    ]
    return max(ids) if ids else None  # auth_url at Keystone's root: the v3 it lists
