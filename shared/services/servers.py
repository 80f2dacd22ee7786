"""Servers: registration, credentials at rest, the live check and usage.

Credentials are sealed before they reach storage (``ServerCredentials``) and opened only to
build a cluster client; no response, error or log line carries them.
"""

from __future__ import annotations

import logging
import uuid

from shared.clock import Clock
from shared.config import Settings
from shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from shared.logs import log_event
from shared.models.common import Page, PageQuery
from shared.models.servers import (
    CredentialsInfo,
    CredentialsKind,
    Server,
    ServerCreate,
    ServerPatch,
    ServerTest,
    ServerUpdate,
    ServerUsage,
)
from shared.models.tenants import Tenant
from shared.net.addresses import Checked, EndpointNotAllowed
from shared.providers import kubernetes as kube
from shared.security.credentials import Sealed
from shared.services.endpoints import EndpointPolicy, refusal
from shared.services.server_credentials import ServerCredentials
from shared.storage.servers import ServerRecord, ServerRepository

logger = logging.getLogger("cloudplane.servers")


def default_namespace(tenant: Tenant) -> str:
    """One namespace per tenant: ``cloudplane-<slug>``, cut to a valid 63-character name."""
    return f"cloudplane-{tenant.slug}"[:63].rstrip("-")


def server_not_found(server_id: str) -> NotFound:
    return NotFound(f"Server {server_id} not found.", code="SERVER_NOT_FOUND", details={"server_id": server_id})


class _Wanted:
    """A server's desired connection settings, checked against the address rules, before sealing."""

    def __init__(
        self,
        endpoints: EndpointPolicy,
        *,
        kubeconfig: str | None,
        api_url: str | None,
        token: str | None,
        ca_bundle: str | None,
        context: str | None,
    ) -> None:
        self.kubeconfig, self.token, self.ca_bundle, self.context = kubeconfig, token, ca_bundle, context
        if kubeconfig is not None:
            self.api_url = endpoints.kubeconfig_endpoint(kubeconfig, context)
            endpoints.check(self.api_url, "kubeconfig.server")
        else:
            self.api_url = (api_url or "").rstrip("/")
            endpoints.check(self.api_url)

    @property
    def kind(self) -> CredentialsKind | None:
        if self.kubeconfig is not None:
            return "kubeconfig"
        return "token" if self.token is not None or self.ca_bundle is not None else None

    def seal(self, credentials: ServerCredentials, tenant_id: str, server_id: str) -> Sealed | None:
        if self.kind is None:
            return None
        secret = (
            {"kubeconfig": self.kubeconfig}
            if self.kind == "kubeconfig"
            else {"token": self.token, "ca_bundle": self.ca_bundle}
        )
        return credentials.seal(tenant_id, server_id, secret)


