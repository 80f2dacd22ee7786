"""Servers: registration, credentials at rest, the live check and usage.

Two kinds share the registry: ``kubernetes`` clusters (the default) and ``openstack`` clouds
(one clouds.yaml entry each, see ``shared/services/clouds.py``). Credentials are sealed before
they reach storage (``ServerCredentials``: a kubeconfig, a token, or ``{"cloud": <entry>}``)
and opened only to build a client; no response, error or log line carries them. What only a
cluster has (pods, usage, ``target``) refuses a cloud with a 409, and ``records`` (what the
pod fan-out walks) holds clusters only.
"""

from __future__ import annotations

import logging
import re
import uuid

from shared.clock import Clock
from shared.config import Settings
from shared.errors import Conflict, DomainError, NotFound, ServiceUnavailable, ValidationFailed
from shared.logs import log_event
from shared.models.clouds import CloudConfig
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
from shared.services.clouds import CloudsService
from shared.services.endpoints import EndpointPolicy, refusal
from shared.services.server_credentials import ServerCredentials
from shared.storage.servers import ServerRecord, ServerRepository

logger = logging.getLogger("cloudplane.servers")


def default_namespace(tenant: Tenant) -> str:
    """One namespace per tenant: ``cloudplane-<slug>``, cut to a valid 63-character name."""
    return f"cloudplane-{tenant.slug}"[:63].rstrip("-")


def server_not_found(server_id: str) -> NotFound:
    return NotFound(f"Server {server_id} not found.", code="SERVER_NOT_FOUND", details={"server_id": server_id})


def not_a_cluster(record: ServerRecord) -> Conflict:
    return Conflict(
        f"Server {record.server.id} is an OpenStack cloud, not a Kubernetes cluster.",
        code="SERVER_NOT_A_CLUSTER",
        details={"server_id": record.server.id, "kind": record.server.kind},
    )


def _kind_change(record: ServerRecord) -> Conflict:
    return Conflict(
        f"Server {record.server.id} is of kind {record.server.kind}; a server's kind does not change.",
        code="SERVER_KIND_CHANGE",
        details={"server_id": record.server.id, "kind": record.server.kind},
    )


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
        clouds: CloudsService | None = None,
    ) -> None:
        self._repository = repository
        self._endpoints = endpoints
        self._credentials = credentials
        self._timeout = settings.k8s_timeout_seconds
        self._clock = clock
        self._clouds = clouds

    # ---------------------------------------------------------------- reads other services share

    def load(self, tenant_id: str, server_id: str) -> ServerRecord:
        """The stored server, or 404 ``SERVER_NOT_FOUND``."""
        record = self._repository.get(tenant_id, server_id)
        if record is None:
            raise server_not_found(server_id)
        return record

    def records(self, tenant_id: str) -> list[ServerRecord]:
        """The tenant's Kubernetes clusters (clouds are left out: pods never go there)."""
        return [record for record in self._repository.records(tenant_id) if record.server.kind == "kubernetes"]

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
        if record.server.kind != "kubernetes":
            raise not_a_cluster(record)
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
        if request.kind == "openstack":
            assert request.cloud is not None  # the model requires it for this kind
            return self._create_cloud(tenant, request.name, request.labels, request.cloud)
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
        if request.kind != before.server.kind:
            raise _kind_change(before)
        if request.cloud is not None:
            return self._save_cloud(before, request.name, request.labels, request.cloud)
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
        if old.kind == "openstack":
            kubernetes_fields = sorted(given - {"name", "labels", "cloud"})
            if kubernetes_fields:
                raise ValidationFailed(
                    f"{', '.join(kubernetes_fields)} belong to kubernetes servers; this one is an OpenStack cloud.",
                    code="SERVER_KIND_MISMATCH",
                )
            labels = request.labels if request.labels is not None else old.labels
            return self._save_cloud(before, request.name or old.name, labels, request.cloud)
        if request.cloud is not None:
            raise ValidationFailed(
                "cloud goes with OpenStack servers; this one is a cluster.", code="SERVER_KIND_MISMATCH"
            )
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
        if self._clouds is not None:
            self._clouds.forget(tenant.id, server_id)
        log_event(logger, "server_deleted", tenant_id=tenant.id, server_id=server_id)

    def probe_server(self, tenant: Tenant, server_id: str) -> ServerTest:
        """A live check: ``ok: false`` with a reason for a cluster that cannot be used, never an error."""
        record = self.load(tenant.id, server_id)
        if record.server.kind == "openstack" and self._clouds is not None:
            result = self._clouds.probe(record)
            log_event(
                logger,
                "cloud_tested",
                tenant_id=tenant.id,
                server_id=server_id,
                ok=result.ok,
                reason=result.reason,
                latency_ms=result.latency_ms,
            )
            return result
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
        if record.server.kind != "kubernetes":
            raise not_a_cluster(record)
        checked = self._endpoints.check(record.server.api_url)  # a refused endpoint is a 422 here
        try:
            return kube.usage(self.target(record, checked), self._timeout)
        except kube.ClusterError as error:
            raise ServiceUnavailable(
                f"The cluster could not be read: {error.message}",
                code="SERVER_UNAVAILABLE",
                details={"server_id": server_id, "reason": error.reason},
            ) from None

    # ---------------------------------------------------------------- clouds (kind openstack)

    def import_clouds_yaml(
        self, tenant: Tenant, text: str, names: list[str] | None, labels: dict[str, str]
    ) -> list[Server]:
        """Register every cloud of a clouds.yaml (or those named) as servers named after them.

        All entries are validated (model and address rules) before any is stored; if storing one
        fails (a taken name), the ones stored by this call are deleted again: all or none.
        """
        clouds = parse_clouds_yaml(text, names)
        for name, cloud in clouds.items():
            try:
                self._endpoints.check(cloud.auth.auth_url, f"clouds.{name}.auth.auth_url")
            except DomainError as error:
                error.details.setdefault("cloud", name)
                raise
        created: list[Server] = []
        try:
            for name, cloud in clouds.items():
                created.append(self._create_cloud(tenant, name, labels, cloud))
        except DomainError:
            for server in created:
                self._repository.delete(self.load(tenant.id, server.id))
            raise
        return created

    def _create_cloud(self, tenant: Tenant, name: str, labels: dict[str, str], cloud: CloudConfig) -> Server:
        self._endpoints.check(cloud.auth.auth_url, "cloud.auth.auth_url")
        server_id = uuid.uuid4().hex
        now = self._clock()
        sealed = self._credentials.seal(tenant.id, server_id, {"cloud": cloud.secret_dict()})
        server = Server(
            id=server_id,
            name=name,
            kind="openstack",
            api_url=cloud.auth.auth_url,
            namespace=None,
            labels=labels,
            credentials=CredentialsInfo(set=True, kind="cloud", updated_at=now),
            cloud=cloud.public(),
            created_at=now,
            updated_at=now,
        )
        self._repository.create(ServerRecord(tenant.id, server, sealed, 1))
        log_event(
            logger,
            "server_created",
            tenant_id=tenant.id,
            server_id=server_id,
            kind="openstack",
            auth_method=cloud.auth.method,
            tls_verify=cloud.verify,
        )
        if not cloud.verify:
            log_event(logger, "cloud_tls_unverified", level=logging.WARNING, tenant_id=tenant.id, server_id=server_id)
        return server

    def _save_cloud(self, before: ServerRecord, name: str, labels: dict[str, str], cloud: CloudConfig | None) -> Server:
        """A cloud's new state; ``cloud`` None keeps its credentials."""
        now = self._clock()
        old = before.server
        sealed, version, credentials, info, api_url = (
            before.sealed,
            before.credentials_version,
            old.credentials,
            old.cloud,
            old.api_url,
        )
        if cloud is not None:
            self._endpoints.check(cloud.auth.auth_url, "cloud.auth.auth_url")
            sealed = self._credentials.seal(before.tenant_id, old.id, {"cloud": cloud.secret_dict()})
            version += 1
            credentials = CredentialsInfo(set=True, kind="cloud", updated_at=now)
            info, api_url = cloud.public(), cloud.auth.auth_url
        server = old.model_copy(
            update={
                "name": name,
                "labels": labels,
                "api_url": api_url,
                "cloud": info,
                "credentials": credentials,
                "updated_at": now,
            }
        )
        self._repository.replace(before, ServerRecord(before.tenant_id, server, sealed, version))
        if cloud is not None:
            if self._clouds is not None:
                self._clouds.forget(before.tenant_id, old.id)
            log_event(
                logger,
                "server_credentials_changed",
                tenant_id=before.tenant_id,
                server_id=old.id,
                credentials_kind="cloud",
            )
        return server

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
        namespace: str | None,
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


