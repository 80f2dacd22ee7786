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

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from shared.errors import Conflict, DomainError, Forbidden, NotFound, ServiceUnavailable, ValidationFailed
from shared.models.clouds import CloudConfig
from shared.providers.openstack import CloudConnections, CloudError
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


class CloudsService:
    def __init__(
        self, repository: ServerRepository, credentials: ServerCredentials, connections: CloudConnections
    ) -> None:
        self._repository = repository
        self._credentials = credentials
        self._connections = connections

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
        cloud = self.config(self.record(tenant_id, cloud_id))
        try:
            return self._connections.call(self.cache_key(tenant_id, cloud_id), cloud, action)
        except CloudError as error:
            raise cloud_failure(error, cloud_id, what) from None

    def forget(self, tenant_id: str, cloud_id: str) -> None:
        """Drop the cached connection (credentials changed, server deleted)."""
        self._connections.forget(self.cache_key(tenant_id, cloud_id))