class ServersService:
    def __init__(
        self,
        repository: ServerRepository,
        endpoints: EndpointPolicy,
        credentials: ServerCredentials,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._endpoints = endpoints
        self._credentials = credentials
        self._timeout = settings.k8s_timeout_seconds
        self._clock = clock

    # ---------------------------------------------------------------- reads other services share

    def load(self, tenant_id: str, server_id: str) -> ServerRecord:
        """The stored server, or 404 ``SERVER_NOT_FOUND``."""
        record = self._repository.get(tenant_id, server_id)
        if record is None:
            raise server_not_found(server_id)
        return record

    def records(self, tenant_id: str) -> list[ServerRecord]:
        return self._repository.records(tenant_id)

    def credentials_of(self, record: ServerRecord) -> kube.Credentials:
        """The record's credentials opened (only to build a cluster client)."""
        if record.sealed is None:
            return kube.Credentials()
        secret = self._credentials.open(record.sealed, record.tenant_id, record.server.id)
        return kube.Credentials(
            kubeconfig=secret.get("kubeconfig"), token=secret.get("token"), ca_bundle=secret.get("ca_bundle")
        )

    def target(self, record: ServerRecord, checked: Checked | None = None) -> kube.Target:
        """How to reach a stored server, checked now: what a name resolves to can change.

        The address rules run on every use and the client connects to the address they
        checked (``Target.address``), never to a second resolution of the name. Credentials are
        opened only if a client must be built. ``ClusterError`` (``ENDPOINT_NOT_ALLOWED`` or
        ``UNREACHABLE``) if the endpoint is refused now; ``checked`` if the caller just checked it.
        """
        if checked is None:
            try:
                checked = self._endpoints.check(record.server.api_url)
            except EndpointNotAllowed as error:
                raise refusal(error) from None
        return kube.Target(
            server_id=record.server.id,
            version=record.credentials_version,
            api_url=record.server.api_url,
            context=record.server.context,
            load=lambda: self.credentials_of(record),
            address=checked.address,
            check=self._endpoints.cluster_address,
        )

    # ---------------------------------------------------------------- the API's operations

    def create_server(self, tenant: Tenant, request: ServerCreate) -> Server:
        wanted = self._wanted(request.kubeconfig, request.api_url, request.token, request.ca_bundle, request.context)
        server_id = uuid.uuid4().hex
        now = self._clock()
        sealed = wanted.seal(self._credentials, tenant.id, server_id)
        server = Server(
            id=server_id,
            name=request.name,
            api_url=wanted.api_url,
            context=request.context,
            namespace=request.namespace or default_namespace(tenant),
            labels=request.labels,
            credentials=CredentialsInfo(set=sealed is not None, kind=wanted.kind, updated_at=now if sealed else None),
            created_at=now,
            updated_at=now,
        )
        self._repository.create(ServerRecord(tenant.id, server, sealed, 1))
        log_event(logger, "server_created", tenant_id=tenant.id, server_id=server_id, credentials_kind=wanted.kind)
        return server

    def list_servers(self, tenant: Tenant, page: PageQuery) -> Page[Server]:
        return self._repository.page(tenant.id, page)

    def get_server(self, tenant: Tenant, server_id: str) -> Server:
        return self.load(tenant.id, server_id).server

    def replace_server(self, tenant: Tenant, server_id: str, request: ServerUpdate) -> Server:
        before = self.load(tenant.id, server_id)
        wanted = self._wanted(request.kubeconfig, request.api_url, request.token, request.ca_bundle, request.context)
        return self._save(
            before,
            name=request.name,
            namespace=request.namespace or default_namespace(tenant),
            labels=request.labels,
            context=request.context,
            wanted=wanted,
        )

    def patch_server(self, tenant: Tenant, server_id: str, request: ServerPatch) -> Server:
        before = self.load(tenant.id, server_id)
        old = before.server
        given = request.model_fields_set
        context = request.context if "context" in given else old.context
        wanted: _Wanted | None = None
        if request.kubeconfig is not None:
            wanted = self._wanted(request.kubeconfig, None, None, None, context)
        elif {"api_url", "token", "ca_bundle"} & given:
            current = self.credentials_of(before) if old.credentials.kind == "token" else kube.Credentials()
            wanted = self._wanted(
                None,
                request.api_url or old.api_url,
                request.token if "token" in given else current.token,
                request.ca_bundle if "ca_bundle" in given else current.ca_bundle,
                None,
            )
            context = None
        elif "context" in given and old.credentials.kind == "kubeconfig":
            wanted = self._wanted(self.credentials_of(before).kubeconfig, None, None, None, context)
        elif "context" in given and context is not None:
            raise ValidationFailed("context selects a kubeconfig context; this server has no kubeconfig.")
        return self._save(
            before,
            name=request.name or old.name,
            namespace=request.namespace or old.namespace,
            labels=request.labels if request.labels is not None else old.labels,
            context=context,
            wanted=wanted,
        )

    def delete_server(self, tenant: Tenant, server_id: str) -> None:
        record = self.load(tenant.id, server_id)
        self._repository.delete(record)
        kube.CLIENTS.forget(server_id)
        log_event(logger, "server_deleted", tenant_id=tenant.id, server_id=server_id)

    def probe_server(self, tenant: Tenant, server_id: str) -> ServerTest:
        """A live check: ``ok: false`` with a reason for a cluster that cannot be used, never an error."""
        record = self.load(tenant.id, server_id)
        try:
            where = self.target(record)
        except kube.ClusterError as error:
            return ServerTest(ok=False, reason=error.reason, message=error.message, checked_at=self._clock())
        result = kube.probe(where, self._timeout)
        log_event(
            logger,
            "server_tested",
            tenant_id=tenant.id,
            server_id=server_id,
            ok=result.ok,
            reason=result.reason,
            latency_ms=result.latency_ms,
        )
        return result

    def server_usage(self, tenant: Tenant, server_id: str) -> ServerUsage:
        record = self.load(tenant.id, server_id)
        checked = self._endpoints.check(record.server.api_url)  # a refused endpoint is a 422 here
        try:
            return kube.usage(self.target(record, checked), self._timeout)
        except kube.ClusterError as error:
            raise ServiceUnavailable(
                f"The cluster could not be read: {error.message}",
                code="SERVER_UNAVAILABLE",
                details={"server_id": server_id, "reason": error.reason},
            ) from None

    # ---------------------------------------------------------------- helpers

    def _wanted(
        self,
        kubeconfig: str | None,
        api_url: str | None,
        token: str | None,
        ca_bundle: str | None,
        context: str | None,
    ) -> _Wanted:
        return _Wanted(
            self._endpoints, kubeconfig=kubeconfig, api_url=api_url, token=token, ca_bundle=ca_bundle, context=context
        )

    def _save(
        self,
        before: ServerRecord,
        *,
        name: str,
        namespace: str,
        labels: dict[str, str],
        context: str | None,
        wanted: _Wanted | None,
    ) -> Server:
        """Write the new state; ``wanted`` is None when the credentials and endpoint stay as they are."""
        now = self._clock()
        old = before.server
        if wanted is None:
            sealed, version, credentials, api_url = (
                before.sealed,
                before.credentials_version,
                old.credentials,
                old.api_url,
            )
        else:
            sealed = wanted.seal(self._credentials, before.tenant_id, old.id)
            version = before.credentials_version + 1
            credentials = CredentialsInfo(set=sealed is not None, kind=wanted.kind, updated_at=now if sealed else None)
            api_url = wanted.api_url
        server = old.model_copy(
            update={
                "name": name,
                "api_url": api_url,
                "context": context,
                "namespace": namespace,
                "labels": labels,
                "credentials": credentials,
                "updated_at": now,
            }
        )
        self._repository.replace(before, ServerRecord(before.tenant_id, server, sealed, version))
        if wanted is not None:
            kube.CLIENTS.forget(old.id)
            log_event(
                logger,
                "server_credentials_changed",
                tenant_id=before.tenant_id,
                server_id=old.id,
                credentials_kind=wanted.kind,
            )
        return server