def parse_clouds_yaml(text: str, names: list[str] | None = None) -> dict[str, CloudConfig]:
    """The ``clouds:`` of a clouds.yaml, each entry validated (``ValidationFailed`` naming the cloud)."""
    from pydantic import ValidationError

    from shared.errors import validation_details
    from shared.models.servers import NAME_PATTERN
    from shared.providers.kubeconfig import KubeconfigInvalid, load_yaml

    try:  # the kubeconfig's strict reader: no alias, anchor or deep nesting (no YAML bomb)
        document = load_yaml(text)
    except KubeconfigInvalid:
        raise ValidationFailed(
            "clouds_yaml is not valid YAML (aliases, anchors and deep nesting are refused).",
            code="CLOUDS_YAML_INVALID",
        ) from None
    clouds = document.get("clouds") if isinstance(document, dict) else None
    if not isinstance(clouds, dict) or not clouds:
        raise ValidationFailed("clouds_yaml has no clouds: mapping.", code="CLOUDS_YAML_INVALID")
    wanted = names if names is not None else list(clouds)
    missing = [name for name in wanted if name not in clouds]
    if missing:
        raise ValidationFailed(
            "Some named clouds are not in the file.", code="CLOUD_NOT_IN_FILE", details={"missing": missing}
        )
    parsed: dict[str, CloudConfig] = {}
    for name in wanted:
        if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
            raise ValidationFailed("A cloud's name is not a valid server name.", code="CLOUDS_YAML_INVALID")
        entry = clouds[name]
        if isinstance(entry, dict):
            entry = {key: value for key, value in entry.items() if key not in _IGNORED_CLOUD_KEYS}
        try:
            parsed[name] = CloudConfig.model_validate(entry)
        except ValidationError as error:
            details = validation_details(error.errors(), ("clouds", name)) | {"cloud": name}
            raise ValidationFailed(f"Cloud {name!r} is not a valid clouds.yaml entry.", details=details) from None
    return parsed


_IGNORED_CLOUD_KEYS = frozenset(
    {"profile", "regions", "volume_api_version", "image_api_version", "compute_api_version"}
)
"""clouds.yaml keys that say nothing about how to authenticate: dropped on import, not refused."""
