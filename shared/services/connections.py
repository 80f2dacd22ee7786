"""Connections: create, read, change, delete and test; open one for a migration to use.

Credentials are sealed before they reach storage (``ServerCredentials``, bound to
``<tenant>:connection:<id>`` so a blob moved onto a server or another connection does not open)
and opened only to build a connector. No response, error or log line carries them.

A job may carry credentials inline (seed 003's ``{"api_key": ..., "base_url": ...}``):
``seal_inline`` stores them at once as a connection owned by the job and the job keeps only the
connection's id. Its id is a keyed hash of the tenant, system, URL and credentials, so a retried
submission (same ``Idempotency-Key``, same body) names the same connection.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from shared.clock import Clock
from shared.config import Settings
from shared.errors import NotFound, ServiceUnavailable
from shared.logs import log_event
from shared.models.common import Page, PageQuery
from shared.models.connections import (
    DEFAULT_RATE_LIMITS,
    PUBLIC_URLS,
    Connection,
    ConnectionCreate,
    ConnectionCredentials,
    ConnectionCredentialsInfo,
    ConnectionPatch,
    ConnectionTest,
    RateLimits,
)
from shared.models.tenants import Tenant
from shared.net.addresses import EndpointNotAllowed
from shared.providers.affinity import AffinitySource
from shared.providers.attio import AttioTarget
from shared.providers.connectors import Probe
from shared.providers.remote_api import Budget, Endpoint, RemoteUnavailable, RetryPolicy
from shared.services.endpoints import EndpointPolicy
from shared.services.server_credentials import ServerCredentials
from shared.storage.connections import ConnectionRecord, ConnectionRepository
from shared.storage.rate_budget import RateBudgets, Window

logger = logging.getLogger("cloudplane.connections")

PROBE_POLICY = RetryPolicy(max_retries=0, timeout_seconds=10, max_throttled_seconds=5)


def connection_not_found(connection_id: str) -> NotFound:
    return NotFound(
        f"Connection {connection_id} not found.", code="CONNECTION_NOT_FOUND", details={"connection_id": connection_id}
    )


@dataclass(frozen=True)
class OpenConnection:
    """A connection ready to use: where to connect (checked now), its credentials and its budget."""

    connection: Connection
    endpoint: Endpoint
    api_key: str
    workspace_id: str | None
    budget: Budget


def _sealed_id(connection_id: str) -> str:
    return f"connection:{connection_id}"


def windows_of(limits: RateLimits) -> dict[str, Window]:
    windows = {"read": Window(limits.read.requests, limits.read.seconds)}
    if limits.write is not None:
        windows["write"] = Window(limits.write.requests, limits.write.seconds)
    return windows


class ConnectionsService:
    def __init__(
        self,
        repository: ConnectionRepository,
        endpoints: EndpointPolicy,
        credentials: ServerCredentials,
        budgets: RateBudgets,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._endpoints = endpoints
        self._credentials = credentials
        self._budgets = budgets
        self._settings = settings
        self._clock = clock

    # ---------------------------------------------------------------- the API's operations

    def create_connection(self, tenant: Tenant, request: ConnectionCreate) -> Connection:
        return self._create(
            tenant.id,
            uuid.uuid4().hex,
            request.system,
            request.name,
            request.credentials,
            request.base_url,
            request.rate_limits,
            "tenant",
        )

    def list_connections(self, tenant: Tenant, page: PageQuery) -> Page[Connection]:
        return self._repository.page(tenant.id, page)

    def get_connection(self, tenant: Tenant, connection_id: str) -> Connection:
        return self.load(tenant.id, connection_id).connection

    def patch_connection(self, tenant: Tenant, connection_id: str, request: ConnectionPatch) -> Connection:
        before = self.load(tenant.id, connection_id)
        old = before.connection
        now = self._clock()
        base_url = self._checked_url(old.system, request.base_url) if request.base_url is not None else old.base_url
        sealed, credentials = before.sealed, old.credentials
        if request.credentials is not None:
            sealed = self._seal(tenant.id, old.id, request.credentials)
            credentials = ConnectionCredentialsInfo(set=True, updated_at=now)
        connection = old.model_copy(
            update={
                "name": request.name or old.name,
                "base_url": base_url,
                "credentials": credentials,
                "rate_limits": request.rate_limits or old.rate_limits,
                "updated_at": now,
            }
        )
        self._repository.replace(before, ConnectionRecord(tenant.id, connection, sealed))
        if request.credentials is not None:
            log_event(logger, "connection_credentials_changed", tenant_id=tenant.id, connection_id=old.id)
        return connection

    def delete_connection(self, tenant: Tenant, connection_id: str) -> None:
        self._repository.delete(self.load(tenant.id, connection_id))
        log_event(logger, "connection_deleted", tenant_id=tenant.id, connection_id=connection_id)

    def test_connection(self, tenant: Tenant, connection_id: str) -> ConnectionTest:
        """One cheap authenticated call; never an error for a connection that cannot be used."""
        record = self.load(tenant.id, connection_id)
        started = time.perf_counter()
        try:
            opened = self._open(record)
            probe = self.probe(opened)
        except EndpointNotAllowed as error:
            probe = Probe(False, "ENDPOINT_NOT_ALLOWED", error.message)
        except RemoteUnavailable as error:
            reason = "RATE_LIMITED" if error.code == "REMOTE_RATE_LIMITED" else "UNREACHABLE"
            probe = Probe(False, reason, error.message)
        latency = round((time.perf_counter() - started) * 1000, 1)
        log_event(
            logger,
            "connection_tested",
            tenant_id=tenant.id,
            connection_id=connection_id,
            ok=probe.ok,
            reason=probe.reason,
        )
        return ConnectionTest(
            ok=probe.ok,
            reason=probe.reason,
            message=probe.message,
            latency_ms=latency if probe.ok else None,
            checked_at=self._clock(),
        )

    # ---------------------------------------------------------------- what migrations use

    def load(self, tenant_id: str, connection_id: str) -> ConnectionRecord:
        record = self._repository.get(tenant_id, connection_id)
        if record is None:
            raise connection_not_found(connection_id)
        return record

    def open(self, tenant_id: str, connection_id: str) -> OpenConnection:
        """The connection with its credentials opened and its endpoint checked now."""
        return self._open(self.load(tenant_id, connection_id))

    def probe(self, opened: OpenConnection) -> Probe:
        if opened.connection.system == "affinity":
            return AffinitySource(opened.endpoint, opened.api_key, opened.budget, PROBE_POLICY).probe()
        return AttioTarget(opened.endpoint, opened.api_key, opened.budget, PROBE_POLICY).probe()

    def seal_inline(self, tenant_id: str, system: str, inline: dict[str, Any], field: str) -> str:
        """Store a job's inline credentials as a connection owned by the job; its id."""
        credentials = ConnectionCredentials.model_validate(
            {k: v for k, v in inline.items() if k in ("api_key", "workspace_id")}
        )
        base_url = inline.get("base_url")
        checked_url = self._checked_url(system, base_url, f"{field}.base_url")
        connection_id = "inline-" + self._inline_digest(tenant_id, system, checked_url, credentials)
        if self._repository.get(tenant_id, connection_id) is None:
            self._create(tenant_id, connection_id, system, connection_id, credentials, checked_url, None, "job")
        return connection_id

    # ---------------------------------------------------------------- helpers

    def _create(
        self,
        tenant_id: str,
        connection_id: str,
        system: str,
        name: str,
        credentials: ConnectionCredentials,
        base_url: str | None,
        rate_limits: RateLimits | None,
        owner: str,
    ) -> Connection:
        url = self._checked_url(system, base_url)
        now = self._clock()
        sealed = self._seal(tenant_id, connection_id, credentials)
        connection = Connection(
            id=connection_id,
            system=system,
            name=name,
            base_url=url,
            owner=owner,
            credentials=ConnectionCredentialsInfo(set=True, updated_at=now),
            rate_limits=rate_limits or DEFAULT_RATE_LIMITS[system],
            created_at=now,
            updated_at=now,
        )
        self._repository.create(ConnectionRecord(tenant_id, connection, sealed))
        log_event(
            logger, "connection_created", tenant_id=tenant_id, connection_id=connection_id, system=system, owner=owner
        )
        return connection

    def _checked_url(self, system: str, base_url: str | None, field: str = "base_url") -> str:
        url = (base_url or PUBLIC_URLS[system]).rstrip("/")
        self._endpoints.check(url, field)
        return url

    def _seal(self, tenant_id: str, connection_id: str, credentials: ConnectionCredentials) -> Any:
        secret = credentials.model_dump(exclude_none=True)
        return self._credentials.seal(tenant_id, _sealed_id(connection_id), secret)

    def _inline_digest(self, tenant_id: str, system: str, url: str, credentials: ConnectionCredentials) -> str:
        key = self._settings.credentials_key
        if key is None or not key.get_secret_value().strip():
            raise ServiceUnavailable(
                "Credentials cannot be stored: CLOUDPLANE_CREDENTIALS_KEY is not set.", code="CREDENTIALS_KEY_MISSING"
            )
        message = json.dumps([tenant_id, system, url, credentials.model_dump()], sort_keys=True).encode()
        return hmac.new(key.get_secret_value().encode(), message, hashlib.sha256).hexdigest()[:32]

    def _open(self, record: ConnectionRecord) -> OpenConnection:
        connection = record.connection
        checked = self._endpoints.check(connection.base_url, "base_url")
        if record.sealed is None:
            raise ServiceUnavailable("The connection has no credentials.", code="CONNECTION_NO_CREDENTIALS")
        secret = self._credentials.open(record.sealed, record.tenant_id, _sealed_id(connection.id))
        prefix = checked.url.split("//", 1)[1].split("/", 1)
        endpoint = Endpoint(
            checked.scheme, checked.host, checked.port, checked.address, "/" + prefix[1] if len(prefix) > 1 else ""
        )
        budget = self._budgets.for_connection(record.tenant_id, connection.id, windows_of(connection.rate_limits))
        return OpenConnection(connection, endpoint, secret["api_key"], secret.get("workspace_id"), budget)
